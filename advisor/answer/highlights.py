"""Highlights: the one to three sentences of a passage that best answer the question, word for word."""

from __future__ import annotations

import numpy as np

from advisor.guides.sections import Section
from advisor.search.sentences import Highlight, Sentences


def pick(
    sentences: Sentences,
    number: int,
    section: Section,
    query: np.ndarray | None,
    *,
    most: int,
    margin: float,
) -> tuple[Highlight, ...]:
    """Up to `most` sentences of section `number`, best first, with offsets into its text: the best, and
    those within `margin` cosine of it."""
    lo, hi = sentences.of(number)
    if query is None or lo == hi:
        return ()
    scores = sentences.vectors[lo:hi] @ query.reshape(-1)
    order = np.argsort(-scores, kind="stable")[:most]
    best = float(scores[order[0]])
    chosen = [i for i in order if float(scores[i]) >= best - margin]
    rows = sentences.rows
    return tuple(
        Highlight(
            start=int(rows[lo + i, 1]),
            end=int(rows[lo + i, 2]),
            text=section.text[int(rows[lo + i, 1]) : int(rows[lo + i, 2])],
            score=round(float(scores[i]), 4),
        )
        for i in chosen
    )
