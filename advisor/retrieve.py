"""Retrieval: dense and BM25 candidates fused into one ranked list of passages, one hit per section."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from advisor.embed import Embedder
from advisor.errors import InvalidRequestError
from advisor.highlights import Highlight
from advisor.index import Index
from advisor.lexical import matched_words, terms
from advisor.passages import Section


@dataclass(frozen=True)
class Hit:
    """One cited passage and why it was found."""

    number: int  # the passage's place in the index
    passage: Section
    score: float
    dense_rank: int | None
    bm25_rank: int | None
    dense_score: float | None
    bm25_score: float | None
    window: tuple[int, int]
    matched_terms: tuple[str, ...]
    highlights: tuple[Highlight, ...] = ()
    reason: str | None = None  # why a next step is suggested


@dataclass(frozen=True)
class Results:
    """What one search found, with the evidence later stages need."""

    hits: list[Hit]
    vector: np.ndarray | None  # the question's embedding (None in bm25 mode)
    dense_best: float | None  # cosine similarity of the best window of any passage


@dataclass(frozen=True)
class Candidate:
    """A passage's place in one retriever's ranking."""

    rank: int
    score: float
    window: int = -1


Ranking = dict[int, Candidate]  # passage number -> its place


def rrf(dense: Ranking, lexical: Ranking, rrf_k: int) -> dict[int, float]:
    """Reciprocal rank fusion: each list adds 1 / (rrf_k + rank)."""
    fused: dict[int, float] = {}
    for ranking in (dense, lexical):
        for number, cand in ranking.items():
            fused[number] = fused.get(number, 0.0) + 1.0 / (rrf_k + cand.rank)
    return fused


FUSIONS: dict[str, Callable[[Ranking, Ranking, int], dict[int, float]]] = {
    "hybrid": rrf,
    "dense": lambda dense, _lexical, _k: {n: c.score for n, c in dense.items()},
    "bm25": lambda _dense, lexical, _k: {n: c.score for n, c in lexical.items()},
}
MODES = tuple(FUSIONS)


def check_mode(mode: str) -> str:
    if mode not in FUSIONS:
        raise InvalidRequestError(f"unknown mode {mode!r}; choose one of: {', '.join(FUSIONS)}")
    return mode


class Retriever:
    """Searches one loaded index with one embedder."""

    def __init__(self, index: Index, embedder: Embedder, *, candidates: int = 50, rrf_k: int = 60):
        self.index = index
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k
        self._guide_of = np.array([p.guide for p in index.passages])

    def search(self, question: str, *, k: int, mode: str = "hybrid", guide: str | None = None) -> Results:
        """The k best passages for a question, scores strictly decreasing."""
        check_mode(mode)
        allowed = None if guide is None else self._guide_of == guide
        n = max(self.candidates, 4 * k)
        vector = self.embedder.encode([question]) if mode != "bm25" else None
        dense = self.dense_ranking(vector, n, allowed) if vector is not None else {}
        lexical = self.bm25_ranking(question, n, allowed) if mode != "dense" else {}
        fused = FUSIONS[mode](dense, lexical, self.rrf_k)
        order = sorted(fused, key=lambda p: _tie_break(p, fused, dense, lexical))[:k]
        scores = strictly_decreasing([fused[p] for p in order])
        hits = [self.hit(p, s, question, dense, lexical) for p, s in zip(order, scores, strict=True)]
        best = max((c.score for c in dense.values()), default=None)
        return Results(hits, vector, best)

    def dense_ranking(self, vector: np.ndarray, n: int, allowed: np.ndarray | None) -> Ranking:
        """Passages by their best window's cosine similarity to the question's vector."""
        total = self.index.dense.ntotal
        if total == 0:
            return {}
        want = total if allowed is not None else min(total, 3 * n)
        sims, ids = self.index.dense.search(vector, want)
        ranking: Ranking = {}
        for sim, window in zip(sims[0], ids[0], strict=True):
            number = int(self.index.windows[window, 0])
            if window < 0 or number in ranking or (allowed is not None and not allowed[number]):
                continue
            ranking[number] = Candidate(len(ranking) + 1, float(sim), int(window))
            if len(ranking) == n:
                break
        return ranking

    def bm25_ranking(self, question: str, n: int, allowed: np.ndarray | None) -> Ranking:
        """Passages by BM25 score of the question's terms; passages sharing no term are left out."""
        query = terms(question)
        if not query:
            return {}
        scores = np.asarray(self.index.bm25.get_scores(query), dtype=np.float64)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:n]
        return {
            int(p): Candidate(rank, float(scores[p]))
            for rank, p in enumerate((p for p in top if scores[p] > 0), start=1)
        }

    def hit(
        self,
        number: int,
        score: float,
        question: str,
        dense: Ranking | None = None,
        lexical: Ranking | None = None,
    ) -> Hit:
        """Passage `number` as a hit, with what the rankings say about it."""
        passage = self.index.passages[number]
        d, b = (dense or {}).get(number), (lexical or {}).get(number)
        window = (0, len(passage.text))
        if d is not None:
            window = (int(self.index.windows[d.window, 1]), int(self.index.windows[d.window, 2]))
        return Hit(
            number=number,
            passage=passage,
            score=score,
            dense_rank=d.rank if d else None,
            bm25_rank=b.rank if b else None,
            dense_score=d.score if d else None,
            bm25_score=b.score if b else None,
            window=window,
            matched_terms=tuple(matched_words(question, passage.heading + "\n" + passage.text)),
        )


def _tie_break(number: int, fused: dict[int, float], dense: Ranking, lexical: Ranking) -> tuple:
    """Higher fused score first; on a tie the closer dense match, then BM25, then guide order."""
    d, b = dense.get(number), lexical.get(number)
    return (-fused[number], -(d.score if d else -2.0), -(b.score if b else 0.0), number)


def strictly_decreasing(scores: list[float], step: float = 1e-6) -> list[float]:
    """Nudge tied scores down by a hair so that order is carried by the scores themselves."""
    out: list[float] = []
    for score in scores:
        out.append(min(score, out[-1] - step) if out else score)
    return out
