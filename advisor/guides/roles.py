"""Roles: the occupations a guide is about, as its title and headings name them ("Junior Backend
Engineer", "Backend Development Manager"), as stemmed words: what a guide is about (guides/roadmap.py).

A role is named by an occupation word (its head: scientist, designer, nurse) with the words before it
(data, ux, registered). Guides mention other roles in passing ("work with frontend developers and ux
designers"), so their words alone do not make a role theirs: their titles and headings do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set

from advisor.language.lexicon import (
    BREAKS,
    MARKS,
    ROLE_WORD,
    occupations,
)
from advisor.language.terms import stopwords, terms


def _until(words: list[str], stop: Set[str]) -> list[str]:
    """The words before the first stop word."""
    kept = []
    for word in words:
        if word in stop:
            break
        kept.append(word)
    return kept


def own_words(titles: Iterable[str]) -> frozenset[str]:
    """The words, stemmed, of the roles that titles and headings name ("Lead Backend Engineer / Backend
    Development Manager" → lead, backend, engineer, development, manager): the roles the guides are about."""
    heads, stop = occupations(), stopwords() | BREAKS | set(MARKS)
    words: set[str] = set()
    for title in titles:
        text = re.findall(rf"{ROLE_WORD}|[{re.escape(MARKS)}]", title.lower())
        for end, word in enumerate(text):
            if word in heads or word.rstrip("s") in heads:
                words.update(terms(" ".join(_until(text[end::-1], stop)[:4])))
    return frozenset(words)
