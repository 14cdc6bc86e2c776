"""Benchmark measures: percentiles, timed loops, process memory and the machine they ran on."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

PACKAGES = (
    "torch",
    "sentence-transformers",
    "transformers",
    "faiss-cpu",
    "bm25s",
    "fastapi",
    "uvicorn",
    "numpy",
    "txtai",
)


def percentiles(seconds: Iterable[float]) -> dict[str, float]:
    """p50/p95/p99 and mean, in milliseconds."""
    ms = np.asarray(list(seconds), dtype=np.float64) * 1000.0
    if not len(ms):
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "p99_ms": float("nan"), "n": 0}
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    return {"p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99), "n": len(ms)}


def timed(func: Callable[[Any], object], items: list[Any], *, rounds: int) -> list[float]:
    """Seconds per call of func(item), every item `rounds` times, rounds interleaved."""
    out = []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            func(item)
            out.append(time.perf_counter() - start)
    return out


def proc_status(pid: int, field: str) -> int:
    """A /proc/PID/status size field (VmHWM, VmRSS, RssFile ...) in bytes; 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def pss(pid: int) -> int:
    """Proportional set size in bytes: shared pages divided among the processes sharing them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def workers(pid: int) -> list[int]:
    """The worker processes a server started (multiprocessing children, not its resource tracker)."""
    try:
        kids = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [kid for kid in kids if b"spawn_main" in _cmdline(kid)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def mapped(pid: int, name: str) -> bool:
    """Whether a file whose path ends in `name` is memory-mapped by the process."""
    try:
        return any(
            line.rstrip().endswith(name) for line in Path(f"/proc/{pid}/maps").read_text().splitlines()
        )
    except OSError:
        return False


@dataclass(frozen=True)
class Machine:
    cores: int
    cpu_model: str
    ram_gb: float
    python: str
    platform: str
    versions: dict[str, str]
    load_average: tuple[float, float, float]


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return asdict(
        Machine(
            cores=len(os.sched_getaffinity(0)),
            cpu_model=cpu,
            ram_gb=round(pages / 2**30, 1),
            python=platform.python_version(),
            platform=platform.platform(),
            versions=versions,
            load_average=os.getloadavg(),
        )
    )
