"""Confirmed questions: visitors' questions whose answer the site owner confirmed, kept beside the guides.

`corpus/confirmed.jsonl` holds one JSON object a line: `{"question": "...", "section": "guide/anchor"}`,
or `"section": null` for a question no guide of the site covers, with an optional `"source"` (where it
was asked). `advisor insights confirm` adds the owner's reviewed candidates to it. Every build embeds
the questions, and the nearest ones vote on whether the guides cover a visitor's question
(advisor/answer/confirmed.py).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.errors import CorpusError

CONFIRMED_FILE = "confirmed.jsonl"  # kept beside the guides in the corpus folder


@dataclass(frozen=True)
class Confirmed:
    """One question and what answers it, as the site owner confirmed."""

    question: str
    section: str | None  # "guide/anchor"; None: no guide of the site covers it
    source: str | None = None  # where it was asked (a URL, or "insights")


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    question: Annotated[str, Field(min_length=1)]
    section: str | None
    source: str | None = None


def load_confirmed(corpus_dir: Path, known: Collection[str] | None = None) -> tuple[Confirmed, ...]:
    """The confirmed questions of a corpus folder (none without the file); CorpusError naming the line
    of the first problem. `known` holds the section keys a confirmation may name (None: not checked)."""
    path = corpus_dir / CONFIRMED_FILE
    if not path.is_file():
        return ()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot be read ({exc})") from exc
    found = []
    for number, text in enumerate(lines, start=1):
        if text.strip():
            found.append(_confirmed(text, f"{path}:{number}", known))
    return tuple(found)


def _confirmed(text: str, where: str, known: Collection[str] | None) -> Confirmed:
    try:
        line = _Line.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        first = exc.errors()[0] if isinstance(exc, ValidationError) else None
        why = f"{'.'.join(map(str, first['loc'])) or 'line'}: {first['msg']}" if first else "not JSON"
        raise CorpusError(f"{where}: not a confirmed question ({why})") from None
    if line.section is not None and known is not None and line.section not in known:
        raise CorpusError(f"{where}: no section {line.section!r} in the guides")
    return Confirmed(line.question.strip(), line.section, line.source)


def append_confirmed(corpus_dir: Path, confirmed: Iterable[Confirmed]) -> int:
    """Add confirmations to the corpus's file, leaving out questions it already holds (compared
    case-blind); returns how many were added."""
    path = corpus_dir / CONFIRMED_FILE
    held = {c.question.casefold() for c in load_confirmed(corpus_dir)}
    lines = []
    for item in confirmed:
        if item.question.casefold() not in held:
            held.add(item.question.casefold())
            record = {"question": item.question, "section": item.section}
            lines.append(json.dumps(record | ({"source": item.source} if item.source else {})))
    if lines:
        with path.open("a", encoding="utf-8") as out:
            out.write("".join(line + "\n" for line in lines))
    return len(lines)
