"""Evals: plain dense retrieval, the baseline every mechanism has to beat.

Sections ranked by their best window's cosine to the question as typed, and nothing else: no spelling,
synonyms, roadmap, heading lift, sentence scores, BM25 or abstention (it always answers).
"""

from __future__ import annotations

from advisor.answer.advisor import Advisor, Answer
from advisor.answer.confidence import Evidence

PLAIN = "plain"


class PlainDense:
    """Answers like an `Advisor` does, from the same index and model, by dense similarity alone."""

    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor

    def ask(
        self, question: str, *, k: int | None = None, mode: str = PLAIN, guide: str | None = None
    ) -> Answer:
        retriever = self.advisor.retriever
        ranking = retriever.dense_ranking(question, k or self.advisor.default_k, guide)
        order = sorted(ranking, key=lambda number: ranking[number].rank)
        hits = tuple(retriever.hit(n, ranking[n].score, question, ranking) for n in order)
        best = ranking[order[0]].score if order else None
        return Answer(
            question=question,
            answered=bool(hits),
            results=hits,
            next_steps=(),
            index_version=self.advisor.index.version,
            model=self.advisor.index.manifest.model,
            mode=PLAIN,
            evidence=Evidence(dense=best, coverage=1.0),
        )
