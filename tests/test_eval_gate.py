"""The regression gate: the question set on the real guide with the real model must stay above the floors."""

import json
from pathlib import Path

import pytest

from advisor.answer import Advisor
from advisor.evaluate import run_questions
from advisor.questions import load_questions
from advisor.report import heading, report_document, text_table

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parent.parent
MODE = "hybrid"


def test_hybrid_retrieval_stays_above_the_committed_floors(
    real_advisor: Advisor, eval_tables: list[str]
) -> None:
    known = {p.key for p in real_advisor.index.passages}
    questions = load_questions(ROOT / "eval/questions.jsonl", known=known)
    results = run_questions(real_advisor, questions, mode=MODE, ks=[1, 3, 5, 10])
    index = {
        "version": real_advisor.index.version,
        "model": real_advisor.index.manifest.model,
        "passages": len(real_advisor.index.passages),
    }
    doc = report_document(
        {MODE: results},
        dataset="questions",
        source="eval/questions.jsonl",
        split="all",
        ks=[1, 3, 5, 10],
        index=index,
    )
    table = heading(doc) + "\n\n" + text_table(doc)
    eval_tables.append(table)
    floors = json.loads((ROOT / "eval/floors.json").read_text())[MODE]
    reached = doc["modes"][MODE]["summary"]["all"]
    below = {
        name: f"{reached[name]:.3f} < floor {floor}"
        for name, floor in floors.items()
        if reached[name] < floor
    }
    assert not below, f"retrieval got worse: {below}\n{table}"
