"""Windows: each passage cut into overlapping stretches of whole sentences that the model can read."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# A sentence ends at . ! ? (optionally closed by a quote or bracket) before white space, or at a line end.
# A numbered list item's number stays with its text ("3. Data Security: ..."), not a sentence of its own.
_SENTENCE = re.compile(r"(?:^[ \t]*\d{1,3}[.)][ \t]+)?[^\n]+?(?:[.!?][\"'”’)\]]*(?=\s)|$)", re.MULTILINE)


@dataclass(frozen=True)
class Window:
    """A stretch of one passage's text, as character offsets into it."""

    passage: int
    start: int
    end: int


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or list line, surrounding white space excluded."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        piece = match.group()
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        if end > start:
            spans.append((start, end))
    return spans


def _split_long(
    text: str, span: tuple[int, int], count: Callable[[str], int], budget: int
) -> list[tuple[int, int]]:
    """Cut a sentence longer than the budget at word boundaries."""
    start, end = span
    pieces: list[tuple[int, int]] = []
    for word in re.finditer(r"\S+", text[start:end]):
        w_start, w_end = start + word.start(), start + word.end()
        if pieces and count(text[pieces[-1][0] : w_end]) <= budget:
            pieces[-1] = (pieces[-1][0], w_end)
        else:
            pieces.append((w_start, w_end))
    return pieces


def window_spans(
    text: str, count: Callable[[str], int], *, budget: int, overlap: int
) -> list[tuple[int, int]]:
    """Overlapping windows of whole sentences, each at most `budget` tokens by `count`."""
    if not text or count(text) <= budget:
        return [(0, len(text))]
    units: list[tuple[int, int]] = []
    for span in sentence_spans(text):
        if count(text[span[0] : span[1]]) > budget:
            units.extend(_split_long(text, span, count, budget))
        else:
            units.append(span)
    return _pack(text, units, count, budget=budget, overlap=overlap)


def _pack(
    text: str,
    units: Sequence[tuple[int, int]],
    count: Callable[[str], int],
    *,
    budget: int,
    overlap: int,
) -> list[tuple[int, int]]:
    spans = []
    first = 0
    while True:
        last = first
        while last + 1 < len(units) and count(text[units[first][0] : units[last + 1][1]]) <= budget:
            last += 1
        spans.append((units[first][0], units[last][1]))
        if last == len(units) - 1:
            return spans
        nxt = last + 1  # step back while the shared tail stays within the overlap
        while nxt - 1 > first and count(text[units[nxt - 1][0] : units[last][1]]) <= overlap:
            nxt -= 1
        first = nxt
