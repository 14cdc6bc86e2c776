"""CLI: `advisor bench`: latency, throughput, start-up, memory and scale, written as a report."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.cli.common import Add, questions_option

if TYPE_CHECKING:
    from advisor.settings import Settings

SKIPPABLE = ("peers", "scifact", "scale")  # the long stages of `advisor bench`


def run(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.bench.run import run_bench

    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"bench [{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    report = run_bench(
        settings,
        quick=args.quick,
        out_dir=args.out,
        port=args.port,
        workers=args.workers,
        questions_file=args.questions,
        scifact_dir=args.scifact,
        progress=progress,
        sizes=tuple(args.sizes) if args.sizes else None,
        skip=tuple(args.skip),
    )
    print(report.with_suffix(".md").read_text())
    print(f"wrote {report}, {report.with_suffix('.md')}")
    return 0


def add(command: Add) -> None:
    bench = command("bench", run, "measure latency, throughput, start-up, memory and scale")
    bench.add_argument("--quick", action="store_true", help="a tiny run in seconds (what `make test` checks)")
    bench.add_argument("--out", type=Path, default=Path("eval/reports"), help="report folder")
    bench.add_argument("--port", type=int, help="port for the servers it starts (default: a free one)")
    bench.add_argument("--workers", type=int, default=2, help="server workers under load (default 2)")
    bench.add_argument(
        "--sizes", type=int, nargs="+", help="scale curve sizes (default: 10000 100000 1000000)"
    )
    bench.add_argument("--skip", nargs="+", default=[], choices=SKIPPABLE, help="leave these stages out")
    questions_option(bench, "labelled questions, when present")
    bench.add_argument(
        "--scifact",
        type=Path,
        default=Path("../shared/beir/scifact"),
        help="BEIR SciFact folder for the build figures (default: ../shared/beir/scifact)",
    )
