from pathlib import Path

import pytest

from advisor.guides.roadmap import Roadmap, section_number
from advisor.guides.sections import read_guide
from advisor.understand.roadmap import asks_for_role, roadmap_topic

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def pottery() -> Roadmap:
    return Roadmap([read_guide(FIXTURES / "pottery.md")])


def heading_after(roadmap: Roadmap, guide_file: str, heading: str) -> str | None:
    guide = read_guide(FIXTURES / guide_file)
    section = next(s for s in guide.sections if s.heading == heading)
    step = roadmap.next_step(section)
    return step.section.heading if step else None


def test_numbered_headings_are_followed_in_number_order(pottery: Roadmap) -> None:
    assert heading_after(pottery, "pottery.md", "1. Wedging Clay") == "2. Throwing on the Wheel"
    assert heading_after(pottery, "pottery.md", "2. Throwing on the Wheel") == "3. Glazing and Firing"
    assert heading_after(pottery, "pottery.md", "3. Glazing and Firing") is None


def test_a_parent_naming_a_sequence_orders_its_children(pottery: Roadmap) -> None:
    assert heading_after(pottery, "pottery.md", "Apprentice") == "Journeyman Potter"


def test_other_sections_have_no_next_step(pottery: Roadmap) -> None:
    assert heading_after(pottery, "pottery.md", "Kiln") is None


def test_reason_names_both_steps(pottery: Roadmap) -> None:
    guide = read_guide(FIXTURES / "pottery.md")
    wedging = next(s for s in guide.sections if s.heading.startswith("1."))
    step = pottery.next_step(wedging)
    assert step is not None and "2." in step.reason and "1." in step.reason


def test_the_shipped_guide_steps_and_career_path(tiny_corpus: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    guide = read_guide(root / "corpus" / "backend-engineer.md")
    roadmap = Roadmap([guide])
    by_heading = {s.heading: s for s in guide.sections}
    step3 = roadmap.next_step(by_heading["Step 3: Master Database Management Systems"])
    assert step3 is not None and step3.section.heading.startswith("Step 4:")
    assert step3.reason == "Step 4 follows Step 3 in the guide"
    junior = roadmap.next_step(by_heading["The Foundation: Junior Backend Engineer"])
    assert junior is not None and junior.section.heading == "The Ascent: Backend Engineer"
    assert (
        roadmap.next_step(by_heading["Step 20: Aim for Specializations and Certifications (Optional)"])
        is None
    )


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("what should I learn after SQL?", "SQL"),
        ("I know git, what next", "git"),
        ("what comes after junior engineer", "junior engineer"),
        ("I finished my degree, now what", "degree"),
        ("how much does a senior make", None),
        ("kubernetes", None),
        ("my first backend job starts next month, what should I focus on", None),  # a time
        ("I graduate next spring. What salary can I expect", None),
        ("what's the next step after docker", "docker"),
        ("what's next?", None),  # nothing reached: not the "'s" that "what" leaves
        ("I’ve learned docker’s basics, what’s next", "docker’s basics"),
        ("salary after about 3 years", None),  # a time
        ("i've practiced git a lot. where do i go from there", "practiced git lot"),
        ("what should I learn after a year of python", "year python"),  # a year of something
        ("sent my internship applications, what should I do in the meantime", "sent internship applications"),
        ("applied to ten jobs. What should I work on while I’m waiting?", "applied ten jobs work"),
    ],
)
def test_roadmap_topic(question: str, topic: str | None) -> None:
    assert roadmap_topic(question) == topic


@pytest.mark.parametrize(
    ("heading", "number"),
    [
        ("Step 12: Stay Informed", 12),
        ("3. Glazing", 3),
        ("Phase 2 - Build", 2),
        ("Kiln", None),
        ("2024 in review", None),
    ],
)
def test_section_number(heading: str, number: int | None) -> None:
    assert section_number(heading) == number


LADDER_GUIDE = """# Becoming an Editor

## Steps to Become an Editor

### Step 1: Apply for Junior Editor Positions
Send letters to publishers.

### Step 2: Learn Proofreading
Mark the errors.

## Editor Career Path

### The Start: Junior Editor
You check commas.

### The Middle: Editor
You shape chapters.

### The Top: Editor in Chief
You choose the books.
"""


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("I'm a junior editor, what position should I go for next?", True),
        ("what's the next role up", True),
        ("senior dev here, what's the next promotion", True),
        ("what level should I be aiming for next", True),
        ("im a mid level dev. how do i move up from here", True),
        ("what's the next rung on the ladder", True),
        ("I applied for junior editor positions, what should I do next?", False),  # asks what to do
        ("I know proofreading, what comes after it", False),
    ],
)
def test_asks_for_role(question: str, asks: bool) -> None:
    assert asks_for_role(question) is asks


def test_a_visitor_asking_for_the_next_role_is_placed_on_the_ladder_not_the_steps(tmp_path: Path) -> None:
    path = tmp_path / "editor.md"
    path.write_text(LADDER_GUIDE)
    guide = read_guide(path)
    roadmap = Roadmap([guide])
    by_heading = {s.heading: s for s in guide.sections}
    # the step names more of the question's words, and ranks first
    ranked = [
        by_heading["Step 1: Apply for Junior Editor Positions"],
        by_heading["The Start: Junior Editor"],
    ]
    topic = "junior editor positions"
    assert roadmap.reached(topic, ranked) == ranked[0]
    reached = roadmap.reached(topic, ranked, rungs=True)
    assert reached is not None and reached.heading == "The Start: Junior Editor"
    step = roadmap.next_step(reached)
    assert step is not None and step.section.heading == "The Middle: Editor"
    # a question for the next role naming no rung, with no rung among the ranked sections, has reached none
    assert roadmap.reached("apply positions", ranked[:1], rungs=True) is None
    # the rung whose heading names the most of the words, wherever it ranks (here: not at all)
    middle = roadmap.reached("middle editor", ranked, rungs=True)
    assert middle is not None and middle.heading == "The Middle: Editor"
