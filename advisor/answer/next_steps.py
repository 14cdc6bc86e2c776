"""Next steps: a roadmap question's hits led to the place the visitor has reached and what follows it.

Two kinds of question lead somewhere: "what comes after X" (the section that covers X has been
reached; the one after it is next) and a question naming a place in the guide's order ("what's the
first step", "I'm on step 3, what is step 4 about"), whose sections come first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from advisor.answer.arrange import first, rescored
from advisor.guides.roadmap import Roadmap, short_heading
from advisor.guides.sections import Section
from advisor.search.retrieve import Hit
from advisor.understand.places import locate, only_places
from advisor.understand.query import Query
from advisor.understand.roadmap import asks_for_role


def follow(
    query: Query,
    hits: list[Hit],
    k: int,
    *,
    roadmap: Roadmap,
    make_hit: Callable[[Section], Hit],
    guide: str | None,
) -> tuple[list[Hit], list[Hit]]:
    """The hits re-ordered around the place the visitor is at, and the next step(s) to show."""
    guide_id = guide or (hits[0].section.guide if hits else None)
    named = named_sections(query, roadmap, guide_id) if guide_id else []
    if named:
        hits = first(named, hits, make_hit)
        hits = rescored(hits, {h.number for h in hits[: len(named)]})[:k]
        if query.roadmap_topic is None:  # "what's the first step": it is also the step to take
            start = hits[0] if any(p.number == 1 for p in query.places) else None
            return hits, [_with_reason(start, _start_reason(start.section))] if start else []
        reached: Section | None = named[-1]
    elif query.roadmap_topic:
        ranked = [h.section for h in hits]
        reached = roadmap.reached(query.corrected, ranked, rungs=asks_for_role(query.question))
    else:
        return hits, []
    step = roadmap.next_step(reached) if reached else None
    if reached is None or step is None:
        return hits, []
    return _then(reached, step.section, step.reason, hits, k, make_hit)


def named_sections(query: Query, roadmap: Roadmap, guide_id: str) -> list[Section]:
    """The sections at the places a question names, when it asks about nothing else."""
    subject = roadmap.subjects.get(guide_id, frozenset())
    if not query.places or not only_places(query.question, query.places, subject):
        return []
    found = [locate(roadmap, place, guide_id) for place in query.places]
    return list(dict.fromkeys(s for s in found if s is not None))


def _then(
    reached: Section, after: Section, reason: str, hits: list[Hit], k: int, make_hit: Callable[[Section], Hit]
) -> tuple[list[Hit], list[Hit]]:
    """The reached section where it ranks (first if not in the top three), the next one right after."""
    if reached.key not in [h.section.key for h in hits[:3]]:
        hits = first([reached], hits, make_hit)
    placed = {h.number for h in hits[:1] if h.section.key == reached.key}
    rest = [h for h in hits if h.section.key != after.key]
    at = next(i for i, h in enumerate(rest) if h.section.key == reached.key) + 1
    nxt = next((h for h in hits if h.section.key == after.key), None) or make_hit(after)
    nxt = _with_reason(nxt, reason)
    arranged = rescored([*rest[:at], nxt, *rest[at:]], placed | {nxt.number})
    nxt = next(h for h in arranged if h.number == nxt.number)
    return arranged[:k], [nxt]


def _with_reason(hit: Hit, reason: str) -> Hit:
    return dataclasses.replace(hit, reason=reason)


def _start_reason(section: Section) -> str:
    return f"{short_heading(section.heading)} comes first in the guide"
