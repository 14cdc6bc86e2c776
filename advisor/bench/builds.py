"""Benchmark of builds: the guide and SciFact (5,183 abstracts) indexed with the real model."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from advisor.bench.scale import Vocabulary
from advisor.evals.beir import load_beir
from advisor.index.ann import AnnParams
from advisor.index.build import build_index, build_index_of
from advisor.index.embed import Embedder
from advisor.index.format import BuildParams, Manifest
from advisor.index.load import build_folder, load_index
from advisor.index.texts import bm25_text
from advisor.language.terms import terms


def timed_build(
    corpus_dir: Path, index_dir: Path, embedder: Embedder, *, params: BuildParams, ann: AnnParams
) -> dict[str, Any]:
    """The guide's build, as `advisor build` does it."""
    return _timed(index_dir, lambda: build_index(corpus_dir, index_dir, embedder, params=params, ann=ann))


def timed_beir_build(
    beir_dir: Path, index_dir: Path, embedder: Embedder, *, ann: AnnParams
) -> dict[str, Any]:
    """A BEIR corpus's build, as `advisor eval --beir` does it: each document embedded whole."""
    dataset = load_beir(beir_dir)
    params = BuildParams(embedder.model_id, 0, 0)
    return _timed(
        index_dir,
        lambda: build_index_of(
            (dataset.guide,), dataset.digest, index_dir, embedder, params=params, highlights=False, ann=ann
        ),
    )


def _timed(index_dir: Path, build: Callable[[], Manifest]) -> dict[str, Any]:
    started = time.perf_counter()
    manifest = build()
    seconds = time.perf_counter() - started
    folder = build_folder(index_dir)
    return {
        "seconds": seconds,
        "passages": manifest.passages,
        "windows": manifest.windows,
        "bytes": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()),
        "files": {name: info["bytes"] for name, info in manifest.files.items()},
    }


def vocabulary(index_dirs: list[Path]) -> Vocabulary:
    """Term frequencies and passage lengths of the built corpora, for synthetic passages."""
    counts: Counter[str] = Counter()
    lengths = []
    for index_dir in index_dirs:
        for passage in load_index(index_dir).passages:
            found = terms(bm25_text(passage))
            counts.update(found)
            lengths.append(max(1, len(found)))
    names = sorted(counts)
    return Vocabulary(names, np.array([counts[t] for t in names], np.float64), np.array(lengths, np.int64))


def real_vectors(index_dirs: list[Path]) -> np.ndarray:
    """Every real embedding the built indexes hold: their windows and their highlight sentences."""
    parts = []
    for index_dir in index_dirs:
        index = load_index(index_dir)
        parts += [index.dense.reconstruct_n(0, index.dense.ntotal), index.sentence_vectors]
    return np.vstack([p for p in parts if len(p)]).astype(np.float32)
