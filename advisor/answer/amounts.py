"""Amounts: the sections whose stated range holds the pay or years of experience a question states."""

from __future__ import annotations

import math
from collections.abc import Iterable

from advisor.guides.facts import Range
from advisor.understand.amounts import Amount


def holds(stated: Range, amount: Amount) -> bool:
    return amount.kind == stated.kind and stated.low <= amount.value <= stated.high


def holding(ranges: dict[int, tuple[Range, ...]], amounts: Iterable[Amount]) -> set[int]:
    """The sections (by number) with a stated range that holds one of the amounts; for an infinite
    amount, those whose range of its kind reaches highest (lowest)."""
    held = set()
    for amount in amounts:
        if math.isinf(amount.value):
            held |= _extreme(ranges, amount.kind, highest=amount.value > 0)
        else:
            held |= {n for n, stated in ranges.items() if any(holds(r, amount) for r in stated)}
    return held


def _extreme(ranges: dict[int, tuple[Range, ...]], kind: str, *, highest: bool) -> set[int]:
    """The sections whose range of a kind reaches highest (or lowest)."""
    ends = {
        n: {r.high if highest else -r.low for r in stated if r.kind == kind} for n, stated in ranges.items()
    }
    top = max((e for found in ends.values() for e in found), default=None)
    return {n for n, found in ends.items() if top in found}
