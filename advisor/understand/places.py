"""Places: the positions in a guide's order that a question names ("the first step", "step 4", "where
do I start"), found in the guide's own ordered groups (see advisor/guides/roadmap.py)."""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass

from advisor.guides.roadmap import Group, Roadmap, section_number, singular
from advisor.guides.sections import Section
from advisor.language.lexicon import (
    ASKING,
    NEWCOMER,
    NUMBER_WORDS,
    ORDINAL_UNIT,
    ORDINALS,
    SCAFFOLD,
    SENTENCE,
    START,
    UNIT_NUMBER,
)
from advisor.language.terms import content_terms

LAST = -1


@dataclass(frozen=True)
class Place:
    """A position a question names: the number-th section of a group whose items are called `unit`."""

    unit: str | None  # singular ("step"); None when the question names no unit ("where do I start")
    number: int  # 1 for the first, LAST for the last
    words: str  # the words that named it


def named_places(question: str) -> tuple[Place, ...]:
    """Every place the question names, in the order it names them."""
    found: list[tuple[int, Place]] = []
    for match in UNIT_NUMBER.finditer(question):
        number = match.group(2).lower()
        n = int(number) if number.isdigit() else NUMBER_WORDS.index(number) + 1
        found.append((match.start(), Place(singular(match.group(1)), n, match.group(0))))
    for match in ORDINAL_UNIT.finditer(question):
        place = Place(singular(match.group(2)), _ordinal(match.group(1)), match.group(0))
        found.append((match.start(), place))
    for match in START.finditer(question):
        found.append((match.start(), Place(None, 1, match.group(0))))
    return tuple(place for _, place in sorted(found, key=lambda f: f[0]))


def only_places(question: str, places: tuple[Place, ...], subject: Set[str]) -> bool:
    """Whether the question asks about the places alone: besides them, the guide's own subject (the
    stemmed words of `subject`: "become a backend developer") and how the visitor describes themself
    as a newcomer ("total beginner"), the sentences that name them name nothing. "What's the first
    step in learning docker" does not ask for the guide's first step; "I know the basics. What's step
    two?" does."""
    rest = " ".join(s for s in SENTENCE.split(question) if any(p.words in s for p in places))
    for place in places:
        rest = rest.replace(place.words, " ")
    rest = NEWCOMER.sub(" ", ASKING.sub(" ", SCAFFOLD.sub(" ", re.sub(r"[?!.,;:]", " ", rest))))
    return set(content_terms(rest)) <= subject


def locate(roadmap: Roadmap, place: Place, guide: str) -> Section | None:
    """The section of `guide` at a place: in the group whose items are called as the place says, or,
    for a place with no unit or called a step, the guide's first numbered (else first ordered) group."""
    group = _group_for(roadmap.groups.get(guide, []), place.unit)
    if group is None:
        return None
    if place.number == LAST:
        return group.sections[-1]
    if group.numbered:
        return next((s for s in group.sections if section_number(s.heading) == place.number), None)
    return group.sections[place.number - 1] if place.number <= len(group.sections) else None


def _group_for(groups: list[Group], unit: str | None) -> Group | None:
    named = [g for g in groups if unit is not None and unit in g.units]
    if named:
        return named[0]
    if unit not in (None, "step"):  # "the second level" in a guide without levels: no place
        return None
    return next((g for g in groups if g.numbered), groups[0] if groups else None)


def _ordinal(word: str) -> int:
    word = word.lower()
    if word in ("last", "final"):
        return LAST
    if word in ORDINALS:
        return ORDINALS.index(word) + 1
    return int(word[:-2])
