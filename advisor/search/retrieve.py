"""Retrieval: dense and BM25 candidates fused into one ranked list of passages, one hit per section."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from advisor.errors import IndexCorruptError, InvalidRequestError
from advisor.guides.sections import Section
from advisor.index import ann
from advisor.index.embed import Embedder
from advisor.index.format import Index
from advisor.index.texts import bm25_text
from advisor.language.terms import content_terms, matched_in, terms
from advisor.search.fusion import FUSIONS, SINGLE, Candidate, Ranking, Rankings
from advisor.search.headings import Headings
from advisor.search.modes import MODES
from advisor.search.sentences import Highlight, Sentences, segment_max, segments
from advisor.settings import Settings


@dataclass(frozen=True)
class Hit:
    """One cited passage and why it was found."""

    number: int  # the passage's place in the index
    section: Section
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
    """What one search found, with what later stages need."""

    hits: list[Hit]
    vector: np.ndarray | None  # the question's embedding (None in bm25 mode)
    dense_best: float | None  # cosine similarity of the best window of any passage
    # each dense candidate's closest sentence (by passage number; none without sentence vectors), so a
    # later stage can take the best overall or within one guide
    closest: dict[int, float] = dataclasses.field(default_factory=dict)


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise InvalidRequestError(f"unknown mode {mode!r}; choose one of: {', '.join(MODES)}")
    return mode


class Retriever:
    """Searches one loaded index with one embedder."""

    def __init__(self, index: Index, embedder: Embedder, settings: Settings) -> None:
        if settings.fusion not in FUSIONS:
            known = ", ".join(FUSIONS)
            raise InvalidRequestError(f"unknown fusion {settings.fusion!r}; choose one of: {known}")
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.headings = Headings(index.heading_vectors)
        self.sentences = Sentences(index.sentences, index.sentence_vectors)
        guide_of = np.array([p.guide for p in index.passages])
        self._window_passage = np.asarray(index.windows[:, 0])
        # windows are stored passage by passage: passage p owns rows _bounds[p] to _bounds[p + 1]
        self._bounds = np.searchsorted(self._window_passage, np.arange(len(index.passages) + 1))
        self._passages_of = spans(guide_of)  # guide -> [start, end) of its passages
        self._windows_of = spans(guide_of[self._window_passage])  # ... and of its windows
        self._terms: dict[int, frozenset[str]] = {}  # passage number -> its BM25 terms, filled on use

    def search(self, question: str, *, k: int, mode: str = "hybrid", guide: str | None = None) -> Results:
        """The k best passages for a question, scores strictly decreasing."""
        check_mode(mode)
        n = max(self.settings.candidates, 4 * k)
        vector = self.embedder.encode([question]) if mode != "bm25" else None
        bm25 = self.bm25_scores(question, guide) if mode != "dense" else np.zeros(len(self.index.passages))
        ranked = self._dense_ranking(vector, n, guide) if vector is not None else {}
        lexical = self._top(bm25, n)
        # every candidate's closeness, once: the dense ranking is ordered by it and fusion scores by it
        union = sorted(ranked.keys() | lexical.keys())
        sentences = self._sentence_scores(vector, union)
        closeness = dict(zip(union, self._lifted_scores(vector, union, sentences).tolist(), strict=True))
        rankings = Rankings(
            dense=_reordered(ranked, closeness),
            lexical=lexical,
            dense_scores=lambda numbers: np.array([closeness[p] for p in numbers], dtype=np.float64),
            bm25_scores=bm25,
        )
        fusion = FUSIONS[self.settings.fusion]
        fused = SINGLE[mode](rankings) if mode in SINGLE else fusion(rankings, self.settings)
        dense, lexical = rankings.dense, rankings.lexical
        near = _nearness(dense, lexical)
        order = sorted(fused, key=lambda p: _tie_break(p, fused, near, dense, lexical))[:k]
        scores = strictly_decreasing([fused[p] for p in order])
        hits = [self.hit(p, s, question, dense, lexical) for p, s in zip(order, scores, strict=True)]
        best = max((c.score for c in dense.values()), default=None)
        candidate = np.isin(np.asarray(union, dtype=np.int64), np.asarray(list(ranked), dtype=np.int64))
        numbers = np.asarray(union, dtype=np.int64)[candidate].tolist()
        found = sentences[candidate]
        closest = {p: float(s) for p, s in zip(numbers, found.tolist(), strict=True) if s == s}
        return Results(hits, vector, best, closest)

    def dense_ranking(self, question: str, n: int, guide: str | None = None) -> Ranking:
        """Passages by their best window's cosine similarity to the question."""
        return self._dense_ranking(self.embedder.encode([question]), n, guide)

    def _dense_ranking(self, vector: np.ndarray, n: int, guide: str | None) -> Ranking:
        within = None if guide is None else self._windows_of.get(guide, (0, 0))
        total = self.index.dense.ntotal if within is None else within[1] - within[0]
        if total == 0:
            return {}
        sims, ids = ann.search(self.index.dense, vector, min(total, 3 * n), within=within)
        found = ids[0] >= 0
        windows, sims = ids[0][found], sims[0][found]
        ranking: Ranking = {}
        for number, sim, window in zip(
            self._window_passage[windows].tolist(), sims.tolist(), windows.tolist(), strict=True
        ):
            if number not in ranking:
                ranking[number] = Candidate(len(ranking) + 1, sim, window)
                if len(ranking) == n:
                    break
        return ranking

    def _lifted_scores(
        self, vector: np.ndarray | None, numbers: list[int], sentences: np.ndarray
    ) -> np.ndarray:
        """What the dense ranking orders each passage by: its closeness, lifted by its heading's."""
        closeness = self._dense_scores(vector, numbers, sentences)
        return self.headings.lifted(numbers, closeness, vector, self.settings.heading_weight)

    def _dense_scores(
        self, vector: np.ndarray | None, numbers: list[int], sentences: np.ndarray
    ) -> np.ndarray:
        """Each passage's closeness to the question vector: its best window's cosine similarity, with
        `sentence_share` of its closest sentence's (`sentences`) mixed in (the window's alone where NaN)."""
        windows = self._window_scores(vector, numbers)
        share = self.settings.sentence_share
        mixed = (1 - share) * windows + share * sentences
        return np.where(np.isnan(sentences), windows, mixed)

    def _sentence_scores(self, vector: np.ndarray | None, numbers: list[int]) -> np.ndarray:
        """Cosine similarity of each passage's closest sentence (NaN without sentence vectors)."""
        if vector is None or not numbers:
            return np.full(len(numbers), np.nan)
        return self.sentences.closest(vector, numbers)

    def _window_scores(self, vector: np.ndarray | None, numbers: list[int]) -> np.ndarray:
        """Cosine similarity of each passage's best window to the question vector."""
        if vector is None or not numbers:
            return np.zeros(len(numbers))
        rows, lengths = segments(self._bounds, np.asarray(numbers, dtype=np.int64))
        return segment_max(self.index.dense.reconstruct_batch(rows) @ vector[0], lengths)

    def bm25_ranking(self, question: str, n: int, guide: str | None = None) -> Ranking:
        """Passages by BM25 score of the question's terms; passages sharing no term are left out."""
        return self._top(self.bm25_scores(question, guide), n)

    def bm25_scores(self, question: str, guide: str | None = None) -> np.ndarray:
        """Every passage's BM25 score for the question's content words (question words such as "what",
        "does", "how" would match FAQ headings phrased as questions); 0 outside the guide, if given."""
        query = content_terms(question)
        if not query:
            return np.zeros(len(self.index.passages))
        scores = np.asarray(self.index.bm25.get_scores(query), dtype=np.float64)
        if guide is not None:
            start, end = self._passages_of.get(guide, (0, 0))
            scores[:start] = 0.0
            scores[end:] = 0.0
        return scores

    @staticmethod
    def _top(scores: np.ndarray, n: int) -> Ranking:
        return {
            int(p): Candidate(rank, float(scores[p]))
            for rank, p in enumerate(top_positive(scores, n).tolist(), start=1)
        }

    def passage_terms(self, number: int) -> frozenset[str]:
        """The BM25 terms of a passage, computed once."""
        found = self._terms.get(number)
        if found is None:
            found = self._terms[number] = frozenset(terms(bm25_text(self.index.passages[number])))
        return found

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
            section=passage,
            score=score,
            dense_rank=d.rank if d else None,
            bm25_rank=b.rank if b else None,
            dense_score=d.score if d else None,
            bm25_score=b.score if b else None,
            window=window,
            matched_terms=tuple(matched_in(question, self.passage_terms(number))),
        )


def spans(labels: np.ndarray) -> dict[str, tuple[int, int]]:
    """[start, end) of each label in an array where every label's rows are consecutive."""
    names, first, counts = np.unique(labels, return_index=True, return_counts=True)
    out = {str(name): (int(f), int(f + c)) for name, f, c in zip(names, first, counts, strict=True)}
    if any(len(set(labels[start:end].tolist())) != 1 for start, end in out.values()):
        raise IndexCorruptError("the passages of a guide are not stored together; rebuild the index")
    return out


def top_positive(scores: np.ndarray, n: int) -> np.ndarray:
    """Positions of the n highest positive scores, best first, ties in position order.

    The same positions, in the same order, as a stable argsort of all scores cut to n, but without
    sorting every document: at a million passages that sort alone would take longer than the query.
    """
    hits = np.flatnonzero(scores > 0)
    values = scores[hits]
    if len(hits) > n:
        kth = np.partition(values, len(values) - n)[len(values) - n]  # the n-th highest score
        above = np.flatnonzero(values > kth)
        tied = np.flatnonzero(values == kth)[: n - len(above)]
        chosen = np.sort(np.concatenate([above, tied]))
        hits, values = hits[chosen], values[chosen]
    return hits[np.argsort(-values, kind="stable")]


def _reordered(ranking: Ranking, closeness: dict[int, float]) -> Ranking:
    """The dense candidates ranked by what fusion scores them by (closeness lifted by the heading);
    each keeps its best window and that window's cosine."""
    order = sorted(ranking, key=lambda p: (-closeness[p], p))
    return {p: dataclasses.replace(ranking[p], rank=rank) for rank, p in enumerate(order, start=1)}


def _tie_break(
    number: int, fused: dict[int, float], near: dict[int, float], dense: Ranking, lexical: Ranking
) -> tuple:
    """Higher fused score first; on a tie (RRF ranks 1 + 2 and 2 + 1 tie exactly) the passage nearer to
    both lists' best scores, then the closer dense match, then BM25, then guide order."""
    d, b = dense.get(number), lexical.get(number)
    return (
        -fused[number],
        -near.get(number, 0.0),
        -(d.score if d else -2.0),
        -(b.score if b else 0.0),
        number,
    )


def _nearness(dense: Ranking, lexical: Ranking) -> dict[int, float]:
    """Each candidate's scores min-max scaled over each list's candidates, added."""
    near: dict[int, float] = {}
    for ranking in (dense, lexical):
        if not ranking:
            continue
        low, high = min(c.score for c in ranking.values()), max(c.score for c in ranking.values())
        for number, cand in ranking.items():
            near[number] = near.get(number, 0.0) + (cand.score - low) / ((high - low) or 1.0)
    return near


def strictly_decreasing(scores: list[float], step: float = 1e-6) -> list[float]:
    """Nudge tied scores down by a hair so that order is carried by the scores themselves."""
    out: list[float] = []
    for score in scores:
        out.append(min(score, out[-1] - step) if out else score)
    return out
