"""Benchmark of the real server: cold start, memory, HTTP load over loopback (`wrk`, or a Python client)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.bench import client, measure
from advisor.bench.measure import percentiles

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
READY_TIMEOUT = 180.0


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen
    base: str
    ready_seconds: float
    ready_path: str

    def pids(self) -> list[int]:
        """The processes that answer requests: the workers, or the server itself when it has none."""
        return measure.workers(self.process.pid) or [self.process.pid]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def wait_ready(base: str, process: subprocess.Popen, started: float) -> tuple[float, str]:
    """Seconds from `started` until /readyz (or, on servers without it, /healthz) answers 200."""
    while time.perf_counter() - started < READY_TIMEOUT:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode} before it was ready")
        ready = _status(base + "/readyz")
        if ready == 200:
            return time.perf_counter() - started, "/readyz"
        if ready == 404 and _status(base + "/healthz") == 200:
            return time.perf_counter() - started, "/healthz"  # no /readyz: up means ready here
        time.sleep(0.01)
    raise RuntimeError(f"the server on {base} was not ready after {READY_TIMEOUT:.0f} s")


@contextmanager
def running_server(
    *, index_dir: Path, corpus_dir: Path, port: int, workers: int, env: dict[str, str], log: Path
) -> Iterator[Server]:
    """`advisor serve` in its own process group, its output in `log`, stopped (with its workers) on exit."""
    cmd = [
        sys.executable,
        "-m",
        "advisor.cli",
        "serve",
        "--index",
        str(index_dir),
        "--corpus",
        str(corpus_dir),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with open(log, "ab") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            cmd, env={**os.environ, **env}, stdout=output, stderr=output, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            seconds, path = wait_ready(base, process, started)
        except RuntimeError as exc:
            tail = log.read_text(errors="replace").splitlines()[-5:]
            raise RuntimeError(f"{exc}; last lines of {log}: " + " | ".join(tail)) from None
        yield Server(process, base, seconds, path)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def memory(server: Server, dense_file: str) -> dict[str, Any]:
    """Peak and proportional memory of each serving process, and whether it maps the dense index."""
    pids = server.pids()
    return {
        "processes": len(pids),
        "peak_rss_bytes": [measure.proc_status(p, "VmHWM") for p in pids],
        "rss_bytes": [measure.proc_status(p, "VmRSS") for p in pids],
        "file_backed_rss_bytes": [measure.proc_status(p, "RssFile") for p in pids],
        "pss_bytes": [measure.pss(p) for p in pids],
        "dense_index_mapped": all(measure.mapped(p, dense_file) for p in pids),
    }


def question_paths(questions: list[str], *, k: int) -> list[str]:
    return [f"/api/v1/ask?{urllib.parse.urlencode({'q': q, 'k': k})}" for q in questions]


def check_answers(base: str, paths: list[str]) -> int:
    """Ask every question once; the number that did not answer 200."""
    return sum(_status(base + path) != 200 for path in paths)


def paired_http(
    port: int,
    paths: list[str],
    ask: Callable[[str], object],
    questions: list[str],
    *,
    rounds: int,
    bare: Callable[[str], object] | None = None,
) -> dict[str, Any]:
    """One keep-alive HTTP request and one in-process `ask` per question, back to back, so that the
    machine's noise falls on both alike: what HTTP adds at concurrency 1. With `bare`, the bare model's
    encode of the same question too, after them: what a whole answer costs against the model alone."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    over_http, in_process, encodes = [], [], []
    try:
        for _ in range(rounds):
            for path, question in zip(paths, questions, strict=True):
                started = time.perf_counter()
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                over_http.append(time.perf_counter() - started)
                if response.status != 200:
                    raise RuntimeError(f"{path} answered {response.status}")
                in_process.append(_seconds(ask, question))
                if bare is not None:
                    encodes.append(_seconds(bare, question))
    finally:
        connection.close()
    http_p, ask_p = percentiles(over_http), percentiles(in_process)
    added = http_p["p50_ms"] - ask_p["p50_ms"]
    out: dict[str, Any] = {"http": http_p, "in_process": ask_p, "added_p50_ms": added}
    if encodes:
        out["bare_encode"] = percentiles(encodes)
        out["http_vs_bare_encode_p50"] = http_p["p50_ms"] / out["bare_encode"]["p50_ms"]
    return out


def _seconds(func: Callable[[str], object], question: str) -> float:
    started = time.perf_counter()
    func(question)
    return time.perf_counter() - started


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def load(
    base: str, paths_file: Path, *, connections: int, seconds: float, use_wrk: bool
) -> dict[str, Any]:
    """One run of keep-alive connections cycling through the questions: by `wrk`, else by Python."""
    if use_wrk:
        row = _wrk(base, paths_file, connections=connections, seconds=seconds)
    else:
        paths = paths_file.read_text().split()
        row = client.run(base, paths, connections=connections, seconds=seconds)
    errors = sum(row["errors"].values())
    if not row["requests"]:  # nothing finished within the run: no latency to report
        row.update(p50_us=float("nan"), p90_us=float("nan"), p99_us=float("nan"), max_us=float("nan"))
    return {
        "client": "wrk" if use_wrk else "python",
        "connections": connections,
        "requests": row["requests"],
        "seconds": row["duration_us"] / 1e6,
        "throughput_rps": row["requests"] / (row["duration_us"] / 1e6),
        "p50_ms": row["p50_us"] / 1000,
        "p90_ms": row["p90_us"] / 1000,
        "p99_ms": row["p99_us"] / 1000,
        "max_ms": row["max_us"] / 1000,
        "errors": errors,
        "error_kinds": row["errors"],
    }


def _wrk(base: str, paths_file: Path, *, connections: int, seconds: float) -> dict[str, Any]:
    """`wrk`'s totals and percentiles, as `wrk.lua` prints them."""
    threads = min(2, connections)
    cmd = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
        base,
        "--",
        str(paths_file),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=True)
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return row


BARE_SCRIPT = """
import json, sys, time
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(sys.argv[1], device="cpu")
model.encode("what should I learn after SQL")
print("ready", flush=True)
for text in json.load(open(sys.argv[2])):
    model.encode(text)
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(int(line.split()[1]) * 1024, flush=True)
"""


def bare_start(model_path: str, texts: list[str]) -> dict[str, float]:
    """A bare Python process: import sentence-transformers, load the model, encode one sentence (the
    time to that); then encode each of `texts`, the questions the server is asked before its memory is
    read, so that both have paged in the same share of the model's word embeddings (the peak RSS)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(texts, file)
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", BARE_SCRIPT, model_path, file.name],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        line = process.stdout.readline()
        seconds = time.perf_counter() - started
        peak = int(process.stdout.readline() or 0)
        process.wait(timeout=600)
    finally:
        os.unlink(file.name)
    if line.strip() != "ready":
        raise RuntimeError("the bare sentence-transformers process failed")
    return {"seconds": seconds, "peak_rss_bytes": peak}


def command_seconds(args: list[str], *, repeat: int) -> float:
    """Median wall time of a short command."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]
