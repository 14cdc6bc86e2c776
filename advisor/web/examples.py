"""Examples: questions to try before the first one, taken from the guides' own headings."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, zip_longest

from advisor.guides.sections import Guide

PER_GUIDE = 4  # examples a guide offers
SHOWN = 6  # examples the ask page lists, whatever the number of guides


def example_questions(guide: Guide, *, most: int = PER_GUIDE) -> tuple[str, ...]:
    """The guide's headings that are questions (its FAQ's, "What does a UX designer do?"), then, if they
    are fewer than `most`, main (level-2) sections with text of their own, spread over the guide."""
    asked = [s.heading for s in guide.sections if s.level > 1 and s.heading.rstrip().endswith("?")]
    main = [s.heading for s in guide.sections if s.level == 2 and s.text and s.heading not in asked]
    return tuple(asked[:most]) + _spread(main, most - len(asked))


def _spread(headings: Sequence[str], wanted: int) -> tuple[str, ...]:
    """`wanted` of the headings, evenly spaced from the first."""
    if wanted <= 0 or not headings:
        return ()
    step = max(1, len(headings) // wanted)
    return tuple(headings[::step][:wanted])


def examples_of(guides: Sequence[Guide], *, most: int = SHOWN) -> tuple[str, ...]:
    """The examples of several guides, taking one of each in turn."""
    each = (example_questions(g) for g in guides)
    return tuple(q for q in chain.from_iterable(zip_longest(*each)) if q)[:most]
