"""Calibration: the abstention thresholds (advisor/answer/confidence.py) that best tell off-topic questions
from on-topic ones, chosen on labelled questions.

Every pair on a grid of (dense, coverage) thresholds is tried on the questions' evidence. Kept: the
pairs with at most `max_on_topic` of on-topic questions abstaining; chosen among them: the one with the
most off-topic questions abstaining, then the fewest on-topic ones, then the middle of the pairs still
tied (a plateau's centre moves least when the questions change).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from advisor.answer.confidence import Evidence, Thresholds, is_answered

DENSE_GRID = tuple(round(float(x), 2) for x in np.arange(0.20, 0.701, 0.01))
# 2.0: a share never reaches it, so only similarity decides
COVERAGE_GRID = (*(round(float(x), 2) for x in np.arange(0.40, 1.001, 0.05)), 2.0)
MAX_ON_TOPIC = 0.02  # the ceiling on on-topic questions abstaining


@dataclass(frozen=True)
class Sample:
    evidence: Evidence
    answerable: bool  # False for an off-topic question: it should abstain


@dataclass(frozen=True)
class Rates:
    off_topic: float | None  # share of off-topic questions abstaining (None: there are none)
    on_topic: float | None  # share of on-topic questions abstaining


@dataclass(frozen=True)
class Choice:
    thresholds: Thresholds
    rates: Rates


def rates(samples: Sequence[Sample], thresholds: Thresholds) -> Rates:
    """How many off-topic and on-topic questions these thresholds leave unanswered."""
    off = [not is_answered(s.evidence, thresholds) for s in samples if not s.answerable]
    on = [not is_answered(s.evidence, thresholds) for s in samples if s.answerable]
    return Rates(sum(off) / len(off) if off else None, sum(on) / len(on) if on else None)


def candidates(
    samples: Sequence[Sample],
    *,
    max_on_topic: float = MAX_ON_TOPIC,
    dense_grid: Sequence[float] = DENSE_GRID,
    coverage_grid: Sequence[float] = COVERAGE_GRID,
) -> list[Choice]:
    """The grid's pairs within the on-topic ceiling, best first (the first is the one to choose)."""
    ties: dict[tuple[float, float], list[Choice]] = defaultdict(list)
    for dense in dense_grid:
        for coverage in coverage_grid:
            thresholds = Thresholds(dense=dense, coverage=coverage)
            found = rates(samples, thresholds)
            if (found.on_topic or 0.0) <= max_on_topic + 1e-9:
                # best first: most off-topic questions abstaining, then fewest on-topic
                ties[(-(found.off_topic or 0.0), found.on_topic or 0.0)].append(Choice(thresholds, found))
    ordered = []
    for key in sorted(ties):
        tied = ties[key]  # in grid order
        middle = len(tied) // 2
        ordered += [tied[i] for i in sorted(range(len(tied)), key=lambda i: abs(i - middle))]
    return ordered


def describe(
    ordered: Sequence[Choice],
    *,
    split: str,
    held_out: Rates | None,
    counts: tuple[int, int],
    shown: int = 5,
) -> str:
    """The choice as settings to set, with what it does on the questions and on the held-out ones."""
    off_n, on_n = counts
    lines = [f"calibrated on {off_n + on_n} {split} questions ({off_n} off-topic, {on_n} on-topic)"]
    if not ordered:
        lines.append("no threshold pair keeps on-topic abstaining under the ceiling (--max-on-topic)")
        return "\n".join(lines) + "\n"
    best = ordered[0].thresholds
    lines += [
        f"ADVISOR_ANSWER_MIN_DENSE={best.dense:.2f}",
        f"ADVISOR_ANSWER_MIN_COVERAGE={best.coverage:.2f}",
        "",
        "dense  coverage  off-topic abstaining  on-topic abstaining",
    ]
    for choice in ordered[:shown]:
        t, r = choice.thresholds, choice.rates
        lines.append(
            f"{t.dense:5.2f}  {t.coverage:8.2f}  {_share(r.off_topic):>20}  {_share(r.on_topic):>19}"
        )
    if held_out is not None:
        others = "the test questions (held out)" if split == "dev" else "the other questions"
        lines.append(
            f"\n{others} with the first pair: {_share(held_out.off_topic)} of "
            f"off-topic and {_share(held_out.on_topic)} of on-topic questions abstain"
        )
    return "\n".join(lines) + "\n"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"
