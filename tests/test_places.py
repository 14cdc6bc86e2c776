"""Places a question names ("the first step", "step 4", "where do I start"), on the made-up pottery guide."""

import itertools
from pathlib import Path

import pytest

from advisor.answer.advisor import Advisor
from advisor.answer.arrange import rescored
from advisor.guides.roadmap import Roadmap
from advisor.guides.sections import read_guide
from advisor.language.terms import content_terms
from advisor.understand.places import LAST, Place, locate, named_places, only_places
from tests.conftest import FIXTURES, fixture_advisor


@pytest.fixture
def pottery() -> Roadmap:
    return Roadmap([read_guide(FIXTURES / "pottery.md")])


@pytest.fixture
def pottery_advisor(tmp_path: Path) -> Advisor:
    return fixture_advisor(tmp_path, ["pottery.md"])


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("what's the first step", [("step", 1)]),
        ("I'm on step 3, what is step 4 about", [("step", 3), ("step", 4)]),
        ("what is stage two about", [("stage", 2)]),
        ("the 2nd level", [("level", 2)]),
        ("and the last step?", [("step", LAST)]),
        ("where do I start if I want to become a potter", [(None, 1)]),
        ("how to get started", [(None, 1)]),
        ("where do I even begin", [(None, 1)]),
        ("which step should I begin with?", [(None, 1)]),
        ("total beginner, where is square one", [(None, 1)]),
        ("I'm on step sixteen, what's after it", [("step", 16)]),
        ("the twelfth stage", [("stage", 12)]),
        ("which step is about glazing", []),
        ("how do I glaze a pot", []),
        ("entry level jobs", []),
        ("in 3 months", []),
    ],
)
def test_named_places(question: str, places: list[tuple[str | None, int]]) -> None:
    assert [(p.unit, p.number) for p in named_places(question)] == places


@pytest.mark.parametrize(
    ("place", "heading"),
    [
        (Place("step", 1, ""), "1. Wedging Clay"),  # numbered, though written out of order in the file
        (Place("step", 3, ""), "3. Glazing and Firing"),
        (Place(None, 1, ""), "1. Wedging Clay"),  # no unit: the guide's numbered path
        (Place("step", LAST, ""), "3. Glazing and Firing"),
        (Place("level", 2, ""), "Journeyman Potter"),  # "Levels of Mastery": ordered by its parent
        (Place("step", 9, ""), None),
        (Place("week", 1, ""), None),  # the guide has no weeks
    ],
)
def test_locate_in_the_guides_own_order(pottery: Roadmap, place: Place, heading: str | None) -> None:
    found = locate(pottery, place, "pottery")
    assert (found.heading if found else None) == heading


POTTERY = frozenset(content_terms("Becoming a Potter"))  # the subject of the pottery guide


def test_only_places_when_nothing_but_the_guides_subject_is_asked() -> None:
    assert only_places(
        "where do I start if I want to become a potter", named_places("where do I start"), POTTERY
    )
    first = named_places("what's the first step in learning to glaze")
    assert not only_places("what's the first step in learning to glaze", first, POTTERY)


@pytest.mark.parametrize(
    ("question", "alone"),
    [
        ("total beginner here, where do I even start", True),
        ("complete newbie, where do I begin if I want to be a potter", True),
        ("absolute beginner, where do I start with glazing", False),
        ("where do I start if I want to be a journeyman potter", True),  # a role of the guide
        ("where do I start if I want to be a ceramic engineer", False),
    ],
)
def test_a_newcomer_and_the_guides_own_roles_name_nothing_else(question: str, alone: bool) -> None:
    subject = POTTERY | {"journeyman"}  # as Roadmap.subjects adds the words of the guide's roles
    assert only_places(question, named_places(question), subject) is alone


def test_a_guides_subject_is_its_title_and_the_roles_its_headings_name(tmp_path: Path) -> None:
    path = tmp_path / "editor.md"
    path.write_text(
        "# Becoming an Editor\n\n## Path\n\n### 1. Read\nBooks.\n\n### 2. Mark\nErrors.\n\n"
        "## Levels\n\n### Junior Editor\nCommas.\n\n### Managing Editor\nBooks.\n"
    )
    subject = Roadmap([read_guide(path)]).subjects["editor"]
    assert {"becom", "editor", "junior", "manag"} <= subject
    assert "read" not in subject and "comma" not in subject  # step headings and text name no role


def test_a_place_asked_in_a_sentence_of_its_own_is_asked_alone() -> None:
    question = "I can wedge clay now. What's step two?"
    assert only_places(question, named_places(question), POTTERY)
    question = "Step 2 done, what does step 3 cover?"
    assert only_places(question, named_places(question), POTTERY)
    question = "what's the first step to glaze a pot. thanks"
    assert not only_places(question, named_places(question), POTTERY)


@pytest.mark.parametrize(
    "question",
    [
        "tell me about step 3",
        "explain step two please",
        "what does the last step say",
        "more details on step 1",
    ],
)
def test_words_that_only_ask_about_a_place_name_nothing_else(question: str) -> None:
    assert only_places(question, named_places(question), POTTERY)


def test_a_heading_naming_part_of_the_topic_is_the_one_reached(pottery: Roadmap) -> None:
    guide = read_guide(FIXTURES / "pottery.md")
    by_heading = {s.heading: s for s in guide.sections}
    ranked = [by_heading["Kiln"], by_heading["3. Glazing and Firing"], by_heading["Apprentice"]]
    # among the top three, "apprentice" is named by one ordered heading; "studio", "currently" by none
    assert pottery.reached("currently an apprentice in a studio", ranked) == by_heading["Apprentice"]
    # "potter" is the guide's own subject ("Becoming a Potter"): it names no place
    assert pottery.reached("potter", ranked) == by_heading["3. Glazing and Firing"]
    # a heading naming part of the topic further down is not taken: one shared word is no evidence
    lower = [
        by_heading["Kiln"],
        by_heading["3. Glazing and Firing"],
        by_heading["Wheel"],
        by_heading["Apprentice"],
    ]
    assert (
        pottery.reached("currently an apprentice in a studio", lower) == by_heading["3. Glazing and Firing"]
    )


def test_reached_is_the_ordered_section_whose_heading_names_the_topic(pottery: Roadmap) -> None:
    guide = read_guide(FIXTURES / "pottery.md")
    by_heading = {s.heading: s for s in guide.sections}
    ranked = [by_heading["Kiln"], by_heading["3. Glazing and Firing"], by_heading["Apprentice"]]
    assert pottery.reached("apprentice", ranked) == by_heading["Apprentice"]  # named, though ranked third
    assert pottery.reached("wedging clay", ranked) == by_heading["1. Wedging Clay"]  # named, not ranked
    assert pottery.reached("fire", ranked) == by_heading["3. Glazing and Firing"]  # first ordered ranked


def test_the_first_step_comes_first_and_is_the_next_step(pottery_advisor: Advisor) -> None:
    answer = pottery_advisor.ask("what's the first step?", k=3)
    assert answer.results[0].section.heading == "1. Wedging Clay"
    assert [h.section.heading for h in answer.next_steps] == ["1. Wedging Clay"]
    assert answer.next_steps[0].reason == "“1. Wedging Clay” comes first in the guide"
    assert_strictly_decreasing(answer.results)


def test_named_steps_come_first_in_the_order_named(pottery_advisor: Advisor) -> None:
    answer = pottery_advisor.ask("I'm on step 2, what is step 3 about", k=4)
    assert [h.section.heading for h in answer.results[:2]] == [
        "2. Throwing on the Wheel",
        "3. Glazing and Firing",
    ]
    assert answer.next_steps == ()
    assert_strictly_decreasing(answer.results)


def test_a_named_step_then_what_comes_next(pottery_advisor: Advisor) -> None:
    answer = pottery_advisor.ask("I finished step 1, what next?", k=3)
    assert [h.section.heading for h in answer.results[:2]] == ["1. Wedging Clay", "2. Throwing on the Wheel"]
    assert [h.section.heading for h in answer.next_steps] == ["2. Throwing on the Wheel"]


def test_a_career_level_named_in_a_heading_is_the_one_reached(pottery_advisor: Advisor) -> None:
    answer = pottery_advisor.ask("what comes after apprentice?", k=3)
    assert [h.section.heading for h in answer.next_steps] == ["Journeyman Potter"]
    assert answer.results[0].section.heading == "Apprentice"


def test_a_step_asked_after_saying_where_one_is(pottery_advisor: Advisor) -> None:
    answer = pottery_advisor.ask("I can wedge clay now. What's step two?", k=3)
    assert answer.results[0].section.heading == "2. Throwing on the Wheel"


def test_a_step_of_the_guide_is_a_step_asked_alone(pottery_advisor: Advisor) -> None:
    answer = pottery_advisor.ask("what is step 3 in the guide", k=3)
    assert answer.results[0].section.heading == "3. Glazing and Firing"


def test_a_newcomer_asking_where_to_start_gets_the_first_step(pottery_advisor: Advisor) -> None:
    answer = pottery_advisor.ask("complete newbie here, where do I even begin if I want to be a potter", k=3)
    assert answer.results[0].section.heading == "1. Wedging Clay"
    assert [h.section.heading for h in answer.next_steps] == ["1. Wedging Clay"]


def test_what_to_do_while_waiting_asks_what_comes_next(pottery_advisor: Advisor) -> None:
    answer = pottery_advisor.ask("I can wedge clay. What should I work on while I wait for my kiln?", k=3)
    assert [h.section.heading for h in answer.next_steps] == ["2. Throwing on the Wheel"]


def test_where_to_go_from_here_asks_what_comes_next(pottery_advisor: Advisor) -> None:
    answer = pottery_advisor.ask("I'm an apprentice now. Where can I go from here?", k=3)
    assert [h.section.heading for h in answer.next_steps] == ["Journeyman Potter"]


def test_a_place_in_a_question_about_something_else_is_not_followed(pottery_advisor: Advisor) -> None:
    answer = pottery_advisor.ask("what's the first step to glaze a pot in the kiln", k=3)
    assert answer.next_steps == ()
    assert answer.results[0].section.heading != "1. Wedging Clay"


def test_rescored_keeps_others_and_fits_placed_hits_between(tiny_advisor: Advisor) -> None:
    hits = tiny_advisor.ask("dice an onion with a knife", k=4).results
    moved = [hits[2], hits[0], hits[1], hits[3]]
    out = rescored(list(moved), {hits[2].number})
    assert [h.number for h in out] == [h.number for h in moved]
    assert [h.score for h in out[1:]] == [hits[0].score, hits[1].score, hits[3].score]
    assert_strictly_decreasing(out)


def assert_strictly_decreasing(hits) -> None:  # type: ignore[no-untyped-def]
    scores = [h.score for h in hits]
    assert all(a > b for a, b in itertools.pairwise(scores)), scores
