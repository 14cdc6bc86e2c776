"""Benchmark report: every figure next to its target, as JSON, a Markdown summary and a scale plot."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Target:
    """One measured figure, its target, and whether it is met (None when it could not be measured)."""

    figure: str
    value: float | None
    unit: str
    target: str
    met: bool | None


def at_most(figure: str, value: float | None, limit: float, unit: str) -> Target:
    ok = None if value is None or math.isnan(value) else value <= limit
    return Target(figure, value, unit, f"≤ {limit:g} {unit}".rstrip(), ok)


def at_least(figure: str, value: float | None, limit: float, unit: str) -> Target:
    ok = None if value is None or math.isnan(value) else value >= limit
    return Target(figure, value, unit, f"≥ {limit:g} {unit}".rstrip(), ok)


def _fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not measured"
    if unit == "×":
        return f"{value:.2f}×"
    return f"{value:.3g} {unit}".rstrip()


def _met(target: Target) -> str:
    return {True: "yes", False: "**no**", None: "n/a"}[target.met]


def target_table(targets: list[Target]) -> str:
    rows = ["| figure | measured | target | met |", "|---|---|---|---|"]
    rows += [f"| {t.figure} | {_fmt(t.value, t.unit)} | {t.target} | {_met(t)} |" for t in targets]
    return "\n".join(rows)


def write_json(path: Path, report: dict[str, Any], targets: list[Target]) -> None:
    data = {**report, "targets": [asdict(t) for t in targets]}
    path.write_text(json.dumps(_finite(data), indent=2, allow_nan=False) + "\n")


def _finite(data: Any) -> Any:
    """The report with NaN and infinities (figures that could not be measured) as null."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {str(k): _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data


def plot_scale(path: Path, points: list[dict[str, Any]]) -> None:
    """Query time and memory against passages, log-log, as SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [p["passages"] for p in points]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for key, label, style in (
        ("dense", "dense (as built)", "o-"),
        ("flat", "flat (exact)", "s--"),
        ("bm25", "BM25", "^-"),
    ):
        left.plot(sizes, [p[key]["p50_ms"] for p in points], style, label=f"{label} p50")
        left.plot(sizes, [p[key]["p99_ms"] for p in points], style, alpha=0.35, label=f"{label} p99")
    left.axhline(2, color="grey", lw=0.8, ls=":")
    left.axhline(20, color="grey", lw=0.8, ls=":")
    left.set(xscale="log", yscale="log", xlabel="passages", ylabel="ms per query", title="Query time")
    left.legend(fontsize=7)
    mb = 2**20
    right.plot(sizes, [p["serving_rss_bytes"] / mb for p in points], "o-", label="serving peak RSS")
    right.plot(
        sizes, [(p["dense_bytes"] + p["bm25_bytes"]) / mb for p in points], "s--", label="size on disk"
    )
    right.set(xscale="log", yscale="log", xlabel="passages", ylabel="MiB", title="Memory and disk")
    right.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, format="svg")
    plt.close(fig)
