"""Fusion: the dense and BM25 rankings of one question merged into one score per section."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from advisor.settings import Settings


@dataclass(frozen=True)
class Candidate:
    """A passage's place in one retriever's ranking."""

    rank: int
    score: float
    window: int = -1


Ranking = dict[int, Candidate]  # passage number -> its place


@dataclass(frozen=True)
class Rankings:
    """What fusion may use for one question: each retriever's candidates, and every passage's scores."""

    dense: Ranking
    lexical: Ranking
    # what the dense ranking orders by, for each given passage: its best window's cosine, heading-lifted
    dense_scores: Callable[[list[int]], np.ndarray]
    bm25_scores: np.ndarray  # BM25 score of every passage (0 where no term matches)


def rrf(dense: Ranking, lexical: Ranking, rrf_k: int, full_vote: float) -> dict[int, float]:
    """Reciprocal rank fusion: each list adds weight / (rrf_k + rank). BM25's weight is its best score
    over `full_vote`, at most 1: BM25 evidence that weak (only words found in most sections match, such
    as "backend engineer" in "what does a backend engineer do") ranks sections almost at random."""
    best = max((c.score for c in lexical.values()), default=0.0)
    fused: dict[int, float] = {}
    for ranking, weight in ((dense, 1.0), (lexical, min(1.0, best / full_vote))):
        for number, cand in ranking.items():
            fused[number] = fused.get(number, 0.0) + weight / (rrf_k + cand.rank)
    return fused


def zscore(rankings: Rankings) -> dict[int, float]:
    """z-score fusion: each retriever's scores standardised over the same candidates, then added.

    Unlike RRF it keeps how far apart the scores are, not only their order. Every candidate of
    either list is scored by both retrievers (a BM25 score of 0 is a real score), so none is ranked
    on a guess.
    """
    union = sorted(rankings.dense.keys() | rankings.lexical.keys())
    if not union:
        return {}
    total = standardised(rankings.dense_scores(union)) + standardised(rankings.bm25_scores[union])
    return dict(zip(union, total.tolist(), strict=True))


# Convex combination (Bruch, Gai and Ingber, "An Analysis of Fusion Functions for Hybrid Retrieval", ACM
# TOIS 2023): each retriever's scores min-max scaled over the same candidates, then dense_share x dense +
# the rest x BM25. Unlike RRF it keeps how far ahead a retriever's best is: a passage that dense ranks
# first by a wide margin is not overtaken by one that both lists merely rank fairly high, and a BM25 list
# made of incidental words ("lots", "last year") moves little.
def convex(rankings: Rankings, dense_share: float) -> dict[int, float]:
    """Convex combination of min-max scaled dense and BM25 scores over every candidate of either list.

    BM25's floor is its own zero (no term matches), not the lowest candidate's score."""
    union = sorted(rankings.dense.keys() | rankings.lexical.keys())
    if not union:
        return {}
    dense = rankings.dense_scores(union)
    low, high = float(dense.min()), float(dense.max())
    dense = (dense - low) / ((high - low) or 1.0)
    bm25 = rankings.bm25_scores[union]
    top = float(bm25.max())
    total = dense_share * dense + (1 - dense_share) * (bm25 / top if top > 0 else bm25)
    return dict(zip(union, total.tolist(), strict=True))


def standardised(scores: np.ndarray) -> np.ndarray:
    spread = float(scores.std())
    return (scores - scores.mean()) / (spread if spread > 0 else 1.0)


FUSIONS: dict[str, Callable[[Rankings, Settings], dict[int, float]]] = {
    "rrf": lambda rankings, s: rrf(rankings.dense, rankings.lexical, s.rrf_k, s.lexical_full_vote),
    "zscore": lambda rankings, _s: zscore(rankings),
    "convex": lambda rankings, s: convex(rankings, s.dense_share),
}


def dense_closeness(rankings: Rankings) -> dict[int, float]:
    """Dense mode: the dense candidates by what fusion scores them by (heading-lifted closeness)."""
    numbers = list(rankings.dense)
    return dict(zip(numbers, rankings.dense_scores(numbers).tolist(), strict=True))


SINGLE: dict[str, Callable[[Rankings], dict[int, float]]] = {
    "dense": dense_closeness,
    "bm25": lambda rankings: {p: c.score for p, c in rankings.lexical.items()},
}
# MODES (advisor/search/modes.py) is "hybrid" and the SINGLE modes; tests/test_retrieve.py checks it
