"""Arrange: hits moved to the front (the place a visitor is at, the level that holds their pay) with
scores that still strictly decrease."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from advisor.guides.sections import Section
from advisor.search.retrieve import Hit

GAP = 1e-4  # score step between hits placed above all others, so that scores still strictly decrease


def first(sections: list[Section], hits: list[Hit], make_hit: Callable[[Section], Hit]) -> list[Hit]:
    """The sections' hits first, in the given order, then the other hits."""
    by_key = {h.section.key: h for h in hits}
    keys = {s.key for s in sections}
    front = [by_key.get(s.key) or make_hit(s) for s in sections]
    return [*front, *(h for h in hits if h.section.key not in keys)]


def rescored(hits: list[Hit], placed: set[int]) -> list[Hit]:
    """Hits in the given order, those `placed` scored between their neighbours: scores strictly decrease.

    The others keep their scores (their order among themselves is unchanged)."""
    fixed = [h.score for h in hits if h.number not in placed]
    out: list[Hit] = []
    for i, hit in enumerate(hits):
        if hit.number in placed:
            above = out[-1].score if out else None
            below = next((h.score for h in hits[i + 1 :] if h.number not in placed), None)
            run = next((j for j, h in enumerate(hits[i:]) if h.number not in placed), len(hits) - i)
            hit = dataclasses.replace(hit, score=_between(above, below, run, fixed))
        out.append(hit)
    return out


def _between(above: float | None, below: float | None, run: int, fixed: list[float]) -> float:
    """A score under `above` and over `below`, leaving room for `run` - 1 more placed hits below it."""
    if above is not None and below is not None:
        return above - (above - below) / (run + 1)
    if above is not None:
        return above - GAP
    if below is not None:
        return below + run * GAP
    return (fixed[0] if fixed else 0.0) + run * GAP
