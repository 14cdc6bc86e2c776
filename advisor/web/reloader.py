"""Reloader: serve a newly built index without a restart, and never a broken one."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from advisor.answer.advisor import Advisor
from advisor.errors import AdvisorError
from advisor.index.format import CURRENT

log = logging.getLogger("advisor")


def build_id(index_dir: Path) -> str:
    """Which build `index_dir/current` points at ('' when there is none)."""
    try:
        return os.readlink(index_dir / CURRENT)
    except OSError:
        return ""


class IndexWatcher:
    """Checks `index_dir/current` every `interval` seconds (and on demand) and swaps in a new build.

    The new build is loaded and verified completely before the swap, so every request is answered
    by exactly one index (responses name its version). A build that fails to load is logged and
    skipped; the previous index keeps serving.
    """

    def __init__(
        self,
        index_dir: Path,
        *,
        load: Callable[[], Advisor],
        swap: Callable[[Advisor], None],
        interval: float,
    ) -> None:
        self.index_dir = index_dir
        self.load = load
        self.swap = swap
        self.interval = interval
        self.seen = build_id(index_dir)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="index-watcher", daemon=True)

    def start(self) -> None:
        if self.interval > 0:
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.check()

    def check(self) -> bool:
        """Swap in the current build if it changed; True when a new index now serves."""
        with self._lock:
            current = build_id(self.index_dir)
            if not current or current == self.seen:
                return False
            self.seen = current
            try:
                advisor = self.load()
            except AdvisorError as exc:
                log.warning(
                    "new index %s not loaded, still serving the previous one: %s", current, exc.message
                )
                return False
            self.swap(advisor)
            log.info("now serving index %s", advisor.index.version)
            return True
