"""Comparisons: two eval reports side by side, per-question changes and metric deltas with confidence."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from advisor.errors import EvalDataError

RESAMPLES = 10_000
SEED = 0
ABSTAIN_OFFTOPIC = "abstained (off-topic)"
ABSTAIN_ONTOPIC = "abstained (on-topic)"


def load_report(path: Path) -> dict[str, Any]:
    """A report written by `advisor eval`, or EvalDataError saying why it is not one."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalDataError(f"{path}: report not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvalDataError(f"{path}: not a readable JSON report ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("modes"), dict) or not doc["modes"]:
        raise EvalDataError(f"{path}: not an eval report (no 'modes'); write one with `advisor eval --out`")
    return doc


def mode_pairs(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The modes to compare: those in both reports, or the only mode of each."""
    common = [mode for mode in new["modes"] if mode in old["modes"]]
    if common:
        return [(mode, mode) for mode in common]
    if len(old["modes"]) == 1 and len(new["modes"]) == 1:
        return [(next(iter(old["modes"])), next(iter(new["modes"])))]
    raise EvalDataError("the two reports share no mode; run both with the same --mode")


def compare(
    old: Mapping[str, Any], new: Mapping[str, Any], *, resamples: int = RESAMPLES, seed: int = SEED
) -> list[dict[str, Any]]:
    """Per mode pair: metric deltas (new - old) with paired bootstrap 95% intervals, and what changed."""
    out = []
    for old_mode, new_mode in mode_pairs(old, new):
        before = {q["id"]: q for q in old["modes"][old_mode]["questions"]}
        after = {q["id"]: q for q in new["modes"][new_mode]["questions"]}
        shared = [qid for qid in after if qid in before]
        out.append(
            {
                "old_mode": old_mode,
                "new_mode": new_mode,
                "questions": len(shared),
                "metrics": _deltas(before, after, shared, resamples, seed),
                "better": [_change(before[i], after[i]) for i in shared if _moved(before[i], after[i]) > 0],
                "worse": [_change(before[i], after[i]) for i in shared if _moved(before[i], after[i]) < 0],
                "only_old": sorted(set(before) - set(after)),
                "only_new": sorted(set(after) - set(before)),
            }
        )
    return out


def _per_question(before: Mapping, after: Mapping, shared: Sequence[str]) -> dict[str, tuple[list, list]]:
    """metric -> (old values, new values) over the questions where it is defined in both reports."""
    values: dict[str, tuple[list, list]] = {}
    for qid in shared:
        old_q, new_q = before[qid], after[qid]
        for name, value in new_q["metrics"].items():
            if name in old_q["metrics"]:
                pair = values.setdefault(name, ([], []))
                pair[0].append(old_q["metrics"][name])
                pair[1].append(value)
        name = ABSTAIN_ONTOPIC if new_q["metrics"] else ABSTAIN_OFFTOPIC
        pair = values.setdefault(name, ([], []))
        pair[0].append(float(not old_q["answered"]))
        pair[1].append(float(not new_q["answered"]))
    return values


def _deltas(before: Mapping, after: Mapping, shared: Sequence[str], resamples: int, seed: int) -> list[dict]:
    rows = []
    for name, (old_values, new_values) in _per_question(before, after, shared).items():
        old_arr, new_arr = np.array(old_values, float), np.array(new_values, float)
        low, high = bootstrap_interval(new_arr - old_arr, resamples=resamples, seed=seed)
        rows.append(
            {
                "metric": name,
                "n": len(old_arr),
                "old": float(old_arr.mean()),
                "new": float(new_arr.mean()),
                "delta": float((new_arr - old_arr).mean()),
                "low": low,
                "high": high,
            }
        )
    return rows


def bootstrap_interval(deltas: np.ndarray, *, resamples: int, seed: int) -> tuple[float, float]:
    """95% percentile interval of the mean of paired deltas, resampling questions with replacement."""
    if len(deltas) == 0:
        return (math.nan, math.nan)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(deltas), size=(resamples, len(deltas)))
    means = deltas[picks].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def _moved(old_q: Mapping[str, Any], new_q: Mapping[str, Any]) -> int:
    """+1 when the question got better, -1 when worse, 0 when unchanged."""
    if not new_q["metrics"]:  # a question no section answers is better off abstaining
        return int(old_q["answered"]) - int(new_q["answered"])
    old_rank, new_rank = old_q["first_relevant"] or math.inf, new_q["first_relevant"] or math.inf
    if old_rank != new_rank:
        return (old_rank > new_rank) - (old_rank < new_rank)
    return int(new_q["answered"]) - int(old_q["answered"])  # ... and one some section answers is not


def _change(old_q: Mapping[str, Any], new_q: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": new_q["id"],
        "question": new_q.get("question", ""),
        "kind": new_q["kind"],
        "old": _outcome(old_q),
        "new": _outcome(new_q),
    }


def _outcome(q: Mapping[str, Any]) -> str:
    if not q["metrics"]:
        return "answered" if q["answered"] else "abstained"
    found = f"first relevant at {q['first_relevant']}" if q["first_relevant"] else "not found"
    return found if q["answered"] else f"{found}, abstained"


def comparison_markdown(comparisons: Sequence[Mapping[str, Any]], *, old_name: str, new_name: str) -> str:
    """The comparison as Markdown (also readable in a terminal)."""
    lines = [f"# {new_name} against {old_name}"]
    for c in comparisons:
        modes = c["new_mode"] if c["old_mode"] == c["new_mode"] else f"{c['old_mode']} → {c['new_mode']}"
        lines += [
            "",
            f"## {modes}: {c['questions']} questions in both",
            "",
            "| metric | n | old | new | delta | 95% interval | |",
            "|---|---:|---:|---:|---:|---|---|",
        ]
        for m in c["metrics"]:
            lines.append(
                f"| {m['metric']} | {m['n']} | {m['old']:.3f} | {m['new']:.3f} | {m['delta']:+.3f} | "
                f"[{m['low']:+.3f}, {m['high']:+.3f}] | {_verdict(m)} |"
            )
        for label in ("better", "worse"):
            lines += ["", f"{label.capitalize()} ({len(c[label])}):"]
            lines += [f"- {x['id']} ({x['kind']}){_text(x)}: {x['old']} → {x['new']}" for x in c[label]]
        if c["only_old"] or c["only_new"]:
            only = f"only in the old report: {len(c['only_old'])}; only in the new: {len(c['only_new'])}"
            lines += ["", f"Questions {only}."]
    return "\n".join(lines) + "\n"


def _text(change: Mapping[str, Any]) -> str:
    return f" {change['question']}" if change["question"] else ""


def _verdict(metric: Mapping[str, Any]) -> str:
    """Whether the interval excludes zero; for abstention on on-topic questions, up is worse."""
    if not metric["low"] > 0 and not metric["high"] < 0:
        return "within noise"
    up_is_good = metric["metric"] != ABSTAIN_ONTOPIC
    return "better" if (metric["low"] > 0) == up_is_good else "worse"
