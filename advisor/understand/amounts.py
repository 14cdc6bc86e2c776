"""Amounts: the pay and the years of experience a question states.

A visitor asking what they can earn "with about seven years of experience", or whether one can "make
more than 200k", is answered by the level whose range holds that amount, which similarity alone does
not find: "seven" is near neither "5+" nor "2-5". Years count only in a question about pay: "I've
coded for six years, how do I move into management" asks about management, not a pay level, and "in
10 years" is a time, not experience.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from advisor.guides.facts import PAY, YEARS, dollars
from advisor.language.lexicon import (
    HIGHEST,
    LOWEST,
    NOT_EXPERIENCE_AFTER,
    NOT_EXPERIENCE_BEFORE,
    PAY_SUM,
    PAY_WORDS,
    WORD_COUNTS,
    YEARS_SAID,
)

MIN_PAY = 10_000  # below this a sum is not a yearly pay ("a $300 course")


@dataclass(frozen=True)
class Amount:
    kind: str  # PAY (dollars a year) or YEARS (of experience)
    value: float


def stated_amounts(question: str) -> tuple[Amount, ...]:
    """The yearly pay (infinite for "the highest salary", minus infinite for the lowest) and, in a
    question about pay, the years of experience a question states."""
    sums = [dollars(*found) for m in PAY_SUM.finditer(question) if (found := _sum(m))]
    sums += [math.inf] * bool(HIGHEST.search(question)) + [-math.inf] * bool(LOWEST.search(question))
    pay = [Amount(PAY, d) for d in sums if abs(d) >= MIN_PAY]
    if not (pay or PAY_WORDS.search(question)):
        return ()
    years = [_years(question, m) for m in YEARS_SAID.finditer(question)]
    return tuple(pay + [Amount(YEARS, y) for y in years if y is not None])


def _sum(match: re.Match[str]) -> tuple[str, str | None] | None:
    """The number and scale of a sum; None for a bare one that is no round pay ("401k" is a plan)."""
    if match[1]:
        return match[1], match[2]
    return (match[3], match[4]) if float(match[3].replace(",", "")) % 5 == 0 else None


def _years(question: str, match: re.Match[str]) -> float | None:
    """The years of experience a match states (the middle of "2-5 years"), None for a time ("in 10
    years", "two years ago")."""
    before = question[: match.start()].lower().split()[-1:]
    if set(before) & NOT_EXPERIENCE_BEFORE or NOT_EXPERIENCE_AFTER.match(question[match.end() :]):
        return None
    count = " ".join(match[1].lower().split())
    low = float(count) if count[0].isdigit() else float(WORD_COUNTS[count])
    return (low + float(match[2])) / 2 if match[2] else low
