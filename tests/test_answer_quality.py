"""Next steps, "no good answer", highlights and evidence, on tiny guides with the fake embedder."""

import itertools
from collections import Counter

import numpy as np
import pytest

from advisor.answer.advisor import Advisor
from advisor.answer.confidence import Evidence, TermWeights, Thresholds, is_answered
from advisor.answer.highlights import pick
from advisor.index.load import load_index
from advisor.index.texts import sentence_rows
from advisor.search.sentences import Sentences
from tests.conftest import FakeEmbedder


def test_a_roadmap_question_gets_the_reached_step_and_the_next(tiny_advisor: Advisor) -> None:
    answer = tiny_advisor.ask("I can dice an onion with a chef's knife, what next?", k=3)
    assert answer.answered
    assert [h.section.heading for h in answer.next_steps] == ["Step 2: Boiling Pasta"]
    assert answer.next_steps[0].reason == "Step 2 follows Step 1 in the guide"
    headings = [h.section.heading for h in answer.results]
    assert headings[:2] == ["Step 1: Knife Skills", "Step 2: Boiling Pasta"]
    scores = [h.score for h in answer.results]
    assert all(a > b for a, b in itertools.pairwise(scores))


def test_ordinary_questions_get_no_next_steps(tiny_advisor: Advisor) -> None:
    assert tiny_advisor.ask("how do I dice an onion with a knife").next_steps == ()


def test_the_last_step_has_no_next_step(tiny_advisor: Advisor) -> None:
    answer = tiny_advisor.ask("after baking bread with flour, yeast and dough, what next?")
    assert answer.results[0].section.heading == "Step 3: Baking Bread"
    assert answer.next_steps == ()


def test_an_uncovered_question_is_not_answered_but_shows_closest(tiny_advisor: Advisor) -> None:
    answer = tiny_advisor.ask("quantum chromodynamics lattice gauge theory")
    assert answer.answered is False
    assert answer.results  # still the closest sections
    assert tiny_advisor.ask("how long to boil pasta in salted water").answered is True


def test_highlights_are_sentences_of_the_section_best_first(tiny_advisor: Advisor) -> None:
    hit = tiny_advisor.ask("knead the dough and let it rise").results[0]
    assert hit.section.heading == "Step 3: Baking Bread"
    assert 1 <= len(hit.highlights) <= 3
    for h in hit.highlights:
        assert hit.section.text[h.start : h.end] == h.text
    assert "Knead the dough" in hit.highlights[0].text
    assert [h.score for h in hit.highlights] == sorted((h.score for h in hit.highlights), reverse=True)


def test_misspelt_questions_are_corrected_and_reported(tiny_index, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    advisor = Advisor(load_index(tiny_index), fake_embedder)
    answer = advisor.ask("tomatos watering")
    assert ("tomatos", "tomatoes") in answer.corrections
    assert answer.results[0].section.heading == "Watering"


def test_highlighter_picks_from_the_right_passage() -> None:
    from advisor.guides.sections import parse_guide

    # sentences of three words at least: fewer is never a highlight (tests/test_highlight_answers.py)
    source = "# A\n\nCats purr loudly. Dogs bark loudly.\n\n## B\n\nFish swim deep. Birds fly south.\n"
    guide = parse_guide(source, "g")
    rows = sentence_rows(list(guide.passages))
    vectors = FakeEmbedder().encode([guide.passages[r[0]].text[r[1] : r[2]] for r in rows])
    sentences = Sentences(rows, vectors)
    query = FakeEmbedder().encode(["birds fly"])[0]
    picked = pick(sentences, 1, guide.passages[1], query, most=3, margin=0.05)
    assert picked[0].text == "Birds fly south."
    assert pick(sentences, 0, guide.passages[0], None, most=3, margin=0.05) == ()


def test_coverage_weighs_rare_terms_most() -> None:
    weights = TermWeights([{"salari", "engin"}, {"engin", "cloud"}, {"engin"}])
    assert weights.coverage(["salari", "engin"]) == pytest.approx(1.0)
    assert 0 < weights.coverage(["nurs", "salari"]) < 0.5  # a word the guides never use weighs most
    assert weights.coverage(["nurs", "engin"]) < 0.3  # a common guide word does not carry a foreign one
    assert weights.coverage(["nurs"]) == 0.0
    assert weights.coverage([]) == 0.0


@pytest.mark.parametrize(
    ("dense", "coverage", "answered"),
    [(0.4, 0.0, True), (0.1, 0.9, True), (0.2, 0.5, False), (None, 0.8, True), (None, 0.4, False)],
)
def test_is_answered(dense: float | None, coverage: float, answered: bool) -> None:
    assert is_answered(Evidence(dense, coverage), Thresholds(dense=0.31, coverage=0.7)) is answered


def test_sentence_rows_cover_each_passage_in_order() -> None:
    from advisor.guides.sections import parse_guide

    guide = parse_guide("# A\n\nOne. Two.\n\n## B\n\nThree.\n", "g")
    rows = sentence_rows(list(guide.passages))
    assert rows.tolist() == [[0, 0, 4], [0, 5, 9], [1, 0, 6]]
    assert Counter(rows[:, 0].tolist()) == {0: 2, 1: 1}
    assert np.all(rows[:, 2] > rows[:, 1])
