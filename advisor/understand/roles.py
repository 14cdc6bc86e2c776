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

from collections.abc import Iterator, Set

from advisor.guides.roles import Role, until
from advisor.language.lexicon import BREAKS, PAID_WORD, ROLE_ASKS, occupations
from advisor.language.terms import stopwords, terms


def roles(question: str) -> Iterator[Role]:
    """The roles a question asks about, in the order asked."""
    heads, stop = occupations(), stopwords() | BREAKS
    text = question.lower()
    for ask in ROLE_ASKS:
        for match in ask.finditer(text):
            role = _role(until(match.group("x").split(), stop), heads)
            if role is not None:
                yield role
    for match in PAID_WORD.finditer(text):
        before = text[: match.start()].split()[-4:]
        role = _role(until(before[::-1], stop)[::-1], heads)
        if role is not None:
            yield role


def _role(words: list[str], heads: Set[str]) -> Role | None:
    """The words up to and including the first occupation word: its modifiers and head (None if none)."""
    for end, word in enumerate(words):
        if word in heads or word.rstrip("s") in heads:
            return Role(tuple(words[: end + 1]))
    return None


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
