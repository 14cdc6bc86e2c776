"""Index texts: what is embedded and what BM25 indexes for each passage, window, sentence and heading."""

from __future__ import annotations

import numpy as np

from advisor.guides.sections import Section
from advisor.guides.windows import sentence_spans


def embed_text(passage: Section, start: int, end: int) -> str:
    """What the model reads for one window: the breadcrumb, then the window's text."""
    return " › ".join(passage.breadcrumb) + "\n" + passage.text[start:end]


def bm25_text(passage: Section) -> str:
    """What BM25 indexes for a passage: its heading and its text."""
    return passage.heading + "\n" + passage.text


def heading_text(passage: Section) -> str:
    """What is embedded for a passage's heading: its breadcrumb, as windows are prefixed with it."""
    return " › ".join(passage.breadcrumb)


def sentence_rows(passages: list[Section]) -> np.ndarray:
    """(sentences, 3) int32 rows: passage number, start and end of each sentence of each passage."""
    rows = [
        (number, start, end)
        for number, passage in enumerate(passages)
        for start, end in sentence_spans(passage.text)
    ]
    return np.array(rows, dtype=np.int32).reshape(-1, 3)
