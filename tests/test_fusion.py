"""Hybrid fusion strategies: the convex combination (the default), RRF, and z-score fusion."""

import itertools

import numpy as np
import pytest

from advisor.answer.advisor import Advisor
from advisor.errors import InvalidRequestError
from advisor.index.load import load_index
from advisor.search.fusion import Candidate, Rankings, convex, rrf, zscore
from advisor.search.retrieve import Retriever
from advisor.settings import defaults


def test_zscore_standardises_each_retriever_over_the_same_candidates() -> None:
    asked: list[list[int]] = []

    def dense_scores(numbers: list[int]) -> np.ndarray:
        asked.append(numbers)
        return np.array([0.9, 0.5, 0.1])[numbers]

    evidence = Rankings(
        dense={0: Candidate(1, 0.9), 1: Candidate(2, 0.5)},
        lexical={2: Candidate(1, 6.0), 0: Candidate(2, 3.0)},
        dense_scores=dense_scores,
        bm25_scores=np.array([3.0, 0.0, 6.0, 1.0]),
    )
    fused = zscore(evidence)
    assert asked == [[0, 1, 2]]  # passage 2 came from BM25 only: its real dense score is used
    z = lambda x: (x - x.mean()) / x.std()  # noqa: E731
    expected = z(np.array([0.9, 0.5, 0.1])) + z(np.array([3.0, 0.0, 6.0]))
    assert list(fused) == [0, 1, 2] and np.allclose(list(fused.values()), expected)


def test_convex_scales_dense_by_min_max_and_bm25_by_its_best_then_weighs_them() -> None:
    evidence = Rankings(
        dense={0: Candidate(1, 0.9), 1: Candidate(2, 0.5)},
        lexical={2: Candidate(1, 6.0), 0: Candidate(2, 3.0)},
        dense_scores=lambda numbers: np.array([0.9, 0.5, 0.1])[numbers],
        bm25_scores=np.array([3.0, 0.0, 6.0, 1.0]),
    )
    fused = convex(evidence, dense_share=0.7)
    # dense 0.9, 0.5, 0.1 -> 1, 0.5, 0; BM25 3, 0, 6 -> 0.5, 0, 1 (its floor is 0, not the lowest)
    assert fused == pytest.approx({0: 0.7 + 0.15, 1: 0.35, 2: 0.3})


def test_convex_keeps_a_wide_dense_lead_that_rrf_gives_away() -> None:

    # passage 0: dense first by far, unmatched by BM25; passage 1: second in both lists, close behind
    # BM25's best, which matched incidental words only
    dense = {0: Candidate(1, 0.58), 1: Candidate(2, 0.45), 2: Candidate(3, 0.44)}
    lexical = {2: Candidate(1, 1.5), 1: Candidate(2, 1.4)}
    evidence = Rankings(dense, lexical, lambda n: np.array([0.58, 0.45, 0.44])[n], np.array([0.0, 1.4, 1.5]))
    fused, ranks = convex(evidence, 0.7), rrf(dense, lexical, 60, 1.0)
    assert max(fused, key=fused.__getitem__) == 0
    assert max(ranks, key=ranks.__getitem__) != 0


def test_convex_of_no_candidates_and_without_bm25() -> None:
    assert convex(Rankings({}, {}, lambda n: np.zeros(len(n)), np.zeros(3)), 0.7) == {}
    dense_only = Rankings(
        {0: Candidate(1, 0.5), 1: Candidate(2, 0.4)}, {}, lambda n: np.array([0.5, 0.4])[n], np.zeros(2)
    )
    assert convex(dense_only, 0.7) == pytest.approx({0: 0.7, 1: 0.0})


def test_zscore_of_no_candidates_and_of_equal_scores() -> None:
    empty = Rankings({}, {}, lambda n: np.zeros(len(n)), np.zeros(3))
    assert zscore(empty) == {}
    flat = Rankings({0: Candidate(1, 0.5)}, {}, lambda n: np.full(len(n), 0.5), np.zeros(3))
    assert zscore(flat) == {0: 0.0}


@pytest.fixture
def zscore_advisor(tiny_index, fake_embedder) -> Advisor:  # type: ignore[no-untyped-def]
    return Advisor(load_index(tiny_index), fake_embedder, defaults().model_copy(update={"fusion": "zscore"}))


def test_zscore_hybrid_finds_the_section_with_strictly_decreasing_scores(zscore_advisor: Advisor) -> None:
    answer = zscore_advisor.ask("how do I boil pasta", k=8)
    assert answer.results[0].section.anchor == "step-2-boiling-pasta"
    assert zscore_advisor.ask("water tomatoes").results[0].section.anchor == "watering"
    assert all(a.score > b.score for a, b in itertools.pairwise(answer.results))
    only_gardening = zscore_advisor.ask("water", guide="gardening", k=10).results
    assert {h.section.guide for h in only_gardening} == {"gardening"}


def test_window_scores_of_any_passage_match_the_dense_ranking(tiny_advisor: Advisor) -> None:
    retriever = tiny_advisor.retriever
    ranking = retriever.dense_ranking("knead the dough and bake bread", 20, None)
    vector = tiny_advisor.embedder.encode(["knead the dough and bake bread"])
    numbers = sorted(ranking)
    assert np.allclose(
        retriever._window_scores(vector, numbers), [ranking[n].score for n in numbers], atol=1e-6
    )


def test_unknown_fusion_names_the_known_ones(tiny_advisor: Advisor) -> None:
    with pytest.raises(InvalidRequestError, match="rrf, zscore, convex"):
        borda = defaults().model_copy(update={"fusion": "borda"})
        Retriever(tiny_advisor.index, tiny_advisor.embedder, borda)


def test_rrf_scales_down_the_vote_of_weak_bm25_evidence() -> None:

    dense = {0: Candidate(1, 0.8), 1: Candidate(2, 0.7)}
    strong = rrf(dense, {1: Candidate(1, 4.0), 0: Candidate(2, 2.0)}, 60, 1.0)
    assert strong[1] == pytest.approx(1 / 62 + 1 / 61)  # BM25 best >= 1: a full vote
    weak = rrf(dense, {1: Candidate(1, 0.25), 0: Candidate(2, 0.2)}, 60, 1.0)
    assert weak[1] == pytest.approx(1 / 62 + 0.25 / 61)  # only common words matched: a quarter vote
    assert max(weak, key=weak.__getitem__) == 0  # the dense match wins


def test_an_exact_rrf_tie_goes_to_the_passage_nearer_both_bests() -> None:
    from advisor.search.retrieve import _nearness, _tie_break

    # passage 0: dense 1st by a hair, BM25 2nd far behind; passage 1: dense 2nd, BM25 1st by far
    dense = {0: Candidate(1, 0.30), 1: Candidate(2, 0.29), 2: Candidate(3, 0.10)}
    lexical = {1: Candidate(1, 6.0), 0: Candidate(2, 1.5), 2: Candidate(3, 1.0)}
    fused = rrf(dense, lexical, 60, 1.0)
    assert fused[0] == fused[1]
    near = _nearness(dense, lexical)
    order = sorted(fused, key=lambda p: _tie_break(p, fused, near, dense, lexical))
    assert order == [1, 0, 2]


def test_bm25_matches_content_words_not_question_words(tiny_advisor: Advisor) -> None:
    retriever = tiny_advisor.retriever
    assert not retriever.bm25_scores("what does it do and how?", None).any()
    top = retriever.bm25_ranking("how do I boil pasta?", 3, None)
    assert tiny_advisor.index.passages[min(top, key=lambda p: top[p].rank)].anchor == "step-2-boiling-pasta"
