"""Start-up: the web app's advisor, loaded and warmed in the background while /readyz says 503."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from advisor.answer.advisor import Advisor
from advisor.errors import AdvisorError, NotReadyError
from advisor.index.embed import Embedder

log = logging.getLogger("advisor")

WARM_UP = "what does a day at work look like"  # any text: the first encode pays the encoder's set-up cost


class Startup:
    """Holds the advisor once it is loaded and its model has encoded one text; until then, NotReadyError."""

    def __init__(self) -> None:
        self._advisor: Advisor | None = None
        self._error: AdvisorError | None = None
        self._lock = threading.Lock()
        self._loading: threading.Thread | None = None

    @property
    def ready(self) -> bool:
        return self._advisor is not None

    def require(self) -> Advisor:
        """The ready advisor, or NotReadyError saying why not (still loading, or the load failed)."""
        if self._advisor is not None:
            return self._advisor
        if self._error is not None:
            message = f"the advisor could not start: {self._error.message}"
            raise NotReadyError(message, details=self._error.code)
        raise NotReadyError("the advisor is starting: the index is loading and the model warming up")

    def warm(self, advisor: Advisor) -> None:
        """Encode one text (the slow first call), then serve this advisor (in place of any before)."""
        advisor.embedder.encode([WARM_UP])
        with self._lock:
            self._advisor = advisor
            self._error = None

    def embedder(self) -> Embedder | None:
        """The model in use, for a reload to reuse; None before the first load."""
        return self._advisor.embedder if self._advisor is not None else None

    def load_in_background(self, load: Callable[[], Advisor]) -> threading.Thread:
        """Load and warm on a thread, so the server answers /healthz and /readyz meanwhile."""
        thread = threading.Thread(target=self._load, args=(load,), name="advisor-startup", daemon=True)
        thread.start()
        self._loading = thread
        return thread

    def wait_loaded(self) -> None:
        """Block until the background load has ended, ready or failed (at once if none is running)."""
        if self._loading is not None:
            self._loading.join()

    def _load(self, load: Callable[[], Advisor]) -> None:
        try:
            self.warm(load())
        except AdvisorError as exc:
            log.error("advisor: cannot serve: %s", exc.message)
            self._error = exc
        except Exception as exc:  # never leave /readyz saying "starting" forever
            log.exception("advisor: start-up failed", exc_info=exc)
            self._error = AdvisorError(f"{type(exc).__name__}: {exc}")
        else:
            log.info("advisor: ready (index %s)", self.require().index.version)
