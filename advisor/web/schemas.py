"""Schemas: the JSON shapes of the HTTP API (and of `advisor ask --json`), apart from core records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator
from pydantic_core import PydanticCustomError

from advisor.answer.advisor import Answer
from advisor.guides.roadmap import Group
from advisor.guides.sections import Guide, Section
from advisor.search.retrieve import MODES, Hit
from advisor.understand.query import QUESTION_PATTERN
from advisor.web.examples import example_questions
from advisor.web.excerpts import fragment, unmarked

Mode = Literal[MODES]  # type: ignore[valid-type]
RAW = 'Search the words as typed, without spelling correction ("search for what I typed instead").'


class Why(BaseModel):
    dense_rank: int | None = Field(description="Rank of the section by dense similarity (1 = best).")
    bm25_rank: int | None = Field(description="Rank of the section by BM25 (1 = best).")
    matched_terms: list[str] = Field(description="Question words found in the section.")
    window: tuple[int, int] = Field(
        description="Start and end (characters into `text`) of the stretch that matched best."
    )


class HighlightOut(BaseModel):
    text: str = Field(
        description='A sentence of the section, word for word; a list item without its marker ("- ", "3. ").'
    )
    start: int = Field(description="Where it starts in the section's `text` (characters), marker excluded.")
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
    fragment: str = Field(
        "",
        description=(
            "The text fragment (`:~:text=…`) that marks the best sentence when added to `url`'s anchor "
            "(`url` + `:~:text=…` after `#anchor`), as the ask page links it; empty where it could mark "
            "other text (a table row, a sentence the guide repeats), and in `advisor ask --json`."
        ),
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


def question_limits(max_chars: int) -> dict[str, Any]:
    """The question's rules in the OpenAPI schema: what understand/query.py accepts, as JSON Schema says it.

    Only the length is enforced by validation; clean_question refuses the rest with clearer messages.
    """
    return {
        "max_length": max_chars,
        "json_schema_extra": {"minLength": 1, "pattern": QUESTION_PATTERN},
        "description": (
            f"The visitor's question: 1 to {max_chars} characters, at least one of them visible; "
            "no control characters or text-direction overrides."
        ),
    }


class AskIn(BaseModel):
    """The body of `POST /api/v1/ask`: the same question and options as the GET query.

    Unknown fields and values of the wrong JSON type (`"k": "3"`, `"k": true`) are refused, not
    guessed at. `ask_in` gives it the server's limits.
    """

    model_config = ConfigDict(extra="forbid")

    question: str
    k: int | None = None
    mode: Mode = Field("hybrid", description="Retrieval mode.")
    guide: str | None = Field(None, description="Only search this guide.")
    raw: bool = Field(False, strict=True, description=RAW)  # true or false, not 0 or "yes"

    @field_validator("k", mode="before")
    @classmethod
    def _k_is_a_number(cls, value: object) -> object:
        # JSON Schema's integers include 3.0, so that passes; text and true/false do not.
        if isinstance(value, bool | str):
            raise PydanticCustomError("int_type", "Input should be a whole number, not text or true/false")
        return value


def ask_in(*, max_k: int, max_question_chars: int) -> type[AskIn]:
    """AskIn with this server's limits (ADVISOR_MAX_K, ADVISOR_MAX_QUESTION_CHARS) in its schema."""
    return create_model(
        "AskIn",
        __base__=AskIn,
        question=(str, Field(**question_limits(max_question_chars))),
        k=(int | None, Field(None, ge=1, le=max_k, description=f"Results wanted (1 to {max_k}).")),
    )


class GuideOut(BaseModel):
    id: str = Field(description="The guide's id, used in urls and citations.")
    title: str = Field(description="The guide's title (its first `#` heading).")
    sections: int = Field(description="Number of sections (headings) in the guide.")
    url: str = Field(description="The guide's page.")
    examples: list[str] = Field(
        description=(
            "Questions to try, from the guide's own headings: those that are questions (its FAQ's), "
            "else main sections."
        )
    )


class GuidesOut(BaseModel):
    guides: list[GuideOut]


class SectionRef(BaseModel):
    """A section as listed in a table of contents."""

    anchor: str = Field(description="The section's anchor in the guide page.")
    heading: str = Field(description="The section's heading, exactly as in the guide.")
    level: int = Field(description="Heading level: 1 for the title, 2 for `##` and so on.")
    breadcrumb: list[str] = Field(description="Guide title, then each enclosing heading.")
    position: int = Field(description="Place of the section in the guide, from 0.")
    url: str = Field(description="Link to the section in the guide page.")


class OrderOut(BaseModel):
    """A group of sections the advisor reads as ordered: what "what comes after X" and "step 4" follow."""

    parent: str = Field(description="The heading whose sub-sections these are ('' at the top level).")
    numbered: bool = Field(description="Whether each heading carries its number ('Step 3: ...', '2. ...').")
    units: list[str] = Field(description="What one of them is called ('step', 'phase', 'level').")
    sections: list[str] = Field(description="The anchors of the group's sections, first to last.")


class TocOut(BaseModel):
    guide: str
    title: str
    url: str
    sections: list[SectionRef] = Field(description="Every heading of the guide, in order.")
    order: list[OrderOut] = Field(
        description=(
            "The ordered groups found in the guide (or declared in its front matter `order:`), so its "
            "owner can check what a roadmap question follows."
        )
    )
    declared: bool = Field(description="Whether the order was declared in the guide's front matter.")


class SectionOut(SectionRef):
    """One section in full, with its neighbours in the guide."""

    guide: str
    parent: str | None = Field(description="Anchor of the enclosing section, if any.")
    text: str = Field(description="The section's text, word for word, markdown stripped.")
    previous: SectionRef | None = Field(description="The section before this one in the guide.")
    next: SectionRef | None = Field(description="The section after this one in the guide.")


class HealthOut(BaseModel):
    status: str = Field(description="`ok` while the process runs.")


class ReadyOut(BaseModel):
    status: str = Field(description="`ready` once the index is loaded and the model warm.")
    index: IndexInfo


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. `not_found`, `invalid_request`.")
    message: str = Field(description="What went wrong, in words meant for a person.")
    details: Any = Field(None, description="More about the error (e.g. each invalid field), or null.")


class ErrorOut(BaseModel):
    """The one shape of every error response."""

    error: ErrorBody


def hit_out(hit: Hit, guide: Guide | None = None) -> HitOut:
    """The hit as the API returns it; with its guide, the text fragment of its best sentence."""
    p = hit.section
    return HitOut(
        section=p.heading,
        breadcrumb=list(p.breadcrumb),
        guide=p.guide,
        anchor=p.anchor,
        url=p.url,
        text=p.text,
        score=round(hit.score, 9),
        highlights=[highlight_out(h.text, h.start, h.end, h.score) for h in hit.highlights],
        fragment=fragment(hit, guide) if guide is not None else "",
        reason=hit.reason,
        why=Why(
            dense_rank=hit.dense_rank,
            bm25_rank=hit.bm25_rank,
            matched_terms=list(hit.matched_terms),
            window=hit.window,
        ),
    )


def highlight_out(text: str, start: int, end: int, score: float) -> HighlightOut:
    shown, cut = unmarked(text)
    return HighlightOut(text=shown, start=start + cut, end=end, score=score)


def answer_out(answer: Answer, *, answer_id: str | None = None, guides: Iterable[Guide] = ()) -> AnswerOut:
    """The answer as the API returns it; `guides` (the advisor's) give each hit its text fragment."""
    by_id = {g.id: g for g in guides}
    return AnswerOut(
        question=answer.question,
        answered=answer.answered,
        mode=answer.mode,
        results=[hit_out(h, by_id.get(h.section.guide)) for h in answer.results],
        next_steps=[hit_out(h, by_id.get(h.section.guide)) for h in answer.next_steps],
        corrections=[Correction(typed=a, understood=b) for a, b in answer.corrections],
        index=IndexInfo(version=answer.index_version, model=answer.model),
        answer_id=answer_id,
    )


def guide_out(guide: Guide) -> GuideOut:
    return GuideOut(
        id=guide.id,
        title=guide.title,
        sections=len(guide.sections),
        url=guide_url(guide.id),
        examples=list(example_questions(guide)),
    )


def guide_url(guide_id: str) -> str:
    return f"/guide/{guide_id}"


def section_ref(section: Section) -> SectionRef:
    return SectionRef(
        anchor=section.anchor,
        heading=section.heading,
        level=section.level,
        breadcrumb=list(section.breadcrumb),
        position=section.position,
        url=section.url,
    )


def toc_out(guide: Guide, groups: Sequence[Group]) -> TocOut:
    return TocOut(
        guide=guide.id,
        title=guide.title,
        url=guide_url(guide.id),
        sections=[section_ref(s) for s in guide.sections],
        order=[
            OrderOut(
                parent=g.parent,
                numbered=g.numbered,
                units=sorted(g.units),
                sections=[s.anchor for s in g.sections],
            )
            for g in groups
        ],
        declared=bool(guide.order),
    )


def section_out(guide: Guide, section: Section) -> SectionOut:
    before = guide.sections[section.position - 1] if section.position > 0 else None
    after = guide.sections[section.position + 1] if section.position + 1 < len(guide.sections) else None
    return SectionOut(
        **section_ref(section).model_dump(),
        guide=guide.id,
        parent=section.parent,
        text=section.text,
        previous=section_ref(before) if before else None,
        next=section_ref(after) if after else None,
    )
