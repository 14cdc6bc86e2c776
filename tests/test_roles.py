"""Roles: a question about another career is told the guides do not cover it."""

from pathlib import Path

import pytest

from advisor.guides.roles import own_words
from advisor.language.lexicon import occupations
from advisor.language.terms import terms
from advisor.understand.roles import foreign_role, roles
from tests.conftest import fixture_advisor

# what a backend guide's words cover, stemmed as the index stems them ...
GUIDE_WORDS = set(
    terms("backend engineer engineers senior junior developer data salary python app ux designers")
)
# ... and the roles its headings name
OWN = own_words(
    ["How to Become a Backend Engineer", "The Foundation: Junior Backend Engineer", "Senior Developer"]
)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("how to become a data scientist", ["data scientist"]),
        ("how to become a product manager with no experience", ["product manager"]),
        ("nurse salary in new york", ["nurse"]),
        ("average salary of a data analyst", ["data analyst"]),
        ("how much does a senior engineer make", ["senior engineer"]),
        ("is becoming a backend engineer hard", ["backend engineer"]),
        ("senior vs junior developer salary", ["junior developer"]),
        ("a career as an airline pilot", ["airline pilot"]),
        ("what does a UX researcher do all day", ["ux researcher"]),
        ("what do data scientists do", ["data scientists"]),
    ],
)
def test_the_role_a_question_asks_about(question: str, named: list[str]) -> None:
    assert [r.name for r in roles(question)] == named


@pytest.mark.parametrize(
    "question",
    [
        "faang salary",
        "what is a realistic starting salary",
        "how to become better at sql",
        "2-5 yrs salary",
        "what does a day at work look like",
    ],
)
def test_words_before_salary_or_after_become_that_name_no_occupation_are_no_role(question: str) -> None:
    assert list(roles(question)) == []


@pytest.mark.parametrize(
    ("question", "foreign"),
    [
        ("how to become a data scientist", "data scientist"),  # scientist: not a guide word
        ("how do I become an ios app developer", "ios app developer"),  # ios: not a guide word
        ("pharmacist salary in canada", "pharmacist"),
        ("what does a pharmacist do", "pharmacist"),
        ("what does a senior backend engineer do day to day", None),
        ("how to become a backend engineer", None),
        ("how much do junior engineers make", None),
        ("senior developer salary", None),
        ("how much does a developer make", None),  # a bare occupation the guide's words describe
        # the guide's words, but not its roles: the word that says which kind is not one of theirs
        ("how do I become a ux designer", "ux designer"),
        ("python developer salary", "python developer"),
        ("nurse salary vs backend engineer salary", None),  # asks about the guide's role too
        ("how to train for a marathon", None),  # no role at all: left to the other evidence
    ],
)
def test_a_role_is_foreign_when_the_guides_lack_its_words_or_do_not_name_its_kind(
    question: str, foreign: str | None
) -> None:
    role = foreign_role(question, vocabulary=GUIDE_WORDS, own=OWN)
    assert (role.name if role else None) == foreign


def test_the_guides_own_roles_are_the_words_of_the_roles_their_headings_name() -> None:
    headings = [
        "Pinnacle of Success: Director of Backend Engineering",
        "Lead Backend Engineer / Backend Development Manager",
        "Step 2: Learn Backend Programming Languages",  # names no role
        "Working with (UX) Designers",
    ]
    assert own_words(headings) == set(terms("director lead backend engineer development manager designers"))


def test_occupations_come_from_fakers_job_titles_without_its_stray_words() -> None:
    heads = occupations()
    assert {"scientist", "nurse", "engineer", "developer", "pharmacist"} <= heads
    assert not {"make", "land"} & heads  # one-word titles of four letters


def test_the_advisor_does_not_answer_a_question_about_another_career(tmp_path: Path) -> None:
    advisor = fixture_advisor(tmp_path, ["cooking.md"])
    assert advisor.ask("baking bread and boiling pasta").answered is True
    # the guide's words are there (the fake model and coverage would answer it), but the role is not
    other = advisor.ask("baking bread and boiling pasta salary of a dietitian")
    assert other.answered is False and other.results  # the closest sections are still shown
