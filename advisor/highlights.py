"""Highlights: the one to three sentences of a passage that best answer the question, word for word."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from advisor.passages import Section
from advisor.windows import sentence_spans

MAX_HIGHLIGHTS = 3
# A second or third sentence is shown only when it is nearly as close to the question as the best one:
# within this much cosine similarity. Larger margins pad highlights with loosely related sentences.
MARGIN = 0.06


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    text: str
    score: float


def sentence_rows(passages: list[Section]) -> np.ndarray:
    """(sentences, 3) int32 rows: passage number, start and end of each sentence of each passage."""
    rows = [
        (number, start, end)
        for number, passage in enumerate(passages)
        for start, end in sentence_spans(passage.text)
    ]
    return np.array(rows, dtype=np.int32).reshape(-1, 3)


def segments(bounds: np.ndarray, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of the numbered segments, together, and each one's length; segment n owns the rows
    bounds[n] to bounds[n + 1] (a passage's sentences, or its windows)."""
    lo, lengths = bounds[numbers], bounds[numbers + 1] - bounds[numbers]
    before = np.cumsum(lengths) - lengths  # where each segment starts among the rows returned
    return np.arange(int(lengths.sum())) + np.repeat(lo - before, lengths), lengths


def segment_max(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The largest of each segment of consecutive values (NaN for an empty segment)."""
    out = np.full(len(lengths), np.nan)
    full = lengths > 0
    if full.any():
        out[full] = np.maximum.reduceat(values, (np.cumsum(lengths) - lengths)[full])
    return out


def largest(values: np.ndarray) -> float | None:
    """The largest of the values that are not NaN (None when there is none)."""
    return None if np.isnan(values).all() else float(np.nanmax(values))


class Highlighter:
    """Picks highlight sentences by cosine similarity of precomputed sentence vectors."""

    def __init__(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        self.rows = rows
        self.vectors = vectors
        self._starts = np.searchsorted(rows[:, 0], np.arange(int(rows[:, 0].max(initial=-1)) + 2))

    def closest(self, query: np.ndarray, numbers: Sequence[int]) -> np.ndarray:
        """Each passage's closest sentence: its cosine similarity to the question (NaN for a passage
        without sentence vectors, as in an index built without highlights)."""
        numbers_ = np.asarray(numbers, dtype=np.int64)
        out = np.full(len(numbers_), np.nan)
        known = numbers_ + 1 < len(self._starts)
        rows, lengths = segments(self._starts, numbers_[known])
        out[known] = segment_max(self.vectors[rows] @ query.reshape(-1), lengths)
        return out

    def pick(self, number: int, passage: Section, query: np.ndarray | None) -> tuple[Highlight, ...]:
        """Up to three sentences of passage `number`, best first, with offsets into its text."""
        if query is None or len(self.vectors) == 0 or number + 1 >= len(self._starts):
            return ()
        lo, hi = int(self._starts[number]), int(self._starts[number + 1])
        if lo == hi:
            return ()
        scores = self.vectors[lo:hi] @ query.reshape(-1)
        order = np.argsort(-scores, kind="stable")[:MAX_HIGHLIGHTS]
        best = float(scores[order[0]])
        chosen = [i for i in order if float(scores[i]) >= best - MARGIN]
        return tuple(
            Highlight(
                start=int(self.rows[lo + i, 1]),
                end=int(self.rows[lo + i, 2]),
                text=passage.text[int(self.rows[lo + i, 1]) : int(self.rows[lo + i, 2])],
                score=round(float(scores[i]), 4),
            )
            for i in chosen
        )
