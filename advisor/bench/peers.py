"""Benchmark peers on the same passages, questions and model: txtai (hybrid) and plain ST + FAISS."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from advisor.bench.measure import percentiles, timed
from advisor.bench.questions import Question, labelled
from advisor.index.format import Index
from advisor.index.texts import bm25_text

Search = Callable[[str], list[str]]  # question -> passage keys, best first


def hit_at(search: Search, questions: list[Question], k: int = 3) -> float | None:
    """Share of labelled questions with a relevant passage in the first k; None without labels."""
    rows = labelled(questions)
    if not rows:
        return None
    return sum(bool(set(search(q.text)[:k]) & q.relevant) for q in rows) / len(rows)


def measure(search: Search, questions: list[Question], *, rounds: int) -> dict[str, Any]:
    texts = [q.text for q in questions]
    for text in texts[:5]:
        search(text)
    return {**percentiles(timed(search, texts, rounds=rounds)), "hit_at_3": hit_at(search, questions)}


def plain_faiss(index: Index, model_path: str) -> tuple[Search, float]:
    """The few lines most people would write: encode passages, a flat FAISS index, search."""
    import faiss
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    model = SentenceTransformer(model_path, device="cpu")
    keys = [p.key for p in index.passages]
    vectors = model.encode([bm25_text(p) for p in index.passages], normalize_embeddings=True)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)

    def search(question: str) -> list[str]:
        _, ids = flat.search(model.encode([question], normalize_embeddings=True), 3)
        return [keys[i] for i in ids[0] if i >= 0]

    return search, time.perf_counter() - started


def txtai_hybrid(index: Index, model_path: str) -> tuple[Search, float]:
    """txtai Embeddings with the same model folder, its hybrid (dense + BM25) search on."""
    from txtai import Embeddings

    started = time.perf_counter()
    embeddings = Embeddings(path=model_path, content=True, hybrid=True)
    embeddings.index([{"id": p.key, "text": bm25_text(p)} for p in index.passages])

    def search(question: str) -> list[str]:
        return [row["id"] for row in embeddings.search(question, 3)]

    return search, time.perf_counter() - started
