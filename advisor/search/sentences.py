"""Sentences: every passage's sentences and their vectors, scored against a question as retrieval ranks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    text: str
    score: float


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


class Sentences:
    """The index's sentence rows and vectors: each passage's closest sentence, the rows of its sentences."""

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

    def of(self, number: int) -> tuple[int, int]:
        """The rows of passage `number`'s sentences (an empty range when it has none)."""
        if len(self.vectors) == 0 or number + 1 >= len(self._starts):
            return 0, 0
        return int(self._starts[number]), int(self._starts[number + 1])
