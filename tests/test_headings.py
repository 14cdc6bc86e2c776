"""Heading emphasis: a passage whose heading names what is asked is lifted in the dense ranking."""

import numpy as np

from advisor.headings import Headings, heading_text
from advisor.passages import parse_guide
from advisor.retrieve import Candidate
from tests.conftest import FakeEmbedder

GUIDE = parse_guide(
    "# Guide\n\n## Conclusion\n\nGood luck on the road ahead.\n\n"
    "## Tools\n\nThe conclusion of every project is a review of the tools.\n",
    "g",
)


def test_heading_text_is_the_breadcrumb() -> None:
    assert heading_text(GUIDE.passages[0]) == "Guide › Conclusion"


def test_the_passage_named_by_its_heading_is_lifted_and_scores_are_kept() -> None:
    headings = Headings(GUIDE.passages, FakeEmbedder())
    query = FakeEmbedder().encode(["conclusion"])
    # by their windows, Tools (which says "conclusion") is closer than Conclusion
    ranking = {1: Candidate(1, 0.40, 3), 0: Candidate(2, 0.35, 1)}
    lifted = headings.emphasised(ranking, query, weight=0.2)
    assert sorted(lifted, key=lambda n: lifted[n].rank) == [0, 1]
    assert lifted[0].score == 0.35 and lifted[0].window == 1  # the window's cosine, for confidence
    assert headings.emphasised(ranking, query, weight=0.0) == ranking


def test_heading_vectors_are_made_once() -> None:
    calls: list[int] = []

    class Counting(FakeEmbedder):
        def encode(self, texts):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return super().encode(texts)

    headings = Headings(GUIDE.passages, Counting())
    assert calls == []  # nothing embedded until the first search
    first = headings.vectors
    assert calls == [2] and np.array_equal(headings.vectors, first) and calls == [2]
