"""Recorder: asks and visitor events written to the insights store off the request path.

A request only puts a record on a bounded queue (never blocks); one background thread writes
batches and purges rows past the retention period. When the queue is full or the database cannot
be written (full disk, locked, unreachable), records are dropped with a logged warning: the
visitor's answer never waits for, or fails because of, the insights.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from advisor.insights.scrub import scrub
from advisor.insights.store import AskRecord, EventRecord, Store

if TYPE_CHECKING:
    from advisor.answer.advisor import Answer

log = logging.getLogger("advisor.insights")

Record = AskRecord | EventRecord
BATCH = 200
GATHER_S = 0.25  # how long a batch stays open for more records after its first
QUESTION_CHARS = 1000  # the columns' sizes (scrubbing can lengthen a text a little)
REASON_CHARS = 400
WARN_EVERY_S = 60.0


def minute(t: float) -> int:
    """Unix seconds truncated to the minute: all the precision the insights keep."""
    return int(t) // 60 * 60


def new_answer_id() -> str:
    """A random id tying later clicks and votes to one ask; it says nothing about the visitor."""
    return secrets.token_urlsafe(12)


class Recorder:
    """Queue in front, one writer thread behind. start() before use, stop() at shutdown."""

    def __init__(
        self,
        store: Store,
        *,
        retention_days: int = 90,
        event_window_s: int = 3600,
        queue_size: int = 1000,
        purge_every_s: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.retention_s = retention_days * 86400
        self.event_window_s = event_window_s
        self.purge_every_s = purge_every_s
        self.clock = clock
        self.queue: queue.Queue[Record | None] = queue.Queue(maxsize=queue_size)
        self.dropped = 0
        self.written = 0
        self._last_warning = float("-inf")
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="insights-recorder", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Write what is queued (for at most `timeout` seconds), then end the thread."""
        if self._thread is None:
            return
        try:
            self.queue.put(None, timeout=timeout)
        except queue.Full:
            log.warning("insights: queue still full at shutdown; %d records dropped", self.queue.qsize())
        self._thread.join(timeout)
        self._thread = None
        self.store.close()

    def record_ask(self, answer: Answer, *, guide: str | None, latency_ms: float) -> str:
        """Queue an ask; returns its new answer id."""
        answer_id = new_answer_id()
        self.put(
            AskRecord(
                answer_id=answer_id,
                at=minute(self.clock()),
                guide=guide,
                question=scrub(answer.question)[:QUESTION_CHARS],
                answered=answer.answered,
                index_version=answer.index_version,
                latency_ms=round(latency_ms),
                sections=tuple(h.section.key for h in answer.results),
            )
        )
        return answer_id

    def record_event(
        self,
        answer_id: str,
        kind: str,
        section: str,
        *,
        rank: int | None = None,
        vote: str | None = None,
        reason: str | None = None,
    ) -> None:
        """Queue a click or a vote; kept only if its ask is known and recent (see Store.write)."""
        said = scrub(" ".join(reason.split()))[:REASON_CHARS] if reason else ""
        at = minute(self.clock())
        self.put(EventRecord(answer_id, at, kind, section, rank=rank, vote=vote, reason=said or None))

    def put(self, record: Record) -> None:
        try:
            self.queue.put_nowait(record)
        except queue.Full:
            self._drop(1, "the queue is full")

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued so far is written or dropped; False on time-out."""
        deadline = time.monotonic() + timeout
        while self.queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.005)
        return not self.queue.unfinished_tasks

    def _run(self) -> None:
        ready = self._create()
        next_purge = 0.0
        while True:
            batch, stop = self._take()
            if batch and not ready:
                ready = self._create()  # try again: the disk may have been fixed
            if batch and ready:
                self._write(batch)
            elif batch:
                self._drop(len(batch), "the database is unavailable")
            for _ in range(len(batch) + stop):
                self.queue.task_done()
            if stop:
                return
            if ready and time.monotonic() >= next_purge:
                self._purge()
                next_purge = time.monotonic() + self.purge_every_s

    def _take(self) -> tuple[list[Record], int]:
        """The next batch and 1 if asked to stop: waits up to a second for a first record, then
        gathers what else arrives within GATHER_S, so that a busy server writes one transaction per
        batch rather than per ask (each costs the serving threads time under the GIL)."""
        batch: list[Record] = []
        try:
            first = self.queue.get(timeout=1.0)
        except queue.Empty:
            return batch, 0
        deadline = time.monotonic() + GATHER_S
        while first is not None:
            batch.append(first)
            if len(batch) >= BATCH:
                return batch, 0
            try:
                first = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return batch, 0
        return batch, 1

    def _create(self) -> bool:
        try:
            self.store.create()
        except Exception as exc:
            self._warn(f"insights: cannot create the database at {self.store.where}: {exc}")
            return False
        return True

    def _write(self, batch: list[Record]) -> None:
        try:
            self.written += self.store.write(batch, event_window_s=self.event_window_s)
        except Exception as exc:  # full disk, locked, unreachable: drop, never raise
            self._drop(len(batch), f"the database refused them ({type(exc).__name__}: {exc})")

    def _purge(self) -> None:
        try:
            gone = self.store.purge(before=minute(self.clock()) - self.retention_s)
        except Exception as exc:
            self._warn(f"insights: retention purge failed: {exc}")
            return
        if gone:
            log.info("insights: purged %d asks older than the retention period", gone)

    def _drop(self, count: int, why: str) -> None:
        self.dropped += count
        self._warn(f"insights: dropped {count} record(s) ({self.dropped} so far): {why}")

    def _warn(self, message: str) -> None:
        """Log, at most once a minute, so a broken disk does not flood the log too."""
        now = time.monotonic()
        if now - self._last_warning >= WARN_EVERY_S:
            self._last_warning = now
            log.warning(message)
