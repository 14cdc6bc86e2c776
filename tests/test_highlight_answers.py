"""The highlight is the sentence that answers: never a bare list number or a fragment, and for a question
about pay, the sentence stating it (issue 21, points 1 and 2)."""

import re
from pathlib import Path

import pytest

from advisor.answer.advisor import Advisor
from advisor.answer.highlights import asks_pay, pick
from advisor.evals.questions import load_questions
from advisor.guides.sections import parse_guide
from advisor.guides.windows import sentence_spans
from advisor.index.texts import sentence_rows
from advisor.search.sentences import Sentences
from tests.conftest import FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent
LEVEL = """# Guide

## Senior Engineer

- Median Salary: $135,000 – $185,000 per year
- Senior engineers possess 5+ years of experience. They lead the team.

## Next

3. Security: Learn about security and how to protect data.
Yes. Security work protects data.
"""


def sentences_of(source: str) -> tuple[list, Sentences]:  # type: ignore[type-arg]
    passages = list(parse_guide(source, "g").passages)
    rows = sentence_rows(passages)
    vectors = FakeEmbedder().encode([passages[r[0]].text[r[1] : r[2]] for r in rows])
    return passages, Sentences(rows, vectors)


def picked(source: str, heading: str, question: str, pay: bool = False) -> list[str]:
    passages, sentences = sentences_of(source)
    number = next(n for n, p in enumerate(passages) if p.heading == heading)
    query = FakeEmbedder().encode([question])[0]
    found = pick(sentences, number, passages[number], query, most=3, margin=1.0, pay=pay)
    return [h.text for h in found]


def test_a_numbered_list_item_keeps_its_number_with_its_text() -> None:
    text = "1. Expand Your Knowledge: Learn about servers. Then more.\n2. Code Regularly: Practice.\n- item"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "1. Expand Your Knowledge: Learn about servers.",
        "Then more.",
        "2. Code Regularly: Practice.",
        "- item",
    ]


def test_a_fragment_is_never_a_highlight_however_close() -> None:
    texts = picked(LEVEL, "Next", "yes")  # "Yes." is the closest sentence, and says nothing
    assert texts and "Yes." not in texts
    assert all(len(re.findall(r"[^\W\d_]+", t)) >= 3 for t in texts)


@pytest.mark.parametrize(
    ("question", "pay"),
    [
        ("how much does a senior backend engineer earn", True),
        ("how much does an entry level backend engineer make", True),
        ("what can I earn with 7 years of experience", True),  # the years are stated, the pay asked
        ("what salary can a lead expect", True),
        ("how do I make the jump into management", False),
        ("how many years of experience does a senior need", False),
        ("what should I learn after SQL", False),
        ("how much time does it take to learn SQL", False),
    ],
)
def test_whether_a_question_asks_about_pay(question: str, pay: bool) -> None:
    assert asks_pay(question) is pay


def test_the_sentence_stating_the_pay_asked_leads() -> None:
    question = "senior engineers years experience earn"  # words of the years sentence, not of the pay one
    years, pay = "- Senior engineers possess", "- Median Salary: $135,000 – $185,000 per year"
    assert picked(LEVEL, "Senior Engineer", question)[0].startswith(years)
    assert picked(LEVEL, "Senior Engineer", question, pay=True)[0] == pay


# The real model and guide: what a visitor sees.


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "heading", "line"),
    [
        ("how much does a senior backend engineer earn", "Senior Backend Engineer", "$135,000 – $185,000"),
        ("how much does an entry level backend engineer make", "Entry-Level Backend Engineer", "$75,000 –"),
        # no longer put first (no real question asked for years of experience), and still first by meaning
        ("how many years of experience does a senior backend engineer need", "Senior Backend Engineer", "5+"),
    ],
)
def test_a_pay_or_years_question_highlights_the_line_stating_them(
    real_advisor: Advisor, question: str, heading: str, line: str
) -> None:
    answer = real_advisor.ask(question)
    hit = next(h for h in answer.results if h.section.heading == heading)
    assert line in hit.highlights[0].text


@pytest.mark.model
def test_what_next_highlights_are_sentences_not_list_numbers(real_advisor: Advisor) -> None:
    answer = real_advisor.ask("I finished step 5, what next")
    shown = [h.text for hit in answer.results + answer.next_steps for h in hit.highlights]
    assert shown
    assert all(len(re.findall(r"[^\W\d_]+", t)) >= 3 for t in shown), shown


@pytest.mark.model
def test_no_dev_question_is_answered_by_a_bare_number(real_advisor: Advisor) -> None:
    known = {p.key for p in real_advisor.index.passages}
    questions = load_questions(ROOT / "eval" / "questions.jsonl", known=known)
    questions = [q for q in questions if q.split == "dev"]
    assert len(questions) > 100
    for q in questions:
        answer = real_advisor.ask(q.question)
        for hit in answer.results + answer.next_steps:
            assert not any(re.fullmatch(r"\d+\.", h.text.strip()) for h in hit.highlights), (q.question, hit)
