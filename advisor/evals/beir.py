"""Benchmarks: a dataset in BEIR format read as one guide of passages and a set of eval questions.

A BEIR folder holds ``corpus.jsonl`` ({"_id", "title", "text"} per line), ``queries.jsonl``
({"_id", "text"}) and ``qrels/test.tsv`` (query-id, corpus-id, score; a header line is allowed).
Each document becomes one passage: heading and breadcrumb = its title, text = its abstract (its title
when it has none), anchor = its id, guide = the folder's name. Only queries with judgments are asked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.errors import EvalDataError
from advisor.evals.questions import EvalQuestion
from advisor.guides.sections import Guide, Section

FILES = ("corpus.jsonl", "queries.jsonl", "qrels/test.tsv")


@dataclass(frozen=True)
class BeirDataset:
    name: str
    guide: Guide
    questions: tuple[EvalQuestion, ...]
    digest: str  # content hash of the three files: an index of another version is rebuilt


def load_beir(folder: Path) -> BeirDataset:
    """Read a BEIR folder; EvalDataError naming the missing file, or the file and line of a bad record."""
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise EvalDataError(f"{folder / missing[0]}: not found; a BEIR folder holds {', '.join(FILES)}")
    name = folder.resolve().name
    sections = tuple(
        _section(name, position, line, doc)
        for position, (line, doc) in enumerate(_records(folder / "corpus.jsonl", ("_id",)))
    )
    queries = {
        str(q["_id"]): str(q.get("text", "")) for _, q in _records(folder / "queries.jsonl", ("_id", "text"))
    }
    qrels = _qrels(folder / "qrels/test.tsv", queries)
    questions = tuple(
        EvalQuestion(
            qid, queries[qid], {f"{name}/{doc}": grade for doc, grade in judged.items()}, "topic", "test"
        )
        for qid, judged in qrels.items()
    )
    return BeirDataset(name, Guide(name, name, "", sections), questions, _digest(folder))


def _records(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise EvalDataError(f"{path}:{number}: not JSON ({exc.msg})") from None
            if not isinstance(record, dict) or any(key not in record for key in required):
                raise EvalDataError(f"{path}:{number}: expected an object with {', '.join(required)}")
            yield number, record


def _section(name: str, position: int, line: int, doc: dict[str, Any]) -> Section:
    title = " ".join(str(doc.get("title") or "").split())
    text = str(doc.get("text") or "").strip() or title
    return Section(name, str(doc["_id"]), title, 1, (title,), position, None, text, line)


def _qrels(path: Path, queries: dict[str, str]) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            cells = text.rstrip("\n").split("\t")
            if not text.strip() or (number == 1 and cells[-1].strip().lower() == "score"):
                continue
            if len(cells) != 3 or not cells[2].strip().lstrip("-").isdigit():
                raise EvalDataError(f"{path}:{number}: expected query-id, corpus-id and an integer score")
            qid, doc, score = cells[0].strip(), cells[1].strip(), int(cells[2])
            if qid not in queries:
                raise EvalDataError(f"{path}:{number}: query {qid!r} is not in queries.jsonl")
            qrels.setdefault(qid, {})[doc] = score
    return qrels


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return digest.hexdigest()
