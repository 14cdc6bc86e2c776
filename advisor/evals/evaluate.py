"""Evaluation: questions asked through the advisor, scored one by one, summed up per kind."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any, Protocol

import numpy as np

from advisor.answer.advisor import Answer
from advisor.answer.confidence import Evidence
from advisor.evals.metrics import CUTOFF, first_relevant, metric_names, question_metrics
from advisor.evals.questions import KINDS, EvalQuestion


class Asks(Protocol):
    """What evals ask questions of: the `Advisor`, or a baseline answering the same way."""

    def ask(
        self, question: str, *, k: int | None = None, mode: str = ..., guide: str | None = None
    ) -> Answer: ...


NEXT_WITHIN = 3  # a roadmap question's next section counts when in next_steps or the top 3
Summary = dict[str, dict[str, Any]]  # group ("all" or a kind) -> metric -> value (None: not defined)


@dataclass(frozen=True)
class QuestionResult:
    """What the advisor returned for one question, and how good that was."""

    question: EvalQuestion
    ranking: tuple[str, ...]  # section keys, best first
    next_steps: tuple[str, ...]
    answered: bool
    seconds: float
    metrics: dict[str, float]  # empty for a question no section answers
    evidence: Evidence  # what `answered` was decided on

    @property
    def first_relevant(self) -> int | None:
        return first_relevant(self.ranking, self.question.relevant)

    @property
    def first_instead(self) -> str | None:
        """What came first when it was not a relevant section."""
        if not self.ranking or self.first_relevant == 1:
            return None
        return self.ranking[0]

    @property
    def next_found(self) -> bool | None:
        """For a roadmap question: is a section that comes next in next_steps or the top 3?"""
        if not self.question.next:
            return None
        shown = set(self.ranking[:NEXT_WITHIN]) | set(self.next_steps)
        return any(key in shown for key in self.question.next)


def depth(ks: Sequence[int]) -> int:
    """How many results to ask for so that every metric is defined."""
    return max(CUTOFF, *ks)


def run_questions(
    advisor: Asks,
    questions: Sequence[EvalQuestion],
    *,
    mode: str,
    ks: Sequence[int],
    progress: Callable[[int, int], None] | None = None,
) -> list[QuestionResult]:
    """Ask every question in one mode and score the answers; the first ask warms up untimed."""
    k = depth(ks)
    if questions:
        advisor.ask(questions[0].question, k=k, mode=mode)
    results = []
    for done, question in enumerate(questions, start=1):
        started = time.perf_counter()
        answer = advisor.ask(question.question, k=k, mode=mode)
        seconds = time.perf_counter() - started
        ranking = tuple(hit.section.key for hit in answer.results)
        results.append(
            QuestionResult(
                question=question,
                ranking=ranking,
                next_steps=tuple(hit.section.key for hit in answer.next_steps),
                answered=answer.answered,
                seconds=seconds,
                metrics=question_metrics(ranking, question.relevant, ks=ks) if question.answerable else {},
                evidence=answer.evidence,
            )
        )
        if progress:
            progress(done, len(questions))
    return results


def groups(results: Sequence[QuestionResult]) -> dict[str, list[QuestionResult]]:
    """All results, then the results of each kind (known kinds first, in their order)."""
    kinds = sorted({r.question.kind for r in results}, key=lambda k: (*KINDS, k).index(k))
    return {"all": list(results), **{kind: [r for r in results if r.question.kind == kind] for kind in kinds}}


def summarise(results: Sequence[QuestionResult], ks: Sequence[int]) -> Summary:
    """Mean metrics per group; ranking metrics over answerable questions, abstention over all."""
    summary = {}
    for name, members in groups(results).items():
        row = _ranking_row(members, ks)
        row["abstained"] = _mean(not r.answered for r in members)
        if name == "all":
            row.update(_abstention(members))
            row.update(_latency(members))
        summary[name] = row
    return summary


def _ranking_row(members: Sequence[QuestionResult], ks: Sequence[int]) -> dict[str, Any]:
    answerable = [r for r in members if r.question.answerable]
    row: dict[str, Any] = {"questions": len(members), "answerable": len(answerable)}
    for name in metric_names(ks):
        row[name] = _mean(r.metrics[name] for r in answerable)
    row[f"next@{NEXT_WITHIN}"] = _mean(r.next_found for r in members if r.next_found is not None)
    return row


def _abstention(members: Sequence[QuestionResult]) -> dict[str, Any]:
    """Off-topic questions should abstain (answered false): precision and recall of abstaining."""
    offtopic = {id(r) for r in members if not r.question.answerable}
    abstained = {id(r) for r in members if not r.answered}
    both = len(offtopic & abstained)
    return {
        "abstain precision": both / len(abstained) if abstained else None,
        "abstain recall": both / len(offtopic) if offtopic else None,
        "on-topic abstained": _mean(not r.answered for r in members if r.question.answerable),
    }


def _latency(members: Sequence[QuestionResult]) -> dict[str, Any]:
    ms = np.array([r.seconds * 1000 for r in members]) if members else None
    return {
        "latency p50 ms": float(np.percentile(ms, 50)) if ms is not None else None,
        "latency p95 ms": float(np.percentile(ms, 95)) if ms is not None else None,
    }


def _mean(values: Iterable[float | bool]) -> float | None:
    values = [float(v) for v in values]
    return fmean(values) if values else None
