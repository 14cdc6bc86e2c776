"""Bench: a load client in Python (threads over keep-alive connections), for machines without `wrk`.

It prints nothing and returns what `wrk.lua` prints: totals, error counts by kind and latency
percentiles in microseconds. Python's client costs more CPU per request than wrk's, so on a small
machine it takes cores from the server under test: figures from it are marked as such in the report.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from collections import Counter
from typing import Any

import numpy as np


def run(base: str, paths: list[str], *, connections: int, seconds: float) -> dict[str, Any]:
    """GET the paths in turn over `connections` keep-alive connections for `seconds`."""
    where = urllib.parse.urlsplit(base)
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()

    def connection(first: int) -> None:
        mine, failed = _requests(where.hostname or "127.0.0.1", where.port or 80, paths, first, deadline)
        with lock:
            latencies.extend(mine)
            errors.update(failed)

    started = time.perf_counter()
    threads = [threading.Thread(target=connection, args=(n,), daemon=True) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 30)
    duration = time.perf_counter() - started
    us = np.array(latencies) * 1e6 if latencies else np.array([0.0])
    return {
        "requests": len(latencies) + errors["status"],
        "duration_us": int(duration * 1e6),
        "errors": {kind: errors[kind] for kind in ("connect", "read", "write", "status", "timeout")},
        "p50_us": float(np.percentile(us, 50)),
        "p90_us": float(np.percentile(us, 90)),
        "p99_us": float(np.percentile(us, 99)),
        "max_us": float(us.max()),
    }


def _requests(
    host: str, port: int, paths: list[str], first: int, deadline: float
) -> tuple[list[float], Counter[str]]:
    """One connection's requests until the deadline: latencies of the 200s, and the errors by kind."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    conn = http.client.HTTPConnection(host, port, timeout=10)
    turn = first
    while time.perf_counter() < deadline:
        path = paths[turn % len(paths)]
        turn += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
        except TimeoutError:
            errors["timeout"] += 1
        except ConnectionRefusedError:
            errors["connect"] += 1
        except (OSError, http.client.HTTPException):
            errors["read"] += 1
        else:
            if response.status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors["status"] += 1
            continue
        conn.close()
        conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.close()
    return latencies, errors
