"""Amounts: a question about pay is answered by the level whose stated range holds its amount."""

import math
from pathlib import Path

import pytest

from advisor.answer.amounts import holding
from advisor.guides.facts import PAY, YEARS, Range, stated_ranges
from advisor.understand.amounts import Amount, stated_amounts
from tests.conftest import fixture_advisor


@pytest.mark.parametrize(
    ("question", "amounts"),
    [
        ("can you realistically earn $300k as a backend engineer", [(PAY, 300_000)]),
        ("can a backend engineer make more than 200k a year", [(PAY, 200_000)]),  # not "a year" of work
        ("is $120,000 a good salary", [(PAY, 120_000)]),
        ("salary with about seven years of experience", [(YEARS, 7)]),
        ("pay for someone with 6+ years writing server code", [(YEARS, 6)]),
        ("2-5 years experience salary", [(YEARS, 3.5)]),
        ("how much can I make with a couple of years", [(YEARS, 2)]),
        # years count only in a question about pay, and only as experience
        ("I've coded for six years, how do I make the jump into management", []),
        ("will backend salaries still be good in 10 years", []),
        ("salary of a 25 years old junior", []),
        # the top and the bottom of the pay levels
        ("highest paying backend job", [(PAY, math.inf)]),
        ("who earns the most", [(PAY, math.inf)]),
        ("lowest salary for a junior", [(PAY, -math.inf)]),
        ("the most important skill", []),
        # sums too small to be a yearly pay
        ("good gaming laptop under $1000", []),
        ("is a $300 course worth it", []),
        ("401k vs roth ira", []),  # a bare sum that is no round pay: a retirement plan
        ("is 85k a good salary", [(PAY, 85_000)]),
    ],
)
def test_stated_amounts(question: str, amounts: list[tuple[str, float]]) -> None:
    assert [(a.kind, a.value) for a in stated_amounts(question)] == amounts


def test_stated_ranges_of_pay_and_experience() -> None:
    text = "- Median Salary: $105,000 – $145,000 per year\n- Engineers have 2-5 years of experience."
    assert stated_ranges(text) == (Range(PAY, 105_000, 145_000), Range(YEARS, 2, 5))
    assert stated_ranges("They possess 5+ years of experience, earning $90k-$120k.") == (
        Range(PAY, 90_000, 120_000),
        Range(YEARS, 5, math.inf),
    )
    assert stated_ranges("Step 3 takes 2-5 weeks and costs $20.") == ()


def test_holding_matches_kind_and_range() -> None:
    spans = {0: (Range(PAY, 50_000, 80_000),), 1: (Range(YEARS, 2, 5), Range(PAY, 80_000, 120_000))}
    assert holding(spans, [Amount(PAY, 80_000)]) == {0, 1}  # a range's ends belong to it
    assert holding(spans, [Amount(YEARS, 6)]) == set()
    assert holding(spans, [Amount(YEARS, 3)]) == {1}
    assert holding(spans, [Amount(PAY, math.inf)]) == {1}  # reaches highest
    assert holding(spans, [Amount(PAY, -math.inf)]) == {0}
    assert holding(spans, [Amount(YEARS, 3), Amount(PAY, 60_000)]) == {0, 1}


def test_the_level_holding_the_amount_comes_first(tmp_path: Path) -> None:
    advisor = fixture_advisor(tmp_path, ["weaving.md"])
    headings = lambda question: [h.section.heading for h in advisor.ask(question).results]  # noqa: E731
    assert headings("weaver pay with 5 years of experience")[0] == "Journeyman Weaver"
    assert headings("can a weaver earn $60k")[0] == "Master Weaver"
    assert headings("weaver pay with 10 years of experience")[0] == "Master Weaver"  # "8+"
    assert headings("the highest paid weaver")[0] == "Master Weaver"
    assert headings("lowest weaver pay")[0] == "Apprentice Weaver"
    # years in a question not about pay move nothing
    assert headings("I've woven for 5 years, which loom has treadles")[0] == "Looms"
    scores = [h.score for h in advisor.ask("can a weaver earn $60k").results]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


def test_a_pay_question_whose_amount_a_level_holds_is_answered(tmp_path: Path) -> None:
    advisor = fixture_advisor(tmp_path, ["weaving.md"])
    # words the guide lacks keep similarity and coverage low ...
    vague = advisor.ask("quibbling zorbs and flummox pay")
    assert not vague.answered and not vague.evidence.amount
    # ... but a level's stated range holds the years asked about
    held = advisor.ask("quibbling zorbs and flummox pay with 5 years of experience")
    assert held.answered and held.evidence.amount
    assert held.results[0].section.heading == "Journeyman Weaver"
