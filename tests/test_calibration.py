"""Calibration of the "no good answer" thresholds: the grid search and its tie-breaking, on made-up
evidence; the closest-sentence evidence it calibrates, on the tiny guides."""

import numpy as np
import pytest

from advisor.answer.advisor import Advisor
from advisor.answer.confidence import Evidence, Thresholds
from advisor.evals.calibration import Choice, Rates, Sample, candidates, describe, rates
from advisor.search.sentences import Sentences, largest


def sample(dense: float, coverage: float, answerable: bool = True, **kw) -> Sample:  # type: ignore[no-untyped-def]
    return Sample(Evidence(dense=dense, coverage=coverage, **kw), answerable)


ON = [sample(0.62, 0.3), sample(0.30, 0.8), sample(0.45, 0.5)]
OFF = [
    sample(0.20, 0.1, False),
    sample(0.35, 0.6, False),
    sample(0.50, 0.9, False),  # as close as on-topic questions by both measures
    sample(0.10, 0.0, False),  # abstains whatever the thresholds
]
GRID = {"dense_grid": [0.25, 0.3, 0.4, 0.5], "coverage_grid": [0.7, 0.95]}


def test_rates_count_each_kind_apart() -> None:
    found = rates(ON + OFF, Thresholds(dense=0.5, coverage=0.75))
    assert found.off_topic == 0.75  # all but the 0.50 / 0.9 one
    assert found.on_topic == pytest.approx(1 / 3)  # 0.45 / 0.5; 0.30 / 0.8 is answered by coverage
    assert rates(ON, Thresholds(0.5, 0.75)).off_topic is None


def test_the_choice_abstains_most_off_topic_questions_within_the_on_topic_ceiling() -> None:
    ordered = candidates(ON + OFF, max_on_topic=0.0, **GRID)
    assert ordered[0] == Choice(Thresholds(dense=0.4, coverage=0.7), Rates(off_topic=0.75, on_topic=0.0))
    assert all(c.rates.on_topic == 0.0 for c in ordered)
    assert [c.rates.off_topic for c in ordered[1:]] == [0.5] * 4  # dense 0.25 and 0.3 answer 0.35 / 0.6
    # a looser ceiling keeps pairs that leave one on-topic question unanswered for no more off-topic
    # ones: the same pair still comes first, the fewer on-topic abstaining breaking the tie
    looser = candidates(ON + OFF, max_on_topic=0.34, **GRID)
    assert looser[0] == ordered[0]
    assert {(c.thresholds.dense, c.thresholds.coverage) for c in looser[1:3]} == {(0.4, 0.95), (0.5, 0.7)}
    assert all(c.rates == Rates(0.75, pytest.approx(1 / 3)) for c in looser[1:3])


def test_ties_go_to_the_middle_of_the_plateau() -> None:
    on, off = [sample(0.6, 0.2)], [sample(0.2, 0.2, False)]
    grid = [0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55]  # every one separates the two
    ordered = candidates(on + off, dense_grid=grid, coverage_grid=[0.9])
    assert ordered[0].thresholds == Thresholds(dense=0.4, coverage=0.9)
    assert {c.thresholds.dense for c in ordered} == set(grid)


def test_describe_prints_settings_to_set_and_the_held_out_rates() -> None:
    ordered = candidates(ON + OFF, max_on_topic=0.0, dense_grid=[0.4], coverage_grid=[0.7])
    text = describe(ordered, split="dev", held_out=rates(ON, ordered[0].thresholds), counts=(4, 3))
    assert text.startswith("calibrated on 7 dev questions (4 off-topic, 3 on-topic)\n")
    assert "ADVISOR_ANSWER_MIN_DENSE=0.40\nADVISOR_ANSWER_MIN_COVERAGE=0.70\n" in text
    assert " 0.40      0.70                 75.0%                 0.0%" in text
    assert "held out" in text and "- of off-topic and 0.0% of on-topic" in text
    assert "no threshold pair" in describe([], split="dev", held_out=None, counts=(1, 1))


def test_closest_sentence_of_the_passages_given() -> None:
    rows = np.array([[0, 0, 5], [0, 6, 9], [1, 0, 4], [3, 0, 7]], dtype=np.int32)  # passage 2 has none
    sentences = Sentences(rows, np.eye(4, dtype=np.float32))
    query = np.array([[0.1, 0.2, 0.9, 0.3]], dtype=np.float32)
    best = lambda sentences, numbers: largest(sentences.closest(query, numbers))  # noqa: E731
    assert best(sentences, range(4)) == pytest.approx(0.9)  # passage 1's sentence
    assert best(sentences, [0]) == pytest.approx(0.2)  # the better of passage 0's two
    assert best(sentences, [2, 3]) == pytest.approx(0.3)
    assert best(sentences, [2]) is None and best(sentences, [9]) is None
    assert best(sentences, []) is None
    assert best(Sentences(np.zeros((0, 3), np.int32), np.zeros((0, 4), np.float32)), [0]) is None


def test_answers_are_judged_on_the_closest_sentence(tiny_advisor: Advisor) -> None:
    index = tiny_advisor.index
    question = "how long do I boil pasta"
    vector = tiny_advisor.embedder.encode([question])[0]

    def closest(guide: str | None) -> float:
        mine = [n for n, p in enumerate(index.passages) if guide in (None, p.guide)]
        return float((index.sentence_vectors[np.isin(index.sentences[:, 0], mine)] @ vector).max())

    everywhere = tiny_advisor.ask(question)  # the tiny index's passages are all dense candidates
    assert everywhere.answered and everywhere.evidence.dense == pytest.approx(closest(None), abs=1e-6)
    gardening = tiny_advisor.ask(question, guide="gardening")
    assert gardening.evidence.dense == pytest.approx(closest("gardening"), abs=1e-6)
    assert gardening.evidence.dense < everywhere.evidence.dense


def test_segments_and_their_maxima_with_empty_segments() -> None:
    from advisor.search.sentences import segment_max, segments

    bounds = np.array([0, 2, 2, 5, 6])  # segment 1 is empty
    rows, lengths = segments(bounds, np.array([3, 0, 1, 2]))
    assert rows.tolist() == [5, 0, 1, 2, 3, 4] and lengths.tolist() == [1, 2, 0, 3]
    values = np.array([0.5, 0.1, 0.9, 0.3, 0.7, 0.2])
    found = segment_max(values, lengths)
    assert found[[0, 1, 3]].tolist() == [0.5, 0.9, 0.7] and np.isnan(found[2])
    assert segment_max(np.zeros(0), np.array([0, 0])).shape == (2,)
