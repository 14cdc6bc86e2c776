"""Load test: a bounded stream of varied questions against a running advisor: errors, latency, memory.

`make load` runs it against `advisor serve` on loopback; `--url` points it at any running server.
Needs httpx (a test dependency): `python -m advisor.bench.loadtest --serve --requests 5000 --concurrency 32`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Asked as they are and around each section heading the server lists, so retrieval sees varied text.
QUESTIONS = (
    "how do I become a backend engineer",
    "what should I learn first",
    "what comes after learning SQL",
    "how much does a junior developer earn",
    "do I need a computer science degree",
    "how do I prepare for a technical interview",
    "what is a good first project for my portfolio",
    "how long does it take to get a job",
    "wat shoud i lern aftr python",
    "is it too late to switch careers at 40",
)
TEMPLATES = ("{}", "how do I get better at {}", "what should I know about {}?")


@dataclass
class Sample:
    """What the run saw: per-request latency and status, and the server's memory as it went."""

    latencies: list[float] = field(default_factory=list)  # seconds, in completion order
    statuses: Counter[str] = field(default_factory=Counter)  # "200", "429", or an error's name
    rss_kb: list[tuple[int, int]] = field(default_factory=list)  # (requests done, server RSS in KB)
    failures: list[str] = field(default_factory=list)  # the first few errors, in words


@dataclass(frozen=True)
class Report:
    requests: int
    concurrency: int
    seconds: float
    statuses: dict[str, int]
    p50_ms: float
    p99_ms: float
    max_ms: float
    rss_first_mb: float | None  # mean server RSS over the first `window` requests
    rss_last_mb: float | None  # ... and over the last `window`
    window: int
    failures: tuple[str, ...] = ()

    @property
    def errors(self) -> int:
        """Everything but answers and deliberate 429s."""
        return sum(n for status, n in self.statuses.items() if status not in ("200", "429"))

    @property
    def rss_growth(self) -> float | None:
        if self.rss_first_mb is None or self.rss_last_mb is None:
            return None
        return self.rss_last_mb / self.rss_first_mb - 1

    def lines(self) -> list[str]:
        rate = self.requests / self.seconds if self.seconds else 0.0
        out = [
            f"{self.requests} requests, concurrency {self.concurrency}: {self.seconds:.1f} s ({rate:.0f}/s)",
            f"statuses: {dict(sorted(self.statuses.items()))}; errors (not 200 or 429): {self.errors}",
            f"latency: p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, max {self.max_ms:.1f} ms",
        ]
        out += [f"  {failure}" for failure in self.failures]
        if self.rss_growth is not None:
            out.append(
                f"server RSS: {self.rss_first_mb:.1f} MB over the first {self.window} requests, "
                f"{self.rss_last_mb:.1f} MB over the last {self.window} ({self.rss_growth:+.1%})"
            )
        return out


def questions_for(url: str, *, seed: int = 7) -> list[str]:
    """The fixed questions plus questions made from every section heading the server serves."""
    import httpx

    headings: list[str] = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for guide in client.get("/api/v1/guides").raise_for_status().json()["guides"]:
            toc = client.get(f"/api/v1/guides/{guide['id']}/sections").raise_for_status().json()
            headings += [s["heading"] for s in toc["sections"] if s["level"] > 1]
    asked = list(QUESTIONS) + [t.format(h.lower()) for h in headings for t in TEMPLATES]
    random.Random(seed).shuffle(asked)
    return [q[:200] for q in asked]


def rss_kb(pid: int) -> int:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise ValueError(f"no VmRSS for process {pid}")


async def _worker(
    client: Any, questions: Sequence[str], todo: Iterator[int], sample: Sample, pid: int | None, every: int
) -> None:
    import httpx

    for n in todo:
        started = time.perf_counter()
        try:
            res = await client.get("/api/v1/ask", params={"q": questions[n % len(questions)]})
            sample.statuses[str(res.status_code)] += 1
        except httpx.HTTPError as exc:
            sample.statuses[type(exc).__name__] += 1
            sample.failures.append(f"{type(exc).__name__}: {exc}")
        sample.latencies.append(time.perf_counter() - started)
        done = len(sample.latencies)
        if pid is not None and done % every == 0:
            sample.rss_kb.append((done, rss_kb(pid)))


async def _run(
    url: str, questions: Sequence[str], requests: int, concurrency: int, pid: int | None
) -> Sample:
    import httpx

    sample = Sample()
    every = max(1, requests // 100)  # about a hundred memory readings a run
    todo = iter(range(requests))  # shared: the workers together stop after exactly `requests`
    # keepalive_expiry under uvicorn's 5 s keep-alive: never reuse a connection the server may be closing
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2
    )
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        await asyncio.gather(
            *(_worker(client, questions, todo, sample, pid, every) for _ in range(concurrency))
        )
    return sample


def run_load(
    url: str, *, questions: Sequence[str], requests: int, concurrency: int, pid: int | None = None
) -> Report:
    """Send `requests` questions with `concurrency` in flight; `pid` is the server's, for its memory."""
    started = time.perf_counter()
    sample = asyncio.run(_run(url, questions, requests, concurrency, pid))
    return report(sample, requests=requests, concurrency=concurrency, seconds=time.perf_counter() - started)


def report(sample: Sample, *, requests: int, concurrency: int, seconds: float) -> Report:
    ordered = sorted(sample.latencies)

    def ms(q: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    window = min(1000, requests // 5)
    first = [kb for done, kb in sample.rss_kb if done <= window]
    last = [kb for done, kb in sample.rss_kb if done > requests - window]
    return Report(
        requests=requests,
        concurrency=concurrency,
        seconds=seconds,
        statuses=dict(sample.statuses),
        p50_ms=ms(0.50),
        p99_ms=ms(0.99),
        max_ms=1000 * ordered[-1] if ordered else 0.0,
        rss_first_mb=sum(first) / len(first) / 1024 if first else None,
        rss_last_mb=sum(last) / len(last) / 1024 if last else None,
        window=window,
        failures=tuple(sample.failures[:5]),
    )


@contextmanager
def advisor_server(port: int) -> Iterator[tuple[str, int]]:
    """`advisor serve` on loopback, the per-client rate limit lifted (every request here comes from
    one address); yields its URL and pid once /readyz says ready, and stops it afterwards."""
    import httpx

    env = {**os.environ, "ADVISOR_RATE_LIMIT_BURST": "1000000", "ADVISOR_RELOAD_INTERVAL": "0"}
    env |= {"HF_HUB_DISABLE_PROGRESS_BARS": "1", "TQDM_DISABLE": "1"}  # a clean log: warnings only
    argv = [sys.executable, "-m", "advisor.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = Path(tempfile.mkdtemp(prefix="advisor-load-")) / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while not _ready(httpx, url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"advisor serve did not become ready on {url} (its log: {log})")
            time.sleep(0.5)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        complaints = [line for line in log.read_text().splitlines() if not line.startswith("INFO")]
        for line in complaints[:10]:  # what the server said besides its start and stop
            print(f"server: {line}", file=sys.stderr)


def _ready(httpx: Any, url: str) -> bool:
    try:
        return httpx.get(url + "/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m advisor.bench.loadtest", description=__doc__)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running server (give --pid too for its memory)")
    where.add_argument(
        "--serve", action="store_true", help="start `advisor serve` on --port and stop it after"
    )
    parser.add_argument("--port", type=int, default=8411)
    parser.add_argument("--pid", type=int, help="the server's process id, for its RSS")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--max-rss-growth", type=float, default=0.05, help="fail above this (0.05 = 5%%)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    with advisor_server(args.port) if args.serve else _given(args.url, args.pid) as (url, pid):
        result = run_load(
            url, questions=questions_for(url), requests=args.requests, concurrency=args.concurrency, pid=pid
        )
    print(json.dumps(asdict(result), indent=2) if args.json else "\n".join(result.lines()))
    growth = result.rss_growth
    return 1 if result.errors or (growth is not None and growth > args.max_rss_growth) else 0


@contextmanager
def _given(url: str, pid: int | None) -> Iterator[tuple[str, int | None]]:
    yield url, pid


if __name__ == "__main__":
    sys.exit(main())
