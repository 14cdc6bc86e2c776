"""Answers: a validated question turned into cited passages from the index."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.embed import Embedder, SentenceEmbedder
from advisor.errors import IndexStaleError, InvalidRequestError, NotFoundError
from advisor.index import Index, load_index
from advisor.passages import Guide
from advisor.retrieve import Hit, Retriever, check_mode


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


def clean_question(question: str, *, max_chars: int) -> str:
    """The question with white space collapsed, or InvalidRequestError saying what is wrong."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in question):
        raise InvalidRequestError("the question contains control characters")
    text = re.sub(r"\s+", " ", question).strip()
    if not text:
        raise InvalidRequestError("the question is empty")
    if len(text) > max_chars:
        raise InvalidRequestError(f"the question is longer than {max_chars} characters")
    return text


class Advisor:
    """The core: ask a question, get cited passages. Web, CLI and evals all go through here."""

    def __init__(
        self,
        index: Index,
        embedder: Embedder,
        *,
        default_k: int = 5,
        max_k: int = 20,
        max_question_chars: int = 500,
        candidates: int = 50,
        rrf_k: int = 60,
        fusion: str = "rrf",
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.default_k = default_k
        self.max_k = max_k
        self.max_question_chars = max_question_chars
        self.retriever = Retriever(index, embedder, candidates=candidates, rrf_k=rrf_k, fusion=fusion)

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
        return cls(index, embedder, **options)

    @property
    def guides(self) -> tuple[Guide, ...]:
        return self.index.guides

    def guide(self, guide_id: str) -> Guide:
        for guide in self.index.guides:
            if guide.id == guide_id:
                return guide
        known = ", ".join(g.id for g in self.index.guides)
        raise NotFoundError(f"unknown guide {guide_id!r}; known guides: {known}")

    def ask(
        self, question: str, *, k: int | None = None, mode: str = "hybrid", guide: str | None = None
    ) -> Answer:
        """The best passages for a question, each cited to its section."""
        text = clean_question(question, max_chars=self.max_question_chars)
        k = self.default_k if k is None else k
        if not 1 <= k <= self.max_k:
            raise InvalidRequestError(f"k must be between 1 and {self.max_k}")
        check_mode(mode)
        if guide is not None:
            self.guide(guide)
        hits = self.retriever.search(text, k=k, mode=mode, guide=guide)
        return Answer(
            question=text,
            answered=bool(hits),
            results=tuple(hits),
            next_steps=(),
            index_version=self.index.version,
            model=self.index.manifest.model,
            mode=mode,
        )
