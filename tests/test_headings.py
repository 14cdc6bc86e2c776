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
    headings = Headings(FakeEmbedder().encode([heading_text(p) for p in GUIDE.passages]))
    query = FakeEmbedder().encode(["conclusion"])
    # by their windows, Tools (which says "conclusion") is closer than Conclusion
    ranking = {1: Candidate(1, 0.40, 3), 0: Candidate(2, 0.35, 1)}
    lifted = headings.emphasised(ranking, query, weight=0.2)
    assert sorted(lifted, key=lambda n: lifted[n].rank) == [0, 1]
    assert lifted[0].score == 0.35 and lifted[0].window == 1  # the window's cosine, for confidence
    assert headings.emphasised(ranking, query, weight=0.0) == ranking


def test_the_build_stores_one_heading_vector_per_passage(tiny_index) -> None:  # type: ignore[no-untyped-def]
    from advisor.index import load_index

    index = load_index(tiny_index)
    texts = [heading_text(p) for p in index.passages]
    assert np.allclose(index.heading_vectors, FakeEmbedder().encode(texts), atol=1e-6)
