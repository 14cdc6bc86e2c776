"""Schemas: the JSON shapes of the HTTP API (and of `advisor ask --json`), apart from core records."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from advisor.answer import Answer
from advisor.retrieve import Hit


class Why(BaseModel):
    dense_rank: int | None = Field(description="Rank of the section by dense similarity (1 = best).")
    bm25_rank: int | None = Field(description="Rank of the section by BM25 (1 = best).")
    matched_terms: list[str] = Field(description="Question words found in the section.")
    window: tuple[int, int] = Field(
        description="Start and end (characters into `text`) of the stretch that matched best."
    )


class HighlightOut(BaseModel):
    text: str = Field(description="A sentence of the section, word for word.")
    start: int = Field(description="Where it starts in the section's `text` (characters).")
    end: int = Field(description="Where it ends in the section's `text` (characters).")
    score: float = Field(description="Its cosine similarity to the question.")


class HitOut(BaseModel):
    section: str = Field(description="The section's heading, exactly as in the guide.")
    breadcrumb: list[str] = Field(description="Guide title, then each enclosing heading.")
    guide: str = Field(description="Id of the guide the section belongs to.")
    anchor: str = Field(description="The section's anchor in the guide page.")
    url: str = Field(description="Link to the section in the advisor's guide page.")
    text: str = Field(description="The section's text, word for word, markdown stripped.")
    score: float = Field(description="Retrieval score; strictly decreasing down the list.")
    highlights: list[HighlightOut] = Field(
        description="The one to three sentences of the section that best answer the question, best first."
    )
    reason: str | None = Field(None, description="For a next step: why it follows, in the guide's order.")
    why: Why


class IndexInfo(BaseModel):
    version: str
    model: str


class Correction(BaseModel):
    typed: str
    understood: str


class AnswerOut(BaseModel):
    question: str = Field(description="The question as asked (white space collapsed).")
    answered: bool = Field(description="False when no section is a confident match.")
    mode: str
    results: list[HitOut]
    next_steps: list[HitOut] = Field(description="Sections that follow in the guide's order.")
    corrections: list[Correction] = Field(description="Misspelt words and the guide words read instead.")
    index: IndexInfo
    answer_id: str | None = Field(
        None,
        description=(
            "Random id of this answer for POST /api/v1/events (clicks, votes); identifies no visitor. "
            "Null when the site records no insights."
        ),
    )


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorOut(BaseModel):
    error: ErrorBody


def hit_out(hit: Hit) -> HitOut:
    p = hit.passage
    return HitOut(
        section=p.heading,
        breadcrumb=list(p.breadcrumb),
        guide=p.guide,
        anchor=p.anchor,
        url=p.url,
        text=p.text,
        score=round(hit.score, 9),
        highlights=[
            HighlightOut(text=h.text, start=h.start, end=h.end, score=h.score) for h in hit.highlights
        ],
        reason=hit.reason,
        why=Why(
            dense_rank=hit.dense_rank,
            bm25_rank=hit.bm25_rank,
            matched_terms=list(hit.matched_terms),
            window=hit.window,
        ),
    )


def answer_out(answer: Answer, *, answer_id: str | None = None) -> AnswerOut:
    return AnswerOut(
        question=answer.question,
        answered=answer.answered,
        mode=answer.mode,
        results=[hit_out(h) for h in answer.results],
        next_steps=[hit_out(h) for h in answer.next_steps],
        corrections=[Correction(typed=a, understood=b) for a, b in answer.corrections],
        index=IndexInfo(version=answer.index_version, model=answer.model),
        answer_id=answer_id,
    )
