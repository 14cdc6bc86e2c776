"""Query: a visitor's question checked, corrected, expanded, and read for "what comes next" intent."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from advisor.errors import InvalidRequestError
from advisor.roadmap import roadmap_topic
from advisor.spelling import Speller
from advisor.synonyms import expand


@dataclass(frozen=True)
class Query:
    """What is searched for a question, and how it was understood."""

    question: str  # as asked, white space collapsed
    text: str  # what retrieval searches: misspellings corrected, synonyms expanded
    plain: str  # the same with each synonym key replaced by its expansion: what the question is about
    corrections: tuple[tuple[str, str], ...]  # (as typed, as understood)
    roadmap_topic: str | None  # the step the visitor has reached, when asking what comes next


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


def understand(question: str, *, speller: Speller, synonyms: dict[str, str]) -> Query:
    """Turn a cleaned question into what is searched.

    A "what comes after X" question is searched for X alone, so that the section the visitor has
    reached comes first and the roadmap can name the one that follows.
    """
    topic = roadmap_topic(question)
    corrected, corrections = speller.correct(topic or question)
    return Query(
        question=question,
        text=expand(corrected, synonyms),
        plain=expand(corrected, synonyms, keep=False),
        corrections=corrections,
        roadmap_topic=topic,
    )
