import itertools

import numpy as np
import pytest

from advisor.answer.advisor import Advisor
from advisor.errors import InvalidRequestError, NotFoundError
from advisor.language.terms import terms
from advisor.search.retrieve import strictly_decreasing, top_positive


def top(advisor: Advisor, question: str, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.section.anchor for h in advisor.ask(question, **kw).results]


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_each_mode_finds_the_section(tiny_advisor: Advisor, mode: str) -> None:
    assert top(tiny_advisor, "how do I boil pasta", mode=mode)[0] == "step-2-boiling-pasta"
    assert top(tiny_advisor, "water tomatoes", mode=mode)[0] == "watering"


def test_one_result_per_section_and_scores_strictly_decreasing(tiny_advisor: Advisor) -> None:
    answer = tiny_advisor.ask("knead bread dough and knives", k=10)
    keys = [h.section.key for h in answer.results]
    assert len(keys) == len(set(keys))
    scores = [h.score for h in answer.results]
    assert all(a > b for a, b in itertools.pairwise(scores))


def test_hits_say_why_they_matched(tiny_advisor: Advisor) -> None:
    hit = tiny_advisor.ask("dice an onion with a knife", mode="hybrid").results[0]
    assert hit.section.anchor == "step-1-knife-skills"
    assert hit.dense_rank is not None and hit.bm25_rank is not None
    assert set(hit.matched_terms) >= {"dice", "onion", "knife"}
    start, end = hit.window
    assert 0 <= start < end <= len(hit.section.text)


def test_guide_filter_and_unknown_guide(tiny_advisor: Advisor) -> None:
    answer = tiny_advisor.ask("water", guide="cooking", k=10)
    assert answer.results and {h.section.guide for h in answer.results} == {"cooking"}
    with pytest.raises(NotFoundError, match="cooking, gardening"):
        tiny_advisor.ask("water", guide="nursing")


def test_bm25_mode_returns_only_sections_sharing_a_word(tiny_advisor: Advisor) -> None:
    assert top(tiny_advisor, "zzz qqq", mode="bm25") == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"question": "   "}, "empty"),
        ({"question": "x" * 501}, "longer than 500"),
        ({"question": "a\x00b"}, "control"),
        ({"question": "ok", "k": 0}, "between 1 and 20"),
        ({"question": "ok", "k": 21}, "between 1 and 20"),
        ({"question": "ok", "mode": "magic"}, "hybrid, dense, bm25"),
    ],
)
def test_bad_questions_are_refused_clearly(tiny_advisor: Advisor, kwargs: dict, message: str) -> None:
    question = kwargs.pop("question")
    with pytest.raises(InvalidRequestError, match=message):
        tiny_advisor.ask(question, **kwargs)


def test_question_white_space_is_collapsed(tiny_advisor: Advisor) -> None:
    assert tiny_advisor.ask("  boil \n  pasta ").question == "boil pasta"


def test_strictly_decreasing_breaks_ties_only() -> None:
    assert strictly_decreasing([0.5, 0.5, 0.5, 0.2]) == pytest.approx(
        [0.5, 0.5 - 1e-6, 0.5 - 2e-6, 0.2], abs=1e-12
    )


def test_the_modes_the_cli_offers_are_the_modes_retrieval_has() -> None:
    from advisor.search.fusion import SINGLE
    from advisor.search.modes import MODES

    assert ("hybrid", *SINGLE) == MODES


def _old_bm25_top(scores: np.ndarray, n: int) -> list[int]:
    """What BM25 ranking was before top_positive: a stable sort of every score, cut, zeros dropped."""
    top = np.argsort(-scores, kind="stable")[:n]
    return [int(p) for p in top if scores[p] > 0]


@pytest.mark.parametrize("seed", range(20))
def test_top_positive_keeps_the_order_of_a_full_stable_sort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 400))
    scores = rng.choice([0.0, 0.5, 1.0, 1.5, 2.0, *rng.random(5)], size=size).astype(np.float32)  # many ties
    for n in (1, 3, 10, 50, 1000):
        assert top_positive(scores, n).tolist() == _old_bm25_top(scores, n)


@pytest.mark.parametrize("guide", [None, "cooking", "gardening"])
def test_bm25_ranking_is_what_the_full_sort_gave(tiny_advisor: Advisor, guide: str | None) -> None:
    retriever = tiny_advisor.retriever
    for question in ("water the tomatoes", "knead bread dough", "boil pasta water salt", "knife"):
        scores = np.asarray(retriever.index.bm25.get_scores(terms(question)), dtype=np.float64)
        if guide is not None:
            scores = np.where([p.guide == guide for p in retriever.index.passages], scores, 0.0)
        ranking = retriever.bm25_ranking(question, 5, guide)
        assert list(ranking) == _old_bm25_top(scores, 5)
        assert [c.rank for c in ranking.values()] == list(range(1, len(ranking) + 1))


def test_dense_ranking_within_a_guide_only_returns_that_guide(tiny_advisor: Advisor) -> None:
    ranking = tiny_advisor.retriever.dense_ranking("water", 50, "gardening")
    guides = {tiny_advisor.index.passages[n].guide for n in ranking}
    assert guides == {"gardening"}
    assert len(ranking) == sum(p.guide == "gardening" for p in tiny_advisor.index.passages)


def test_dense_ranks_by_window_and_closest_sentence_and_keeps_the_windows_cosine(
    tiny_advisor: Advisor,
) -> None:
    from advisor.settings import defaults

    weight, sentence_share = defaults().heading_weight, defaults().sentence_share

    index, question = tiny_advisor.index, "knead the dough and bake bread in a hot oven"
    vector = tiny_advisor.embedder.encode([question])[0]
    n = len(index.passages)
    window_cos = index.dense.reconstruct_n(0, index.dense.ntotal) @ vector
    window = np.array([window_cos[index.windows[:, 0] == p].max() for p in range(n)])
    sentence_cos = index.sentence_vectors @ vector
    sentence = np.array(
        [sentence_cos[index.sentences[:, 0] == p].max() if (index.sentences[:, 0] == p).any() else w
         for p, w in zip(range(n), window, strict=True)]
    )  # fmt: skip
    closeness = (
        (1 - sentence_share) * window + sentence_share * sentence + weight * (index.heading_vectors @ vector)
    )
    hits = tiny_advisor.retriever.search(question, k=n, mode="dense").hits
    assert [h.number for h in hits] == sorted(range(n), key=lambda p: -closeness[p])
    assert all(h.dense_score == pytest.approx(window[h.number], abs=1e-5) for h in hits)
    # the sentence share changes the order here: by windows alone (heading-lifted) it differs
    by_window = sorted(range(n), key=lambda p: -(window[p] + weight * (index.heading_vectors[p] @ vector)))
    assert by_window != [h.number for h in hits]
