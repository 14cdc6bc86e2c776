"""Evals: each mechanism of the advisor switched off in turn, on the dev questions of every suite.

A mechanism earns its place by what it adds on real questions and on guides it was not tuned on. Each
variant is the advisor as shipped with one mechanism removed (patched out for the run, nothing in the
product is switchable); the table gives each figure with and without it, and the paired 95% bootstrap
interval of the difference. `advisor eval --ablate` writes eval/reports/ablation.md.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from unittest import mock

import numpy as np

from advisor.answer.advisor import Advisor
from advisor.evals.compare import bootstrap_interval
from advisor.evals.evaluate import QuestionResult, run_questions
from advisor.evals.leave_out import LeaveSourceOut
from advisor.evals.questions import load_questions
from advisor.evals.suites import FIGURES, Suite, figure_value

Variant = Callable[[Advisor], contextlib.AbstractContextManager[None]]


@contextlib.contextmanager
def _patched(target: str, value: object) -> Iterator[None]:
    with mock.patch(target, value):
        yield


@contextlib.contextmanager
def _attribute(obj: object, name: str, value: object) -> Iterator[None]:
    before = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, before)


def _setting(name: str, value: object) -> Variant:
    return lambda advisor: _attribute(
        advisor.retriever, "settings", advisor.retriever.settings.model_copy(update={name: value})
    )


def _no_synonyms(advisor: Advisor) -> contextlib.AbstractContextManager[None]:
    return _attribute(advisor, "index", dataclasses.replace(advisor.index, synonyms={}))


def _no_spelling(advisor: Advisor) -> contextlib.AbstractContextManager[None]:
    from collections import Counter

    from advisor.language.spelling import Speller

    return _attribute(advisor, "speller", Speller(Counter()))


def _threshold(**change: float) -> Variant:
    return lambda advisor: _attribute(
        advisor, "thresholds", dataclasses.replace(advisor.thresholds, **change)
    )


# name -> what switching it off means, and how
VARIANTS: dict[str, tuple[str, Variant]] = {
    "spelling": ("misspellings corrected against the guides' words", _no_spelling),
    "synonyms": ("the corpus's acronym and synonym table", _no_synonyms),
    "roadmap": (
        "'what comes after X' searched for X, and the next step led with",
        lambda advisor: _patched("advisor.understand.query.roadmap_topic", lambda question: None),
    ),
    "places": (
        "'step 4', 'the first step', 'where do I start' located in the guide's order",
        lambda advisor: _patched("advisor.understand.query.named_places", lambda question: ()),
    ),
    "heading lift": (
        "sections whose heading path is close to the question lifted",
        _setting("heading_weight", 0.0),
    ),
    "sentence share": (
        "a section's closest sentence mixed into its closeness",
        _setting("sentence_share", 0.0),
    ),
    "bm25": (
        "BM25 fused with dense retrieval (hybrid against dense mode)",
        lambda advisor: contextlib.nullcontext(),
    ),
    "coverage": (
        "'answered' when enough of the question's weighted words occur in the guide",
        _threshold(coverage=float("inf")),
    ),
    "confirmed votes": (
        "'no good answer' when most of the nearest confirmed questions say no guide covers it "
        "(each question's own source left out)",
        lambda advisor: _attribute(advisor, "votes", dataclasses.replace(advisor.votes, neighbours=0)),
    ),
}
DENSE_MODE_VARIANTS = {"bm25"}


def run(suites: Sequence[Suite], advisor_of: Callable[[Suite], Advisor], *, split: str = "dev") -> str:
    """The ablation table (Markdown) over the suites' questions of one split."""
    rows: list[str] = []
    for suite in suites:
        advisor = advisor_of(suite)
        known = {p.key for p in advisor.index.passages}
        questions = [q for q in load_questions(suite.questions, known=known) if q.split == split]
        full = run_questions(LeaveSourceOut(advisor), questions, mode="hybrid", ks=[1, 3, 10])
        for name, (_, variant) in VARIANTS.items():
            mode = "dense" if name in DENSE_MODE_VARIANTS else "hybrid"
            with variant(advisor):
                without = run_questions(LeaveSourceOut(advisor), questions, mode=mode, ks=[1, 3, 10])
            rows.append(_row(f"{suite.name} ({len(questions)})", name, full, without))
    head = "| suite | without | " + " | ".join(f for f, _, _ in FIGURES) + " |"
    lines = [head, "|---" * (len(FIGURES) + 2) + "|", *rows]
    legend = [f"- **{name}**: {about}" for name, (about, _) in VARIANTS.items()]
    return "\n".join(lines) + "\n\n" + "\n".join(legend) + "\n"


def _row(suite: str, name: str, full: list[QuestionResult], without: list[QuestionResult]) -> str:
    cells = []
    for _, kinds, what in FIGURES:
        pairs = [
            (a, b)
            for r, s in zip(full, without, strict=True)
            if r.question.kind in kinds
            and (a := figure_value(r, what)) is not None
            and (b := figure_value(s, what)) is not None
        ]
        if not pairs:
            cells.append("–")
            continue
        with_it, off = (np.array(x, dtype=np.float64) for x in zip(*pairs, strict=True))
        low, high = bootstrap_interval(with_it - off, resamples=2000, seed=0)
        delta = with_it.mean() - off.mean()
        cells.append(f"{off.mean():.2f} → {with_it.mean():.2f} (Δ {delta:+.2f} [{low:+.2f}, {high:+.2f}])")
    return f"| {suite} | {name} | " + " | ".join(cells) + " |"
