"""Evals: questions asked in each mode, one report document, written as JSON, Markdown and an SVG plot."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from advisor.answer.advisor import Advisor
from advisor.evals.evaluate import run_questions
from advisor.evals.leave_out import LeaveSourceOut
from advisor.evals.questions import EvalQuestion
from advisor.evals.report import dumps, markdown_report, recall_plot, report_document

Progress = Callable[[str], Any]  # label -> a context manager yielding a (done, total) callback


def evaluate_modes(
    advisor: Advisor,
    questions: list[EvalQuestion],
    *,
    modes: Iterable[str],
    ks: list[int],
    dataset: str,
    source: str,
    split: str,
    progress: Progress,
    with_text: bool = True,
) -> dict[str, Any]:
    """The report document of the questions asked in each mode, each without the confirmed questions
    of its own source (the advisor must have no answer cache)."""
    runs = {}
    for mode in modes:
        with progress(f"eval {mode}") as step:
            runs[mode] = run_questions(LeaveSourceOut(advisor), questions, mode=mode, ks=ks, progress=step)
    return report_document(
        runs,
        dataset=dataset,
        source=source,
        split=split,
        ks=ks,
        index=index_info(advisor),
        with_text=with_text,
    )


def index_info(advisor: Advisor) -> dict[str, Any]:
    """What a report records of the index and retrieval settings it measured."""
    manifest = advisor.index.manifest
    return {
        "version": manifest.version,
        "model": manifest.model,
        "passages": manifest.passages,
        "windows": manifest.windows,
        "window_tokens": manifest.window_tokens,
        "candidates": advisor.settings.candidates,
        "rrf_k": advisor.settings.rrf_k,
        "fusion": advisor.settings.fusion,
    }


def write_reports(doc: dict[str, Any], out: Path, stem: str) -> Path:
    """`stem`.json, .md and .svg in `out`; returns the path without suffix."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.json").write_text(dumps(doc))
    recall_plot(doc, out / f"{stem}.svg")
    (out / f"{stem}.md").write_text(markdown_report(doc, plot_name=f"{stem}.svg"))
    return out / stem
