"""Candidates: questions the guide failed on, as unreviewed eval questions (eval/questions.jsonl format).

Each line has the format's fields (`id`, `question`, `relevant`, `kind`) plus `"reviewed": false`.
`relevant` holds the advisor's current top sections: a suggestion for the person who labels the
question, not a judgement. The `id` names why the question is a candidate and is stable across
exports (a hash of the question), so a re-export does not duplicate a line already reviewed.

Reviewed lines become confirmed questions (`confirmations`, `advisor insights confirm`): the first of
`relevant` answers the question, and an empty `relevant` (or `"kind": "offtopic"`) says that no guide
covers it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.answer.advisor import Advisor
from advisor.errors import AdvisorError, EvalDataError
from advisor.guides.confirmed import Confirmed
from advisor.insights.report import QuestionRow, unanswered, unclicked, voted_down
from advisor.insights.store import Store, question_key

# Why a question is a candidate, most telling first: a question is listed once, for the first.
REASONS: dict[str, Callable[..., list[QuestionRow]]] = {
    "unanswered": unanswered,
    "voted-down": voted_down,
    "unclicked": unclicked,
}


@dataclass(frozen=True)
class Candidate:
    question: str
    why: str  # a key of REASONS
    asks: int


def gather(store: Store, *, since: int, limit: int = 500) -> list[Candidate]:
    """Unanswered, voted-down and unclicked questions since `since`, most asked first within each."""
    seen: set[str] = set()
    found: list[Candidate] = []
    with store.connect() as conn:
        for why, failed in REASONS.items():
            for row in failed(conn, since=since, limit=limit):
                if question_key(row.question) not in seen:
                    seen.add(question_key(row.question))
                    found.append(Candidate(row.question, why, row.asks))
    return found


def candidate_id(candidate: Candidate) -> str:
    digest = hashlib.sha256(question_key(candidate.question).encode()).hexdigest()[:10]
    return f"insights-{candidate.why}-{digest}"


def eval_line(advisor: Advisor, candidate: Candidate, *, k: int = 3) -> dict[str, Any]:
    """The candidate as an eval question labelled with what the advisor returns for it now."""
    answer = advisor.ask(candidate.question, k=k)
    keys = [h.section.key for h in (*answer.next_steps, *answer.results)]
    return {
        "id": candidate_id(candidate),
        "question": candidate.question,
        "relevant": list(dict.fromkeys(keys))[:k],
        "kind": "roadmap" if answer.next_steps else "topic",
        "reviewed": False,
    }


def known_questions(path: Path) -> set[str]:
    """Questions (as question_key) already in an eval question file, so they are not proposed again."""
    if not path.is_file():
        return set()
    known = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            known.add(question_key(str(json.loads(line)["question"])))
        except (ValueError, KeyError, TypeError):
            continue  # the eval loader reports bad lines; here they only cannot be skipped
    return known


def write_candidates(
    advisor: Advisor, candidates: Iterable[Candidate], out: Path, *, skip: set[str], k: int = 3
) -> list[Candidate]:
    """Write one JSON line per candidate not in `skip`; returns the candidates written."""
    lines, written = [], []
    for candidate in candidates:
        if question_key(candidate.question) in skip:
            continue
        try:
            lines.append(eval_line(advisor, candidate, k=k))
        except AdvisorError:  # e.g. longer than today's question limit: nothing to suggest
            continue
        written.append(candidate)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    tmp.replace(out)
    return written


def confirmations(path: Path, *, known: set[str]) -> tuple[list[Confirmed], int]:
    """The reviewed lines of a candidates file as confirmed questions, and how many lines were left
    unreviewed; EvalDataError naming the line of the first problem."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalDataError(f"{path}: cannot be read ({exc})") from None
    found, unreviewed = [], 0
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        where = f"{path}:{number}"
        try:
            line = json.loads(text)
            question, relevant, reviewed = str(line["question"]).strip(), line["relevant"], line["reviewed"]
        except (ValueError, KeyError, TypeError):
            raise EvalDataError(f"{where}: not a candidate line (question, relevant, reviewed)") from None
        if reviewed is not True:
            unreviewed += 1
            continue
        sections = list(relevant) if isinstance(relevant, list | dict) else None
        if not question or sections is None:
            raise EvalDataError(f"{where}: needs a question and a list of relevant sections")
        section = None if line.get("kind") == "offtopic" or not sections else str(sections[0])
        if section is not None and section not in known:
            raise EvalDataError(f"{where}: no section {section!r} in the guides")
        found.append(Confirmed(question, section, "insights"))
    return found, unreviewed
