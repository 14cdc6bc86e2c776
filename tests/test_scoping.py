"""Everything per guide: a guide of another career added beside one changes none of its answers' evidence,
and no figure of one guide leads an answer about another career."""

from __future__ import annotations

from pathlib import Path

from advisor.answer.advisor import Advisor
from advisor.index.build import build_index
from advisor.index.load import load_index
from tests.conftest import FAKE_PARAMS, FIXTURES, FakeEmbedder

BAKER = """# How to Become a Baker

## Baker Salary

### Junior Baker

Junior bakers earn $30,000 - $40,000 per year with 0-2 years of experience.

### Head Baker

Head bakers earn $50,000 - $70,000 per year with 5+ years of experience.

## Ovens

Bake bread in a hot oven; earn the trust of your customers.
"""

QUESTIONS = [
    "how do I knead dough and bake bread",
    "is a kitchen knife dangerous",
    "how much salt goes in pasta water",
    "what should I learn after knife skills",
    "is cooking expensive to learn, and can I earn money",
]


def advisor_over(folder: Path, guides: dict[str, str]) -> Advisor:
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    for name, text in guides.items():
        (corpus / name).write_text(text)
    build_index(corpus, folder / "index", FakeEmbedder(), params=FAKE_PARAMS)
    return Advisor(load_index(folder / "index"), FakeEmbedder())


def test_adding_a_guide_of_another_career_moves_no_evidence_of_this_ones_questions(tmp_path: Path) -> None:
    cooking = {"cooking.md": (FIXTURES / "cooking.md").read_text()}
    alone = advisor_over(tmp_path / "alone", cooking)
    others = {"baker.md": BAKER, "gardening.md": (FIXTURES / "gardening.md").read_text()}
    beside = advisor_over(tmp_path / "beside", {**cooking, **others})
    compared = 0
    for question in QUESTIONS:
        before, after = alone.ask(question), beside.ask(question)
        if after.results and after.results[0].section.guide == "cooking":
            compared += 1
            assert after.evidence == before.evidence, question
            assert after.answered == before.answered, question
    assert compared >= 3  # most of them still find the cooking guide first


def test_pay_of_one_guide_never_leads_an_answer_about_another(tmp_path: Path) -> None:
    cooking = {"cooking.md": (FIXTURES / "cooking.md").read_text()}
    advisor = advisor_over(tmp_path / "both", {**cooking, "baker.md": BAKER})
    answer = advisor.ask("can I earn 35k from cooking pasta and knife skills", guide="cooking")
    assert all(hit.section.guide == "cooking" for hit in answer.results)
    baker = advisor.ask("can a junior baker earn 35k")
    assert baker.results[0].section.guide == "baker"  # its own guide's pay
