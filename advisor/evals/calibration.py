"""Calibration: the abstention thresholds (advisor/answer/confidence.py) and the floor of the confirmed
questions' vote (advisor/answer/confirmed.py) that best tell off-topic questions from on-topic ones,
chosen together on labelled questions.

Each question is asked once per floor on a grid, with the confirmations of its own source left out
(evals/leave_out.py), and every pair on a grid of (dense, coverage) thresholds is tried on its evidence.
Kept: the choices with at most `max_on_topic` of on-topic questions abstaining; chosen among them: the
one with the most off-topic questions abstaining, then the fewest on-topic ones, then the highest floor
(the fewest, closest votes), then the middle of the threshold pairs still tied (a plateau's centre
moves least when the questions change). The two are chosen together because either alone can spend
the whole on-topic allowance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from advisor.answer.advisor import Advisor
from advisor.answer.confidence import Evidence, Thresholds, is_answered
from advisor.evals.leave_out import LeaveSourceOut
from advisor.evals.questions import EvalQuestion

DENSE_GRID = tuple(round(float(x), 2) for x in np.arange(0.20, 0.701, 0.01))
# 2.0: a share never reaches it, so only similarity decides
COVERAGE_GRID = (*(round(float(x), 2) for x in np.arange(0.40, 1.001, 0.05)), 2.0)
FLOOR_GRID = tuple(round(float(x), 2) for x in np.arange(0.40, 0.951, 0.05))
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
    min_similarity: float | None = None  # the vote's floor (None: the advisor has no confirmed questions)


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


def floor_samples(
    advisor: Advisor,
    questions: Sequence[EvalQuestion],
    floors: Sequence[float | None] = FLOOR_GRID,
    progress: Callable[[int, int], None] | None = None,
) -> dict[float | None, list[Sample]]:
    """Each question's evidence at each floor of the vote (None: the advisor's own), its own source's
    confirmations left out (the advisor must have no answer cache)."""
    out: dict[float | None, list[Sample]] = {}
    for step, floor in enumerate(floors):
        asker = LeaveSourceOut(advisor, min_similarity=floor)
        out[floor] = [Sample(asker.ask(q.question, k=1).evidence, q.answerable) for q in questions]
        if progress:
            progress((step + 1) * len(questions), len(floors) * len(questions))
    return out


def calibrate(
    samples: Mapping[float | None, Sequence[Sample]], *, max_on_topic: float = MAX_ON_TOPIC
) -> list[Choice]:
    """Thresholds and floor together, best first (the first is the one to choose): each floor's
    candidates, merged (a stable sort keeps each floor's own order among ties)."""
    merged = [
        Choice(c.thresholds, c.rates, floor)
        for floor, found in samples.items()
        for c in candidates(found, max_on_topic=max_on_topic)
    ]
    return sorted(
        merged,
        key=lambda c: (-(c.rates.off_topic or 0.0), c.rates.on_topic or 0.0, -(c.min_similarity or 0.0)),
    )


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
    voted = ordered[0].min_similarity is not None
    lines += [
        f"ADVISOR_ANSWER_MIN_DENSE={best.dense:.2f}",
        f"ADVISOR_ANSWER_MIN_COVERAGE={best.coverage:.2f}",
    ]
    if voted:
        lines.append(f"ADVISOR_CONFIRMED_MIN_SIMILARITY={ordered[0].min_similarity:.2f}")
    lines += [
        "",
        "dense  coverage" + ("  floor" if voted else "") + "  off-topic abstaining  on-topic abstaining",
    ]
    for choice in ordered[:shown]:
        t, r = choice.thresholds, choice.rates
        floor = f"  {choice.min_similarity:5.2f}" if choice.min_similarity is not None else ""
        lines.append(
            f"{t.dense:5.2f}  {t.coverage:8.2f}{floor}  {_share(r.off_topic):>20}  {_share(r.on_topic):>19}"
        )
    if voted:
        lines.append("(each question asked without the confirmed questions of its own source)")
    if held_out is not None:
        others = "the test questions (held out)" if split == "dev" else "the other questions"
        lines.append(
            f"\n{others} with the first choice: {_share(held_out.off_topic)} of "
            f"off-topic and {_share(held_out.on_topic)} of on-topic questions abstain"
        )
    return "\n".join(lines) + "\n"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"
