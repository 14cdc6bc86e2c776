"""Rate limit: a token bucket per client, kept in memory only (never stored, forgotten when idle)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    """Each key may spend `burst` requests at once, refilled at `per_minute` a minute.

    At most `max_keys` clients are tracked; the least recently seen is forgotten first (a
    forgotten client simply starts again with a full bucket).
    """

    def __init__(
        self,
        *,
        per_minute: float,
        burst: int,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, when)
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """0 if the request may go ahead (and spend a token), else the seconds until it may."""
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        if allowed:
            return 0.0
        return (1.0 - tokens) / self.rate if self.rate > 0 else float("inf")
