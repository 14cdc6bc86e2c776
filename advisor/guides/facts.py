"""Facts: the ranges of yearly pay and of years of experience a section states ("$135,000 – $185,000",
"2-5 years of experience", "5+ years of experience")."""

from __future__ import annotations

import math
from dataclasses import dataclass

from advisor.language.lexicon import PAY_RANGE, YEARS_RANGE, YEARS_UP

PAY, YEARS = "pay", "years"


@dataclass(frozen=True)
class Range:
    kind: str  # PAY (dollars a year) or YEARS (of experience)
    low: float
    high: float  # math.inf for "5+ years"


def stated_ranges(text: str) -> tuple[Range, ...]:
    """The ranges of yearly pay and of years of experience a section's text states."""
    ranges = [
        Range(PAY, dollars(m[1], m[2]), dollars(m[3], m[4] or m[2])) for m in PAY_RANGE.finditer(text)
    ]
    ranges += [Range(YEARS, float(m[1]), float(m[2])) for m in YEARS_RANGE.finditer(text)]
    ranges += [Range(YEARS, float(m[1] or m[2]), math.inf) for m in YEARS_UP.finditer(text)]
    return tuple(ranges)


def dollars(number: str, scale: str | None) -> float:
    """A sum as written ("120,000", or "120" with the scale "k") in dollars."""
    value = float(number.replace(",", ""))
    return value * 1000 if scale else value
