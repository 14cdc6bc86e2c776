import itertools

import pytest

from advisor.answer import Advisor
from advisor.errors import InvalidRequestError, NotFoundError
from advisor.retrieve import strictly_decreasing


def top(advisor: Advisor, question: str, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.passage.anchor for h in advisor.ask(question, **kw).results]


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_each_mode_finds_the_section(tiny_advisor: Advisor, mode: str) -> None:
    assert top(tiny_advisor, "how do I boil pasta", mode=mode)[0] == "step-2-boiling-pasta"
    assert top(tiny_advisor, "water tomatoes", mode=mode)[0] == "watering"


def test_one_result_per_section_and_scores_strictly_decreasing(tiny_advisor: Advisor) -> None:
    answer = tiny_advisor.ask("knead bread dough and knives", k=10)
    keys = [h.passage.key for h in answer.results]
    assert len(keys) == len(set(keys))
    scores = [h.score for h in answer.results]
    assert all(a > b for a, b in itertools.pairwise(scores))


def test_hits_say_why_they_matched(tiny_advisor: Advisor) -> None:
    hit = tiny_advisor.ask("dice an onion with a knife", mode="hybrid").results[0]
    assert hit.passage.anchor == "step-1-knife-skills"
    assert hit.dense_rank is not None and hit.bm25_rank is not None
    assert set(hit.matched_terms) >= {"dice", "onion", "knife"}
    start, end = hit.window
    assert 0 <= start < end <= len(hit.passage.text)


def test_guide_filter_and_unknown_guide(tiny_advisor: Advisor) -> None:
    answer = tiny_advisor.ask("water", guide="cooking", k=10)
    assert answer.results and {h.passage.guide for h in answer.results} == {"cooking"}
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
