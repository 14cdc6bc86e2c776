"""Facts: the ranges of yearly pay a section states ("$135,000 – $185,000", "$90k-$120k")."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.language.lexicon import PAY_RANGE


@dataclass(frozen=True)
class Range:
    low: float  # dollars a year
    high: float


def stated_pay(text: str) -> tuple[Range, ...]:
    """The ranges of yearly pay a section's text states."""
    return tuple(Range(dollars(m[1], m[2]), dollars(m[3], m[4] or m[2])) for m in PAY_RANGE.finditer(text))


def dollars(number: str, scale: str | None) -> float:
    """A sum as written ("120,000", or "120" with the scale "k") in dollars."""
    value = float(number.replace(",", ""))
    return value * 1000 if scale else value
