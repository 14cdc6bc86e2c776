"""Answers: a question turned into cited passages, with next steps, highlights and an honest "no"."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from advisor.answer.confidence import Evidence, TermWeights, Thresholds, is_answered
from advisor.answer.confirmed import Votes
from advisor.answer.highlights import asks_pay, pick
from advisor.answer.next_steps import follow, named_sections
from advisor.errors import IndexStaleError, InvalidRequestError, NotFoundError
from advisor.guides.roadmap import Roadmap
from advisor.guides.sections import Guide, Section
from advisor.index.embed import Embedder, SentenceEmbedder
from advisor.index.format import Index
from advisor.index.load import load_index
from advisor.index.texts import bm25_text
from advisor.language.lexicon import english_words
from advisor.language.spelling import Speller
from advisor.language.terms import TOKEN, content_terms
from advisor.search.retrieve import Hit, Results, Retriever, check_mode
from advisor.settings import Settings, defaults
from advisor.understand.query import Query, clean_question, understand


@dataclass(frozen=True)
class Answer:
    """What the advisor says to one question: cited passages, nothing generated."""

    question: str
    answered: bool
    results: tuple[Hit, ...]
    next_steps: tuple[Hit, ...]
    index_version: str
    model: str
    mode: str
    evidence: Evidence  # what `answered` was decided on
    corrections: tuple[tuple[str, str], ...] = ()


class Advisor:
    """The core: ask a question, get cited passages. Web, CLI and evals all go through here."""

    def __init__(self, index: Index, embedder: Embedder, settings: Settings | None = None) -> None:
        """`settings` decide everything besides the index and the model (their defaults when None)."""
        settings = settings or defaults()
        if index.dense.d != embedder.dimension:  # e.g. a model folder replaced under the same name
            raise IndexStaleError(
                f"index {index.version} holds {index.dense.d}-dimension vectors but the model "
                f"{embedder.model_id!r} makes {embedder.dimension}; run `advisor build` to rebuild it"
            )
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.default_k = settings.default_k
        self.max_k = settings.max_k
        self.max_question_chars = settings.max_question_chars
        self.thresholds = Thresholds(dense=settings.answer_min_dense, coverage=settings.answer_min_coverage)
        self.retriever = Retriever(index, embedder, settings)
        self.votes = Votes(
            index.confirmed,
            index.confirmed_vectors,
            neighbours=settings.confirmed_neighbours,
            min_similarity=settings.confirmed_min_similarity,
        )
        self.roadmap = Roadmap(index.guides)
        self._numbers = {p.key: n for n, p in enumerate(index.passages)}
        texts = [bm25_text(p) for p in index.passages]
        self.speller = Speller(
            Counter(w for t in texts for w in TOKEN.findall(t.lower())), embedder.vocabulary, english_words()
        )
        # Evidence is weighed within one guide (the one asked about, else the best hit's), so that adding
        # a guide of another career moves no threshold of this one's questions.
        self.weights = {
            g.id: TermWeights(self.retriever.passage_terms(self._numbers[p.key]) for p in g.passages)
            for g in index.guides
        }
        # Answers are immutable, so repeated questions (a widget searching as the visitor types) are
        # served from an LRU keyed by everything else that decides the answer. It belongs to this
        # advisor, and so to one index: a reload makes a new advisor, with a new cache.
        self._answer: Callable[[str, int, str, str | None, bool], Answer] = (
            lru_cache(maxsize=settings.cache_size)(self._search) if settings.cache_size > 0 else self._search
        )

    @classmethod
    def from_index(
        cls, index_dir: str | Path, *, model: str | None = None, device: str = "cpu", **options: Any
    ) -> Advisor:
        """Load an index and the model it was built with (or `model`, which must be the same)."""
        index = load_index(Path(index_dir))
        if model is not None and model != index.manifest.model:
            raise IndexStaleError(
                f"index was built with model {index.manifest.model!r}, not {model!r}; "
                "run `advisor build` to rebuild it"
            )
        embedder = SentenceEmbedder(index.manifest.model, device=device)
        return cls(index, embedder, defaults().model_copy(update=options))

    @property
    def guides(self) -> tuple[Guide, ...]:
        return self.index.guides

    def guide(self, guide_id: str) -> Guide:
        for guide in self.index.guides:
            if guide.id == guide_id:
                return guide
        known = ", ".join(g.id for g in self.index.guides)
        raise NotFoundError(f"unknown guide {guide_id!r}; known guides: {known}")

    def section(self, guide_id: str, anchor: str) -> Section:
        """One section of a guide by its anchor (NotFoundError for an unknown guide or anchor)."""
        for section in self.guide(guide_id).sections:
            if section.anchor == anchor:
                return section
        raise NotFoundError(f"guide {guide_id!r} has no section {anchor!r}")

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        mode: str = "hybrid",
        guide: str | None = None,
        correct: bool = True,
    ) -> Answer:
        """The best passages for a question, each cited to its section; `correct=False` searches the
        words as typed, misspellings and all ("search for what I typed instead")."""
        text = clean_question(question, max_chars=self.max_question_chars)
        k = self.default_k if k is None else k
        if not 1 <= k <= self.max_k:
            raise InvalidRequestError(f"k must be between 1 and {self.max_k}")
        check_mode(mode)
        if guide is not None:
            self.guide(guide)
        return self._answer(text, k, mode, guide, correct)

    def cache_info(self) -> tuple[int, int, int]:
        """(hits, misses, size) of the answer cache; zeros when it is off."""
        info = getattr(self._answer, "cache_info", None)
        if info is None:
            return (0, 0, 0)
        stats = info()
        return (stats.hits, stats.misses, stats.currsize)

    def _search(self, text: str, k: int, mode: str, guide: str | None, correct: bool = True) -> Answer:
        speller = self.speller if correct else Speller(Counter())  # knows no word, so corrects none
        query = understand(text, speller=speller, synonyms=self.index.synonyms)
        found = self.retriever.search(query.text, k=k, mode=mode, guide=guide)
        scope = guide or (found.hits[0].section.guide if found.hits else None)
        evidence = self.evidence(query, found, scope)
        answered = bool(found.hits) and is_answered(evidence, self.thresholds)
        hits, next_steps = found.hits, list[Hit]()
        if answered and (query.roadmap_topic or query.places):
            hits, next_steps = self.follow_roadmap(query, hits, k, guide)
        return Answer(
            question=query.question,
            answered=answered,
            results=self.highlighted(hits, found.vector, query),
            next_steps=self.highlighted(next_steps, found.vector, query),
            index_version=self.index.version,
            model=self.index.manifest.model,
            mode=mode,
            corrections=query.corrections,
            evidence=evidence,
        )

    def highlighted(self, hits: list[Hit], vector: np.ndarray | None, query: Query) -> tuple[Hit, ...]:
        """Each hit with the sentences that answer the question (answer/highlights.py)."""
        pay = asks_pay(query.plain)
        most, margin = self.settings.max_highlights, self.settings.highlight_margin
        sentences = self.retriever.sentences
        return tuple(
            dataclasses.replace(
                h,
                highlights=pick(sentences, h.number, h.section, vector, most=most, margin=margin, pay=pay),
            )
            for h in hits
        )

    def evidence(self, query: Query, found: Results, scope: str | None) -> Evidence:
        """How strongly the guide in scope (the one asked about, else the best hit's) answers the
        question, and what the nearest confirmed questions say (advisor/answer/confidence.py)."""
        not_covered = self.votes.not_covered(found.vector)
        if scope is None:  # nothing found at all
            return Evidence(dense=self.closest_sentence(found, scope), coverage=0.0, not_covered=not_covered)
        weights = self.weights[scope]
        return Evidence(
            dense=self.closest_sentence(found, scope),
            coverage=weights.coverage(content_terms(query.plain)),
            place=bool(named_sections(query, self.roadmap, scope)),
            not_covered=not_covered,
        )

    def closest_sentence(self, found: Results, scope: str | None = None) -> float | None:
        """The cosine similarity of the closest sentence to the question, among the passages dense
        retrieval found nearest, in the guide in scope: a question is answered by a sentence, and the
        windows retrieval ranks hold several, which dilute it. An index built without sentence vectors
        (benchmarks) falls back on the closest window."""
        if found.vector is None:
            return None
        within = [s for n, s in found.closest.items() if self.index.passages[n].guide == scope]
        return max(within or found.closest.values(), default=found.dense_best)

    def _make_hit(self, query: Query) -> Callable[[Section], Hit]:
        return lambda section: self.retriever.hit(self._numbers[section.key], 0.0, query.text)

    def follow_roadmap(
        self, query: Query, hits: list[Hit], k: int, guide: str | None = None
    ) -> tuple[list[Hit], list[Hit]]:
        """The hits led to the place the visitor is at and the step after it (answer/next_steps.py)."""
        return follow(
            query,
            hits,
            k,
            roadmap=self.roadmap,
            make_hit=self._make_hit(query),
            guide=guide,
        )
