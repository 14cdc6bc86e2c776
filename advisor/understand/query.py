"""Query: a visitor's question checked, corrected, expanded, and read for "what comes next" intent."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from advisor.errors import InvalidRequestError
from advisor.language.spelling import Speller
from advisor.language.synonyms import expand
from advisor.understand.places import Place, named_places
from advisor.understand.roadmap import roadmap_topic


@dataclass(frozen=True)
class Query:
    """What is searched for a question, and how it was understood."""

    question: str  # as asked, white space collapsed
    text: str  # what retrieval searches: misspellings corrected, synonyms expanded
    plain: str  # the same with each synonym key replaced by its expansion: what the question is about
    corrections: tuple[tuple[str, str], ...]  # (as typed, as understood)
    roadmap_topic: str | None  # the step the visitor has reached, when asking what comes next
    corrected: str = ""  # the roadmap topic (else the question) corrected, before synonyms
    places: tuple[Place, ...] = ()  # positions in a guide's order the question names ("step 4")


# Character classes as regular-expression text (escapes, so the OpenAPI schema can carry them too).
# Invisible characters that only get in the way of matching words: soft hyphen, zero-width space,
# word joiner, byte order mark. (Zero-width joiners stay: emoji and some scripts need them.)
INVISIBLE = r"\u00ad\u200b\u2060\ufeff"
# Control characters other than tab and line ends, then the explicit bidirectional embeddings,
# overrides and isolates: these make text display in an order other than the one it is read in
# ("Trojan Source"); right-to-left text itself never needs them.
CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
DIRECTION_CONTROLS = r"\u202a-\u202e\u2066-\u2069"
# The rules below as a regular expression, for the API's OpenAPI schema: no control characters, and at
# least one character that is neither white space nor invisible. (A test checks the two agree.)
QUESTION_PATTERN = (
    f"^[^{CONTROLS}{DIRECTION_CONTROLS}]*[^{CONTROLS}{DIRECTION_CONTROLS}\\s{INVISIBLE}]"
    f"[^{CONTROLS}{DIRECTION_CONTROLS}]*$"
)


def clean_question(question: str, *, max_chars: int) -> str:
    """The question with white space collapsed, in NFKC form (full-width letters, ligatures and other
    compatibility look-alikes read as the plain letters); or InvalidRequestError saying what is wrong.

    The length counts characters after trimming, before NFKC (which can lengthen a few characters).
    """
    if any(unicodedata.category(ch) == "Cs" for ch in question):
        raise InvalidRequestError("the question is not valid text (it holds undecodable bytes)")
    if re.search(f"[{CONTROLS}]", question):
        raise InvalidRequestError("the question contains control characters")
    if re.search(f"[{DIRECTION_CONTROLS}]", question):
        raise InvalidRequestError("the question contains invisible text-direction controls")
    text = re.sub(f"[{INVISIBLE}]", "", question)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InvalidRequestError("the question is empty")
    if len(text) > max_chars:
        raise InvalidRequestError(f"the question is longer than {max_chars} characters")
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def understand(question: str, *, speller: Speller, synonyms: dict[str, str]) -> Query:
    """Turn a cleaned question into what is searched.

    A "what comes after X" question is searched for X alone, so that the section the visitor has
    reached comes first and the roadmap can name the one that follows.
    """
    topic = roadmap_topic(question)
    table_words = {word for key in synonyms for word in key.split()}
    corrected, corrections = speller.correct(topic or question, keep=table_words)
    plain = expand(corrected, synonyms, keep=False)
    return Query(
        question=question,
        text=expand(corrected, synonyms),
        plain=plain,
        corrections=corrections,
        roadmap_topic=topic,
        corrected=corrected,
        places=named_places(question),
    )
