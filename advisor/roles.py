"""Roles: the occupation a question asks about ("how to become a data scientist", "nurse salary"), and
whether the guides describe it.

A visitor asking how to become someone in another career, what they are paid or what they do is not
answered by a guide about this one, however close "how to become a ..." sounds to the guide's own
"How to Become a Backend Engineer". A role is named by an occupation word (its head: scientist,
designer, nurse), taken from Faker's list of ~640 job titles, with the words before it (data, ux,
registered). It is foreign when the guides never use one of its words, or when the word that says
which kind of occupation it is (the one before the head: "ux" designer, "product" manager, "frontend"
developer) is not a word of the roles the guides are about, which their titles and headings name
("Junior Backend Engineer", "Backend Development Manager"). Guides mention other roles in passing
("work with frontend developers and ux designers"), so their words alone do not make a role theirs.
A bare occupation ("manager") is foreign only when the guides lack the word. A tool's name before the
head is a kind too: "python developer" is a role the guides do not name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Set
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
# marks that end a role in a heading ("The Foundation: Junior Backend Engineer", "Lead / Manager")
MARKS = ":/()|,;&"


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


def own_words(titles: Iterable[str]) -> frozenset[str]:
    """The words, stemmed, of the roles that titles and headings name ("Lead Backend Engineer / Backend
    Development Manager" → lead, backend, engineer, development, manager): the roles the guides are about."""
    heads, stop = occupations(), stopwords() | BREAKS | set(MARKS)
    words: set[str] = set()
    for title in titles:
        text = re.findall(rf"{WORD}|[{re.escape(MARKS)}]", title.lower())
        for end, word in enumerate(text):
            if word in heads or word.rstrip("s") in heads:
                words.update(terms(" ".join(_until(text[end::-1], stop)[:4])))
    return frozenset(words)


def foreign_role(question: str, *, vocabulary: Set[str], own: Set[str]) -> Role | None:
    """The role the question asks about when the guides do not describe it, else None.

    `vocabulary` is every word of the guides, `own` the words of their roles (`own_words`), both
    stemmed. None when the question names no role or names one the guides describe (a question about
    moving from another career to this one asks about this one too).
    """
    named = list(roles(question))
    foreign = [r for r in named if not set(terms(r.name)) <= vocabulary or not _own_kind(r, own)]
    return foreign[0] if named and len(foreign) == len(named) else None


def _own_kind(role: Role, own: Set[str]) -> bool:
    """Whether the word before the role's head, which says which kind it is, is one of the guides' own
    roles' words (true for a bare occupation)."""
    return len(role.words) < 2 or set(terms(role.words[-2])) <= own
