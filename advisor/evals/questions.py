"""Eval questions: a labelled question set (JSON lines), read and checked line by line."""

from __future__ import annotations

import difflib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.errors import EvalDataError

KINDS = ("topic", "roadmap", "typo", "offtopic")
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class EvalQuestion:
    """One question and the sections that answer it, each with its grade (0: judged not relevant)."""

    id: str
    question: str
    relevant: Mapping[str, int]
    kind: str = "topic"
    split: str = "dev"
    next: tuple[str, ...] = field(default=())  # roadmap questions: the section(s) that come next
    source: str | None = None  # where a real visitor asked it (a URL); None for a question we wrote

    @property
    def real(self) -> bool:
        """Asked by a real person in public (it carries its source), not written by us."""
        return self.source is not None

    @property
    def answerable(self) -> bool:
        return any(grade > 0 for grade in self.relevant.values())


class _Line(BaseModel):
    """The shape of one line of a question file."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: Annotated[str, Field(min_length=1)]
    question: Annotated[str, Field(min_length=1)]
    kind: Literal["topic", "roadmap", "typo", "offtopic"]
    relevant: object  # checked by _grades, whose messages say more than a union's
    split: Literal["dev", "test"] = "dev"
    next: list[str] = []
    source: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None


def load_questions(path: Path, *, known: Collection[str] | None = None) -> list[EvalQuestion]:
    """Every question of a JSON-lines file; EvalDataError naming the file and line of the first problem.

    `known` holds the section keys ("guide/anchor") labels may use; None skips that check.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise EvalDataError(f"{path}: question file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalDataError(f"{path}: cannot be read ({exc})") from exc
    questions: list[EvalQuestion] = []
    first_line: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        where = f"{path}:{number}"
        question = _question(_parse(text, where), where, known)
        if question.id in first_line:
            raise EvalDataError(
                f"{where}: duplicate id {question.id!r} (first on line {first_line[question.id]})"
            )
        first_line[question.id] = number
        questions.append(question)
    if not questions:
        raise EvalDataError(f"{path}: no questions in the file")
    return questions


def _parse(text: str, where: str) -> _Line:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvalDataError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise EvalDataError(f"{where}: expected a JSON object, got {type(data).__name__}")
    try:
        return _Line.model_validate(data)
    except ValidationError as exc:
        raise EvalDataError(f"{where}: {_explain(exc)}") from None


def _explain(exc: ValidationError) -> str:
    error = exc.errors()[0]
    name = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown field {name!r} (fields: {', '.join(_Line.model_fields)})"
    if error["type"] == "missing":
        return f"missing field {name!r}"
    return f"{name}: {error['msg']}"


def _question(line: _Line, where: str, known: Collection[str] | None) -> EvalQuestion:
    grades = _grades(line.relevant, where)
    if line.kind == "offtopic" and grades:
        raise EvalDataError(f"{where}: an offtopic question has no relevant sections; 'relevant' must be []")
    if line.kind != "offtopic" and not grades:
        raise EvalDataError(f"{where}: 'relevant' is empty; label every section that answers the question")
    if line.next and line.kind != "roadmap":
        raise EvalDataError(f"{where}: only roadmap questions have 'next'")
    if line.kind == "roadmap" and not line.next:
        raise EvalDataError(f"{where}: a roadmap question names the section(s) that come next in 'next'")
    if stray := [key for key in line.next if key not in grades]:
        raise EvalDataError(f"{where}: 'next' section {stray[0]!r} is not in 'relevant'")
    if known is not None:
        for key in grades:
            if key not in known:
                raise EvalDataError(f"{where}: unknown section {key!r}{_suggest(key, known)}")
    return EvalQuestion(
        line.id, line.question, grades, line.kind, line.split, tuple(line.next), line.source
    )


def _grades(relevant: object, where: str) -> dict[str, int]:
    """'relevant' as section -> grade: a list gives grade 1 to each, an object gives its own grades."""
    if isinstance(relevant, list) and all(isinstance(key, str) for key in relevant):
        if len(set(relevant)) != len(relevant):
            raise EvalDataError(f"{where}: a section is listed twice in 'relevant'")
        return dict.fromkeys(relevant, 1)
    if isinstance(relevant, dict):
        for key, grade in relevant.items():
            if type(grade) is not int or grade < 1:
                raise EvalDataError(
                    f"{where}: the grade of {key!r} must be a whole number, 1 or more (got {grade!r}); "
                    "list only sections that answer the question"
                )
        return dict(relevant)
    raise EvalDataError(f"{where}: 'relevant' must be a list of sections or an object of section: grade")


def _suggest(key: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
