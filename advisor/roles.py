"""Roles: the occupation a question asks about ("how to become a data scientist", "nurse salary"), and
whether the guides describe it.

A visitor asking how to become someone in another career, what they are paid or what they do is not
answered by a guide about this one, however close "how to become a ..." sounds to the guide's own
"How to Become a Backend Engineer". A role is named by an occupation word (its head: scientist,
designer, nurse), taken from Faker's list of ~640 job titles, with the words before it (data, ux,
registered). It is foreign when the guides never use its head or one of those words. A role the
guides' words describe ("python developer", "senior engineer", "engineering manager") is not foreign,
so the rule errs towards answering: it catches other careers named with words the guides lack, not
ones they mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from dataclasses import dataclass
from functools import lru_cache

from advisor.lexical import stopwords, terms

WORD = r"[\w+#.-]+"
PHRASE = rf"(?P<x>{WORD}(?:\s+{WORD}){{0,3}})"
PAID = r"salary|salaries|pay|wages?|income"
# the ways a question asks about a role: the role is in the words matched as "x" ...
ASKS = (
    re.compile(rf"\bbecom(?:e|es|ing)\s+(?:an?\s+)?{PHRASE}"),  # "how to become a data scientist"
    re.compile(rf"\bhow\s+much\s+(?:do|does|can|could|would|will|might)\s+(?:an?\s+)?{PHRASE}"
               r"\s+(?:make|earn|get\s+paid)\b"),  # "how much does a nurse make"
    re.compile(rf"\b(?:careers?|jobs?|work|working|positions?|roles?)\s+as\s+(?:an?\s+)?{PHRASE}"),
    re.compile(rf"\b(?:{PAID})\s+(?:of|for)\s+(?:an?\s+)?{PHRASE}"),  # "salary of a data analyst"
    re.compile(rf"\bwhat\s+(?:does|do)\s+(?:an?\s+)?{PHRASE}\s+do\b"),  # "what does a chemist do"
)  # fmt: skip
# ... or in the (at most four) words before one of these: "nurse salary"
PAID_WORD = re.compile(rf"\b(?:{PAID})\b")
BREAKS = {"vs", "versus", "than", "like"}


@dataclass(frozen=True)
class Role:
    words: tuple[str, ...]  # e.g. ("data", "scientist"): the head last

    @property
    def name(self) -> str:
        return " ".join(self.words)


@lru_cache(maxsize=1)
def occupations() -> frozenset[str]:
    """Head words of Faker's job titles ("Scientist, research (maths)" → scientist), lower-cased.

    One-word titles shorter than five letters are dropped: the list has stray ones ("Make", "Land").
    """
    from faker.providers.job import Provider

    heads = set()
    for title in Provider.jobs:
        name = re.sub(r"\(.*?\)", "", title).split(",")[0].split()
        if len(name) > 1 or len(name[0]) >= 5:
            heads.update(name[-1].lower().split("/"))
    return frozenset(heads)


def roles(question: str) -> Iterator[Role]:
    """The roles a question asks about, in the order asked."""
    heads, stop = occupations(), stopwords() | BREAKS
    text = question.lower()
    for ask in ASKS:
        for match in ask.finditer(text):
            role = _role(_until(match.group("x").split(), stop), heads)
            if role is not None:
                yield role
    for match in PAID_WORD.finditer(text):
        before = text[: match.start()].split()[-4:]
        role = _role(_until(before[::-1], stop)[::-1], heads)
        if role is not None:
            yield role


def _until(words: list[str], stop: Set[str]) -> list[str]:
    """The words before the first stop word."""
    kept = []
    for word in words:
        if word in stop:
            break
        kept.append(word)
    return kept


def _role(words: list[str], heads: Set[str]) -> Role | None:
    """The words up to and including the first occupation word: its modifiers and head (None if none)."""
    for end, word in enumerate(words):
        if word in heads or word.rstrip("s") in heads:
            return Role(tuple(words[: end + 1]))
    return None


def foreign_role(question: str, *, vocabulary: Set[str]) -> Role | None:
    """The role the question asks about when the guides do not describe it, else None.

    None when the question names no role or names one the guides' words describe (a question about
    moving from another career to this one asks about this one too).
    """
    named = list(roles(question))
    foreign = [r for r in named if not set(terms(r.name)) <= vocabulary]
    return foreign[0] if named and len(foreign) == len(named) else None
