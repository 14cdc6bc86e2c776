"""Benchmark run: every measure in one process, in an order that keeps the noisy ones apart."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.bench import report
from advisor.bench.measure import machine
from advisor.bench.questions import Question, load_questions
from advisor.settings import Settings

Progress = Callable[[str], None]
QUICK_QUESTIONS = 20


@dataclass(frozen=True)
class Plan:
    """How much to measure: `--quick` is a smoke run in seconds, the full run takes a while."""

    quick: bool
    rounds: int
    load_seconds: float
    concurrency: tuple[int, ...]
    starts: int
    sizes: tuple[int, ...]
    ann_min: int


def plan(quick: bool, settings: Settings, sizes: tuple[int, ...] | None = None) -> Plan:
    if quick:  # tiny sizes, with the ANN threshold lowered so that both dense kinds still run
        return Plan(True, 1, 1.0, (1, 8, 32), 1, sizes or (1_000, 4_000), 2_000)
    full = (10_000, 100_000, 1_000_000)
    return Plan(False, 5, 10.0, (1, 8, 32), 3, sizes or full, settings.ann_min_windows)


@dataclass(frozen=True)
class Context:
    settings: Settings
    plan: Plan
    questions: list[Question]
    work: Path
    guide_index: Path
    port: int
    workers: int
    progress: Progress


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_bench(
    settings: Settings,
    *,
    quick: bool,
    out_dir: Path,
    port: int | None,
    workers: int,
    questions_file: Path,
    scifact_dir: Path,
    progress: Progress,
    sizes: tuple[int, ...] | None = None,
    skip: tuple[str, ...] = (),
) -> Path:
    """Measure everything, write bench-<date>.json/.md/-scale.svg into out_dir; the JSON's path."""
    started = time.perf_counter()
    questions, source = load_questions(questions_file)
    if quick:
        questions = questions[:QUICK_QUESTIONS]
    work = Path(tempfile.mkdtemp(prefix="advisor-bench-"))
    try:
        ctx = Context(
            settings,
            plan(quick, settings, sizes),
            questions,
            work,
            work / "guide-index",
            port or free_port(),
            workers,
            progress,
        )
        data: dict[str, Any] = {
            "command": " ".join(["advisor", *sys.argv[1:]]) if sys.argv else "",
            "quick": quick,
            "questions": {"source": source, "count": len(questions)},
            "machine": machine(),
            "settings": _settings_used(ctx),
        }
        data.update(_measure(ctx, scifact_dir, skip))
        data["machine"]["load_average_end"] = os.getloadavg()
        data["seconds"] = time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _write(out_dir, data)


def _settings_used(ctx: Context) -> dict[str, Any]:
    from advisor.runtime import query_threads

    s = ctx.settings
    return {
        "model": s.model,
        "encoder": s.encoder,
        "workers": ctx.workers,
        "cache_size": s.cache_size,
        "query_threads": query_threads(s.model_copy(update={"workers": ctx.workers})),
        "ann_min_windows": ctx.plan.ann_min,
        "candidates": s.candidates,
        "port": ctx.port,
    }


def _measure(ctx: Context, scifact_dir: Path, skip: tuple[str, ...]) -> dict[str, Any]:
    from advisor.bench import stages

    skipped = {"skipped": "left out of this run (--skip)"}
    out: dict[str, Any] = {}
    out["build"] = {"guide": stages.build_guide(ctx)}
    out["in_process"] = stages.in_process(ctx)
    out["peers"] = (
        skipped if "peers" in skip else stages.peer_runs(ctx, ours_p50=out["in_process"]["ask_k3"]["p50_ms"])
    )
    out["cold_start"] = stages.cold_start(ctx)
    out["http"] = stages.http(ctx)
    out["commands"] = stages.commands(ctx)
    out["build"]["scifact"] = skipped if "scifact" in skip else stages.build_scifact(ctx, scifact_dir)
    out["scale"] = {**skipped, "points": []} if "scale" in skip else stages.scale_curve(ctx)
    return out


def _write(out_dir: Path, data: dict[str, Any]) -> Path:
    from advisor.bench.summary import summary, targets

    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"bench-{time.strftime('%Y-%m-%d')}"
    checks = targets(data)
    plot = stem.with_name(stem.name + "-scale.svg")
    if data["scale"]["points"]:
        report.plot_scale(plot, data["scale"]["points"])
    report.write_json(stem.with_suffix(".json"), data, checks)
    stem.with_suffix(".md").write_text(summary(data, checks, plot.name if plot.exists() else None))
    return stem.with_suffix(".json")
