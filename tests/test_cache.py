from advisor.answer.advisor import Advisor
from advisor.index.load import load_index
from advisor.settings import defaults
from tests.conftest import FakeEmbedder


def test_a_repeated_question_is_answered_from_the_cache(tiny_advisor: Advisor) -> None:
    first = tiny_advisor.ask("how do I boil pasta", k=3)
    again = tiny_advisor.ask("  how do I   boil pasta ", k=3)  # white space does not matter
    assert again is first
    assert tiny_advisor.cache_info()[:2] == (1, 1)


def test_everything_that_changes_the_answer_is_in_the_key(tiny_advisor: Advisor) -> None:
    base = tiny_advisor.ask("water", k=3)
    others = [
        tiny_advisor.ask("water", k=4),
        tiny_advisor.ask("water", k=3, mode="bm25"),
        tiny_advisor.ask("water", k=3, guide="gardening"),
        tiny_advisor.ask("Water", k=3),
    ]
    assert all(o is not base for o in others)
    assert len(others[0].results) == 4 and others[1].mode == "bm25"
    assert {h.section.guide for h in others[2].results} == {"gardening"}
    assert tiny_advisor.cache_info() == (0, 5, 5)


def test_the_cache_can_be_turned_off(tiny_index, fake_embedder: FakeEmbedder) -> None:  # type: ignore[no-untyped-def]
    advisor = Advisor(load_index(tiny_index), fake_embedder, defaults().model_copy(update={"cache_size": 0}))
    first, again = advisor.ask("pasta"), advisor.ask("pasta")
    assert first is not again and first == again
    assert advisor.cache_info() == (0, 0, 0)


def test_the_cache_is_bounded(tiny_index, fake_embedder: FakeEmbedder) -> None:  # type: ignore[no-untyped-def]
    advisor = Advisor(load_index(tiny_index), fake_embedder, defaults().model_copy(update={"cache_size": 2}))
    for question in ("pasta", "bread", "water", "pasta"):
        advisor.ask(question)
    assert advisor.cache_info() == (0, 4, 2)  # "pasta" was evicted by the time it came back
