"""Confirmed questions vote: do the guides cover a question that is close to ones the owner confirmed?

The site owner confirms, for visitors' questions, the section that answers each or that no guide covers
it (advisor/guides/confirmed.py). A new question's nearest confirmed questions, those at least
`min_similarity` close (cosine), vote with their similarity as weight. When more than half of the
weight says "not covered", the question gets the guide's honest "no": questions about remote jobs,
freelancing or a job market abroad sound as close to a career guide as real ones do, but they sound
closer still to one another. Votes for sections only speak against "not covered": placing a voted
section first did not pay on real questions (eval/README.md).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

import numpy as np

from advisor.guides.confirmed import Confirmed


@dataclass(frozen=True)
class Votes:
    """The confirmed questions of an index, ready to vote."""

    confirmed: tuple[Confirmed, ...]
    vectors: np.ndarray  # (confirmed, dimension) unit vectors
    neighbours: int  # how many of the nearest vote
    min_similarity: float  # ... and how close each must be

    def not_covered(self, vector: np.ndarray | None) -> float | None:
        """The share of the nearest confirmed questions' weight that says no guide covers the question
        (`vector`, unit length); None when none is close enough to vote (or there is no vector)."""
        if vector is None or not self.confirmed or self.neighbours < 1:
            return None
        similarity = self.vectors @ np.asarray(vector, dtype=np.float32).reshape(-1)
        nearest = np.argsort(-similarity, kind="stable")[: self.neighbours]
        voting = nearest[similarity[nearest] >= self.min_similarity]
        if not len(voting):
            return None
        weights = similarity[voting]
        against = np.array([self.confirmed[i].section is None for i in voting.tolist()])
        return float(weights[against].sum() / weights.sum())

    def without(self, sources: Set[str]) -> Votes:
        """These votes less the confirmations asked at `sources` (one without a source is its own
        source, its question); evals leave a question's own source out (evals/leave_out.py)."""
        keep = [i for i, c in enumerate(self.confirmed) if (c.source or c.question) not in sources]
        return Votes(
            tuple(self.confirmed[i] for i in keep), self.vectors[keep], self.neighbours, self.min_similarity
        )
