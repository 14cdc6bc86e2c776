"""Headings: each passage's heading path embedded on its own, to lift the passages whose heading names
what is asked above those that only mention it.

A window's vector mixes its heading with its text; a short question ("any final advice", "what does a
backend engineer do") is often closer to a heading ("Conclusion", "What Does a Backend Engineer Do?")
than to any window. The dense ranking is re-ordered by a passage's closeness (advisor/search/retrieve.py) +
WEIGHT x heading cosine; the cosine each candidate carries stays its best window's.
"""

from __future__ import annotations

import numpy as np


class Headings:
    """The heading vectors of an index's passages (one per passage, made by the build)."""

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors

    def lifted(
        self, numbers: list[int], cosines: np.ndarray, vector: np.ndarray | None, weight: float
    ) -> np.ndarray:
        """Each passage's cosine + weight x its heading's cosine to the question vector."""
        if not numbers or weight == 0 or vector is None:
            return cosines
        return cosines + weight * (self.vectors[numbers] @ vector[0])
