"""Amounts: the pay and the years of experience a question states, and the passages whose stated
ranges hold them ("$135,000 – $185,000", "2-5 years of experience").

A visitor asking what they can earn "with about seven years of experience", or whether one can "make
more than 200k", is answered by the level whose range holds that amount, which similarity alone does
not find: "seven" is near neither "5+" nor "2-5". Years count only in a question about pay: "I've
coded for six years, how do I move into management" asks about management, not a pay level, and "in
10 years" is a time, not experience.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from advisor.places import NUMBER_WORDS

PAY, YEARS = "pay", "years"
MIN_PAY = 10_000  # below this a sum is not a yearly pay ("a $300 course")
DASH = r"\s*(?:-|–|—|to)\s*"
# in a passage: "$75,000 – $105,000", "$90k-$120k"
PAY_RANGE = re.compile(rf"\$\s?(\d[\d,]*)\s*(k)?\b{DASH}\$?\s?(\d[\d,]*)\s*(k)?\b", re.IGNORECASE)
# in a question: "$100k", "200k", "$120,000"
PAY_SUM = re.compile(
    r"(?:\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k|thousand)?|\b(\d[\d,]*(?:\.\d+)?)\s*(k|thousand))\b", re.I
)
EXPERIENCE = r"\s+(?:of\s+)?(?:\w+\s+)?experience"
# in a passage: "2-5 years of experience", "5+ years of experience", "at least 3 years of experience"
YEARS_RANGE = re.compile(rf"\b(\d+){DASH}(\d+)\s+years?{EXPERIENCE}", re.IGNORECASE)
YEARS_UP = re.compile(
    rf"(?:\b(\d+)\s*\+|\b(?:at\s+least|more\s+than|over)\s+(\d+))\s+years?{EXPERIENCE}", re.I
)
# in a question: "seven years", "6+ years", "3 yrs", "a couple of years", "2-5 years"
# not "a year": "200k a year" is a rate
COUNT = rf"\d+(?:\.\d+)?|{'|'.join(NUMBER_WORDS)}|a\s+couple\s+of"
YEARS_SAID = re.compile(rf"\b({COUNT})(?:{DASH}(\d+))?\s*\+?\s*(?:years?|yrs?)\b", re.IGNORECASE)
WORD_COUNTS = {"a couple of": 2} | {word: n for n, word in enumerate(NUMBER_WORDS, 1)}
NOT_EXPERIENCE_BEFORE = {"in", "within", "next", "every", "per"}  # "in 10 years", "the next 5 years"
NOT_EXPERIENCE_AFTER = re.compile(r"^\s*(?:from\s+now|ago|old|later|time)\b", re.IGNORECASE)
PAID = r"(?:pay\w*|paid|salar\w*|income|earn\w*|money|compensation)"
# "the highest paying job", "top salary", "earn the most": the top of the pay levels
HIGHEST = re.compile(
    rf"\b(?:highest|top|max(?:imum)?|most|best|biggest)[\s-]+(?:possible\s+)?{PAID}\b|\b{PAID}\s+the\s+most\b",
    re.IGNORECASE,
)
LOWEST = re.compile(rf"\b(?:lowest|minimum|min|least)[\s-]+(?:possible\s+)?{PAID}\b", re.IGNORECASE)
# "salary", "paid", "how much can I make": a question about pay (not "make the jump into management")
PAY_WORDS = re.compile(rf"\b(?:{PAID}|wages?)\b|\bhow\s+much\s+(?:\w+\s+){{0,4}}mak(?:e|ing)\b", re.I)


@dataclass(frozen=True)
class Amount:
    kind: str  # PAY (dollars a year) or YEARS (of experience)
    value: float


@dataclass(frozen=True)
class Span:
    kind: str
    low: float
    high: float  # math.inf for "5+ years"

    def holds(self, amount: Amount) -> bool:
        return amount.kind == self.kind and self.low <= amount.value <= self.high


def stated_amounts(question: str) -> tuple[Amount, ...]:
    """The yearly pay (infinite for "the highest salary", minus infinite for the lowest) and, in a
    question about pay, the years of experience a question states."""
    dollars = [_dollars(*found) for m in PAY_SUM.finditer(question) if (found := _sum(m))]
    dollars += [math.inf] * bool(HIGHEST.search(question)) + [-math.inf] * bool(LOWEST.search(question))
    sums = [Amount(PAY, d) for d in dollars if abs(d) >= MIN_PAY]
    if not (sums or PAY_WORDS.search(question)):
        return ()
    years = [_years(question, m) for m in YEARS_SAID.finditer(question)]
    return tuple(sums + [Amount(YEARS, y) for y in years if y is not None])


def stated_spans(text: str) -> tuple[Span, ...]:
    """The ranges of yearly pay and of years of experience a passage states."""
    spans = [Span(PAY, _dollars(m[1], m[2]), _dollars(m[3], m[4] or m[2])) for m in PAY_RANGE.finditer(text)]
    spans += [Span(YEARS, float(m[1]), float(m[2])) for m in YEARS_RANGE.finditer(text)]
    spans += [Span(YEARS, float(m[1] or m[2]), math.inf) for m in YEARS_UP.finditer(text)]
    return tuple(spans)


def holding(spans: dict[int, tuple[Span, ...]], amounts: Iterable[Amount]) -> set[int]:
    """The passages (by number) with a stated range that holds one of the amounts; for an infinite
    amount, those whose range of its kind reaches highest (lowest)."""
    held = set()
    for amount in amounts:
        if math.isinf(amount.value):
            held |= _extreme(spans, amount.kind, highest=amount.value > 0)
        else:
            held |= {n for n, stated in spans.items() if any(s.holds(amount) for s in stated)}
    return held


def _extreme(spans: dict[int, tuple[Span, ...]], kind: str, *, highest: bool) -> set[int]:
    """The passages whose range of a kind reaches highest (or lowest)."""
    ends = {
        n: {s.high if highest else -s.low for s in stated if s.kind == kind} for n, stated in spans.items()
    }
    top = max((e for found in ends.values() for e in found), default=None)
    return {n for n, found in ends.items() if top in found}


def _sum(match: re.Match[str]) -> tuple[str, str | None] | None:
    """The number and scale of a sum; None for a bare one that is no round pay ("401k" is a plan)."""
    if match[1]:
        return match[1], match[2]
    return (match[3], match[4]) if float(match[3].replace(",", "")) % 5 == 0 else None


def _dollars(number: str, scale: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * 1000 if scale else value


def _years(question: str, match: re.Match[str]) -> float | None:
    """The years of experience a match states (the middle of "2-5 years"), None for a time ("in 10
    years", "two years ago")."""
    before = question[: match.start()].lower().split()[-1:]
    if set(before) & NOT_EXPERIENCE_BEFORE or NOT_EXPERIENCE_AFTER.match(question[match.end() :]):
        return None
    count = " ".join(match[1].lower().split())
    low = float(count) if count[0].isdigit() else float(WORD_COUNTS[count])
    return (low + float(match[2])) / 2 if match[2] else low
