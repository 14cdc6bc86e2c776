"""Confidence: whether the best passages really answer the question, or the guide does not cover it.

A semantic index always returns something. Two pieces of evidence tell a real answer from the nearest
unrelated passage:

- dense: cosine similarity of the question to the best-matching window of any passage;
- support: the share of the question's terms (weighted by inverse document frequency, so rare words
  count most and words the guides never use count fully against) found in the top passage.

A question is answered when dense alone is high, or dense is moderate and support is high. The
thresholds were calibrated on the dev split of eval/questions.jsonl (see eval/README.md and
`advisor eval`); they are settings so another corpus or model can be recalibrated.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    dense_alone: float  # answered on dense similarity alone at or above this
    dense_with_terms: float  # ... or at or above this when support is high too
    support: float  # the share of weighted question terms the top passage must hold


@dataclass(frozen=True)
class Evidence:
    dense: float | None
    support: float


class TermWeights:
    """Inverse document frequencies of the passages' terms."""

    def __init__(self, documents: Iterable[set[str]]) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for terms in documents:
            self.df.update(terms)
            self.n += 1

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))

    def support(self, query_terms: list[str], passage_terms: set[str]) -> float:
        """Share of the query's idf mass found in the passage (0 when the query has no terms)."""
        unique = set(query_terms)
        total = sum(self.idf(t) for t in unique)
        if total <= 0:
            return 0.0
        return sum(self.idf(t) for t in unique if t in passage_terms) / total


def is_answered(evidence: Evidence, thresholds: Thresholds) -> bool:
    if evidence.dense is None:  # BM25 alone: lexical support is all there is
        return evidence.support >= thresholds.support
    return evidence.dense >= thresholds.dense_alone or (
        evidence.dense >= thresholds.dense_with_terms and evidence.support >= thresholds.support
    )
