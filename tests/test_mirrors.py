"""A group that walks an ordered one in step (pay levels beside the career path) stands for it."""

from pathlib import Path

from advisor.guides.roadmap import Roadmap
from advisor.guides.sections import Section, read_guide

GUIDE = """# Becoming a Baker

## Baker Career Path

### The Start: Apprentice Baker
You learn to knead.

### The Middle: Baker
You run the ovens.

### The Top: Head Baker
You plan the menu.

## Baker Pay

### Apprentice Baker
Little.

### Mid-Career Baker
More.

### Head Baker
Most.

## Tools

### Ovens
Hot.

### Bowls
Wide.

### Whisks
Fast.
"""


def roadmap_and_sections(tmp_path: Path, text: str = GUIDE) -> tuple[Roadmap, dict[str, Section]]:
    path = tmp_path / "baker.md"
    path.write_text(text)
    guide = read_guide(path)
    by_key = {f"{s.parent}/{s.heading}": s for s in guide.sections}
    return Roadmap([guide]), by_key


def test_a_level_named_by_the_mirror_reaches_the_ordered_section_in_its_place(tmp_path: Path) -> None:
    roadmap, by_key = roadmap_and_sections(tmp_path)
    pay_mid = by_key["baker-pay/Mid-Career Baker"]
    reached = roadmap.reached("mid-career baker", [pay_mid])
    assert reached is not None and reached.heading == "The Middle: Baker"
    step = roadmap.next_step(reached)
    assert step is not None and step.section.heading == "The Top: Head Baker"


def test_a_mirror_in_the_top_three_stands_for_its_ordered_section(tmp_path: Path) -> None:
    roadmap, by_key = roadmap_and_sections(tmp_path)
    reached = roadmap.reached("what I earn", [by_key["baker-pay/Apprentice Baker"]])
    assert reached is not None and reached.heading == "The Start: Apprentice Baker"


def test_mirrors_have_no_order_of_their_own(tmp_path: Path) -> None:
    roadmap, by_key = roadmap_and_sections(tmp_path)
    assert roadmap.next_step(by_key["baker-pay/Apprentice Baker"]) is None
    assert roadmap.in_order(by_key["tools/Ovens"]) is None


def test_a_group_sharing_words_at_other_places_does_not_mirror(tmp_path: Path) -> None:
    crossed = GUIDE.replace("### Apprentice Baker\nLittle.", "### Head Baker Trainee\nLittle.")
    roadmap, by_key = roadmap_and_sections(tmp_path, crossed)
    assert roadmap.in_order(by_key["baker-pay/Mid-Career Baker"]) is None


def test_a_group_of_another_size_does_not_mirror(tmp_path: Path) -> None:
    shorter = GUIDE.replace("### Head Baker\nMost.\n", "")
    roadmap, by_key = roadmap_and_sections(tmp_path, shorter)
    assert roadmap.in_order(by_key["baker-pay/Apprentice Baker"]) is None


def test_the_shipped_guides_salary_levels_mirror_its_career_path() -> None:
    guide = read_guide(Path(__file__).resolve().parent.parent / "corpus" / "backend-engineer.md")
    roadmap = Roadmap([guide])
    by_heading = {s.heading: s for s in guide.sections}
    mid = roadmap.in_order(by_heading["Mid-Level Backend Engineer"])
    assert mid is not None and mid.heading == "The Ascent: Backend Engineer"
    assert roadmap.in_order(by_heading["Security"]) is None
