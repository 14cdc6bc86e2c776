"""Confidence: whether the passages found really answer the question, or the guide does not cover it.

A semantic index always returns something. Two pieces of evidence tell a real answer from the nearest
unrelated passage:

- dense: cosine similarity of the question to the closest sentence of any passage (a question is
  answered by a sentence; the windows retrieval ranks by hold several, which dilute it);
- coverage: the share of the question's content words (stop words dropped; each weighted by inverse
  document frequency, so rare words count most and words the guides never use count most against)
  that occur anywhere in the guides. "nurse salary" has a guide word (salary) and a foreign one.

A question is answered when it asks about a place in a guide's order alone ("what's the first step"),
or else when either is high enough and the nearest questions the site owner confirmed do not mostly say
that no guide covers it (advisor/answer/confirmed.py): other careers and near-career questions sound
as close to the guide as real questions do, by both measures, but closer still to one another.
The thresholds were chosen by `advisor calibrate` (advisor/evals/calibration.py) on the dev split of
the real questions (eval/real/) with the bundled model: the pair with the most off-topic questions
abstaining while at most 3% of on-topic ones do (eval/README.md has the figures). They are settings,
so another corpus or model is recalibrated the same way.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Set
from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    dense: float  # answered when the closest sentence's cosine similarity reaches this ...
    coverage: float  # ... or when this share of the question's weighted content words is in the guides


@dataclass(frozen=True)
class Evidence:
    dense: float | None  # None in bm25 mode: no embedding was made
    coverage: float
    place: bool = False  # it asks about a place in a guide's order alone ("what's the first step")
    # the share of the nearest confirmed questions' votes saying no guide covers it (answer/confirmed.py);
    # None when none is close enough to vote
    not_covered: float | None = None


class TermWeights:
    """Inverse document frequencies of the passages' terms."""

    def __init__(self, documents: Iterable[Set[str]]) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for terms in documents:
            self.df.update(terms)
            self.n += 1

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))

    def coverage(self, query_terms: Iterable[str]) -> float:
        """Share of the query's idf mass made of terms the passages use (0 for a query with none)."""
        unique = set(query_terms)
        total = sum(self.idf(t) for t in unique)
        if total <= 0:
            return 0.0
        return sum(self.idf(t) for t in unique if t in self.df) / total


NOT_COVERED_MAJORITY = 0.5  # more than this share of the confirmed votes turns a question away


def is_answered(evidence: Evidence, thresholds: Thresholds) -> bool:
    if evidence.place:  # it names a place in the guide's own order: the guide is what it is about
        return True
    if evidence.not_covered is not None and evidence.not_covered > NOT_COVERED_MAJORITY:
        return False
    dense_ok = evidence.dense is not None and evidence.dense >= thresholds.dense
    return dense_ok or evidence.coverage >= thresholds.coverage
