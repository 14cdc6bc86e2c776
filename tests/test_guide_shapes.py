"""A guide's order is read from its structure, in the shapes real guides take, or declared by its owner."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.errors import CorpusError
from advisor.guides.roadmap import Roadmap, describe
from advisor.guides.sections import parse_guide
from advisor.understand.places import locate, named_places

N_STEPS = """# How to Become a Baker in 3 Steps

Intro text about baking.

## Step 1: Learn the Basics

Flour, water, salt.

## Step 2: Practise Every Day

Bake daily.

## Step 3: Find a Bakery Job

Apply to bakeries.

## What next?

Open your own bakery one day.

## Do I need a diploma?

No, but it helps.
"""

NUMBERED_WITH_SUBSECTIONS = """# Gardener Career Guide

## Why gardening

It is calm work.

## 1. Learn plants

Know your plants.

### Trees

Trees are big.

### Flowers

Flowers are pretty.

## 2. Learn tools

Spades and forks.

### Step up your pruning

Prune well.

## Conclusion

Go garden.
"""

PHASES = """# Becoming a Pilot

## The path to your licence

### Phase one: Ground school

Study theory.

### Phase two: Flight hours

Fly a lot.

### Phase three: Checkride

Pass the test.

## Pay and hours

Pilots earn well.
"""

DECLARED = """---
order: Things we do
---
# Weaving

## Things we do

### Spin the yarn

Spin.

### Set up the loom

Loom.

### Weave the cloth

Weave.
"""


def group_of(source: str, guide: str = "g") -> list[list[str]]:
    roadmap = Roadmap([parse_guide(source, guide)])
    return [[s.heading for s in group.sections] for group in roadmap.groups[guide]]


def test_numbered_steps_beside_an_introduction_what_next_and_faqs_are_the_steps_alone() -> None:
    steps = ["Step 1: Learn the Basics", "Step 2: Practise Every Day", "Step 3: Find a Bakery Job"]
    assert group_of(N_STEPS) == [steps]


def test_numbered_items_with_sub_sections_beside_a_conclusion() -> None:
    # the steps are the numbered H2s; what sits inside a step is no step, even a heading saying "step"
    assert group_of(NUMBERED_WITH_SUBSECTIONS) == [["1. Learn plants", "2. Learn tools"]]


def test_phases_numbered_in_words_are_ordered_by_their_number() -> None:
    guide = parse_guide(PHASES, "pilot")
    roadmap = Roadmap([guide])
    (group,) = roadmap.groups["pilot"]
    assert group.numbered and "phase" in group.units
    (place,) = named_places("what is in phase two")
    assert locate(roadmap, place, "pilot") == group.sections[1]
    after = roadmap.next_step(group.sections[1])
    assert after is not None and after.section.heading == "Phase three: Checkride"


def test_step_4_of_an_n_steps_guide_is_its_fourth_step_not_a_later_section() -> None:
    roadmap = Roadmap([parse_guide(N_STEPS, "baker")])
    (place,) = named_places("tell me about step 3")
    found = locate(roadmap, place, "baker")
    assert found is not None and found.heading == "Step 3: Find a Bakery Job"
    last = roadmap.next_step(found)
    assert last is None  # the last step leads nowhere, not into the FAQs


def test_an_owner_declares_the_order_in_front_matter() -> None:
    guide = parse_guide(DECLARED, "weaving")
    assert guide.order == ("Things we do",)
    assert guide.sections[0].heading == "Weaving"  # the front matter is no text of the guide
    assert group_of(DECLARED, "weaving") == [["Spin the yarn", "Set up the loom", "Weave the cloth"]]
    assert "in reading order" in "\n".join(describe(Roadmap([guide]), "weaving"))


@pytest.mark.parametrize(
    ("front", "says"),
    [
        ("order: No Such Heading", "not a heading of the guide"),
        ("colour: blue", "front matter holds order only"),
        ("order: [1, 2]", "a heading, or a list of headings"),
        ("order: [unclosed", "not YAML"),
    ],
)
def test_a_wrong_front_matter_is_one_clear_error(front: str, says: str) -> None:
    with pytest.raises(CorpusError, match=says):
        parse_guide(f"---\n{front}\n---\n# T\n\n## A\n\ntext\n", "g")


def test_the_shipped_guide_reads_as_before() -> None:
    source = (Path(__file__).resolve().parent.parent / "corpus" / "backend-engineer.md").read_text()
    lines = describe(Roadmap([parse_guide(source, "backend-engineer")]), "backend-engineer")
    assert lines[0] == "backend-engineer: 2 ordered groups"
    assert "20 sections numbered" in lines[1] and "5 sections in reading order" in lines[2]
    assert "in step with" in lines[3]  # the salary levels walk the career path
