"""Benchmark in process: warm `ask` next to the bare model encoding the same questions, and cached `ask`."""

from __future__ import annotations

import time
from typing import Any

from advisor.answer.advisor import Advisor
from advisor.bench.measure import percentiles, timed


def paired_latency(advisor: Advisor, bare: Any, questions: list[str], *, rounds: int) -> dict[str, Any]:
    """`ask` and bare `SentenceTransformer.encode` timed back to back on each question, so that the
    noise of a shared machine falls on both alike; the advisor's cache is off here."""
    for question in questions[:5]:  # warm both paths
        bare.encode(question)
        advisor.ask(question)
    asks, encodes = [], []
    for turn in range(rounds):
        for question in questions:
            if turn % 2 == 0:  # alternate which goes first
                asks.append(_time(advisor.ask, question))
                encodes.append(_time(bare.encode, question))
            else:
                encodes.append(_time(bare.encode, question))
                asks.append(_time(advisor.ask, question))
    ask, encode = percentiles(asks), percentiles(encodes)
    overheads = sorted(a - e for a, e in zip(asks, encodes, strict=True))
    return {
        "ask": ask,
        "bare_encode": encode,
        "ratio_p50": ask["p50_ms"] / encode["p50_ms"],
        "median_overhead_ms": overheads[len(overheads) // 2] * 1000,
    }


def _time(func: Any, question: str) -> float:
    start = time.perf_counter()
    func(question)
    return time.perf_counter() - start


def cached_latency(advisor: Advisor, questions: list[str], *, rounds: int) -> dict[str, Any]:
    """`ask` for questions already asked: every call must be a cache hit."""
    for question in questions:
        advisor.ask(question)
    hits_before = advisor.cache_info()[0]
    result = percentiles(timed(advisor.ask, questions, rounds=rounds))
    hits = advisor.cache_info()[0] - hits_before
    return {**result, "cache_hits": hits, "all_hits": hits == len(questions) * rounds}
