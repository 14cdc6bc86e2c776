"""Heading emphasis: a passage whose heading names what is asked is lifted in the dense ranking."""

import numpy as np

from advisor.guides.sections import parse_guide
from advisor.index.texts import heading_text
from advisor.search.headings import Headings
from tests.conftest import FakeEmbedder

GUIDE = parse_guide(
    "# Guide\n\n## Conclusion\n\nGood luck on the road ahead.\n\n"
    "## Tools\n\nThe conclusion of every project is a review of the tools.\n",
    "g",
)


def test_heading_text_is_the_breadcrumb() -> None:
    assert heading_text(GUIDE.passages[0]) == "Guide › Conclusion"


def test_the_passage_named_by_its_heading_is_lifted() -> None:
    headings = Headings(FakeEmbedder().encode([heading_text(p) for p in GUIDE.passages]))
    query = FakeEmbedder().encode(["conclusion"])
    # by their windows, Tools (which says "conclusion") is closer than Conclusion (0)
    cosines = np.array([0.35, 0.40])
    lifted = headings.lifted([0, 1], cosines, query, weight=0.2)
    assert lifted[0] > lifted[1]
    assert np.array_equal(headings.lifted([0, 1], cosines, query, weight=0.0), cosines)


def test_the_build_stores_one_heading_vector_per_passage(tiny_index) -> None:  # type: ignore[no-untyped-def]
    from advisor.index.load import load_index

    index = load_index(tiny_index)
    texts = [heading_text(p) for p in index.passages]
    assert np.allclose(index.heading_vectors, FakeEmbedder().encode(texts), atol=1e-6)
