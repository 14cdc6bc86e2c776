"""Benchmark questions: the labelled eval set when there is one, else the visitor questions shipped here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

BUNDLED = Path(__file__).with_name("questions.txt")


@dataclass(frozen=True)
class Question:
    text: str
    relevant: frozenset[str]  # "guide/anchor" keys; empty when unlabelled or off-topic


def load_questions(eval_file: Path | None) -> tuple[list[Question], str]:
    """The questions and where they came from; labels only come with the eval file."""
    if eval_file is not None and eval_file.is_file():
        return _from_eval(eval_file), str(eval_file)
    lines = BUNDLED.read_text().splitlines()
    texts = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [Question(t, frozenset()) for t in texts], f"{BUNDLED.name} (unlabelled)"


def _from_eval(path: Path) -> list[Question]:
    out = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        relevant = row.get("relevant") or []
        if isinstance(relevant, dict):  # graded: {key: grade}, grade 0 meaning not relevant
            relevant = [key for key, grade in relevant.items() if grade > 0]
        keys = [item if isinstance(item, str) else item.get("key", "") for item in relevant]
        out.append(Question(row["question"], frozenset(str(k) for k in keys)))
    return out


def labelled(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.relevant]
