"""Index build: guides parsed, windowed, embedded and indexed into a new folder, made current atomically."""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import numpy as np

from advisor.guides.confirmed import Confirmed, load_confirmed
from advisor.guides.sections import Guide, Section, corpus_hash, load_corpus
from advisor.guides.windows import window_spans
from advisor.index.ann import AnnParams, write_dense
from advisor.index.embed import Embedder
from advisor.index.format import (
    CURRENT,
    FILES,
    FORMAT_VERSION,
    KEEP_BUILDS,
    BuildParams,
    Manifest,
    fingerprint,
    index_version,
)
from advisor.index.texts import bm25_text, embed_text, heading_text, sentence_rows
from advisor.language.synonyms import load_synonyms
from advisor.language.terms import bm25s, terms


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    *,
    params: BuildParams,
    progress: Callable[[int, int], None] | None = None,
    ann: AnnParams = AnnParams(),
) -> Manifest:
    """Parse, embed and index the corpus, then make it the current build in one atomic step."""
    guides = load_corpus(corpus_dir)
    return build_index_of(
        guides,
        corpus_hash(corpus_dir),
        index_dir,
        embedder,
        params=params,
        progress=progress,
        synonyms=load_synonyms(corpus_dir),
        confirmed=load_confirmed(corpus_dir, known={p.key for g in guides for p in g.passages}),
        ann=ann,
    )


def build_index_of(
    guides: tuple[Guide, ...],
    digest: str,
    index_dir: Path,
    embedder: Embedder,
    *,
    params: BuildParams,
    progress: Callable[[int, int], None] | None = None,
    synonyms: dict[str, str] | None = None,
    confirmed: tuple[Confirmed, ...] = (),
    highlights: bool = True,
    ann: AnnParams = AnnParams(),
) -> Manifest:
    """Embed and index guides already parsed (a corpus, or a benchmark's documents), atomically.

    `digest` identifies their content; it is recorded as the manifest's corpus hash. Without
    `highlights` no sentence is embedded (benchmarks need no highlights, and it saves most of the time).
    """
    synonyms = synonyms or {}
    index_dir.mkdir(parents=True, exist_ok=True)
    with _build_lock(index_dir):
        tmp = index_dir / f".tmp-{os.getpid()}-{time.time_ns()}"
        tmp.mkdir()
        try:
            data = CorpusData(synonyms, confirmed)
            manifest = _write_build(
                tmp, guides, data, digest, embedder, params, progress, highlights, ann, index_dir
            )
            final = index_dir / f"{manifest.version}-{time.strftime('%Y%m%dT%H%M%S')}"
            if final.exists():
                shutil.rmtree(final)
            tmp.rename(final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        _point_current(index_dir, final.name)
        _prune(index_dir)
    return manifest


@dataclass(frozen=True)
class CorpusData:
    """What a build takes in from beside the guides."""

    synonyms: dict[str, str]
    confirmed: tuple[Confirmed, ...]


@contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    with open(index_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for stale in index_dir.glob(".tmp-*"):  # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        yield


def _point_current(index_dir: Path, name: str) -> None:
    link = index_dir / f".{CURRENT}-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(name)
    os.replace(link, index_dir / CURRENT)  # atomic: readers see the old build or the new one


def _prune(index_dir: Path) -> None:
    current = os.readlink(index_dir / CURRENT)
    builds = sorted(
        (p for p in index_dir.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    keep = {current, *(p.name for p in builds[:KEEP_BUILDS])}
    for build in builds:
        if build.name not in keep:
            shutil.rmtree(build, ignore_errors=True)


def _write_build(
    folder: Path,
    guides: tuple[Guide, ...],
    data: CorpusData,
    digest: str,
    embedder: Embedder,
    params: BuildParams,
    progress: Callable[[int, int], None] | None,
    highlights: bool,
    ann: AnnParams,
    index_dir: Path,
) -> Manifest:
    passages = [p for g in guides for p in g.passages]
    windows = passage_windows(passages, embedder, params)
    sentences = sentence_rows(passages if highlights else [])
    texts = [embed_text(passages[w[0]], w[1], w[2]) for w in windows]
    texts += [passages[n].text[start:end] for n, start, end in sentences]
    texts += [heading_text(p) for p in passages]
    texts += [c.question for c in data.confirmed]
    vectors = _encode_all(embedder, texts, progress)
    encoder = _encoder(folder, params, index_dir, texts, vectors)
    (folder / "guides.json").write_text(json.dumps([_guide_json(g) for g in guides]))
    (folder / "synonyms.json").write_text(json.dumps(data.synonyms, indent=1, sort_keys=True))
    (folder / "confirmed.json").write_text(json.dumps([dataclasses.asdict(c) for c in data.confirmed]))
    np.save(folder / "windows.npy", windows)
    np.save(folder / "sentences.npy", sentences)
    np.save(folder / "sentence_vectors.npy", vectors[len(windows) : len(windows) + len(sentences)])
    headings_end = len(windows) + len(sentences) + len(passages)
    np.save(folder / "heading_vectors.npy", vectors[len(windows) + len(sentences) : headings_end])
    np.save(folder / "confirmed_vectors.npy", vectors[headings_end:])
    vectors = vectors[: len(windows)]
    write_dense(folder / "dense.faiss", vectors, ann)
    _write_bm25(folder / "bm25", passages)
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        version=index_version(digest, params),
        model=params.model,
        dimension=embedder.dimension,
        corpus_hash=digest,
        window_tokens=params.window_tokens,
        window_overlap=params.window_overlap,
        passages=len(passages),
        windows=len(windows),
        libraries=_libraries(),
        files={name: fingerprint(folder / name) for name in FILES},
        built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **encoder,
    )
    (folder / "manifest.json").write_text(json.dumps(dataclasses.asdict(manifest), indent=2))
    return manifest


def _encoder(
    folder: Path, params: BuildParams, index_dir: Path, texts: list[str], vectors: np.ndarray
) -> dict[str, Any]:
    """The manifest's encoder fields; with "onnx", the model's export in folder/encoder, checked
    against every text's vector from the build's embedder (sentence-transformers)."""
    if params.encoder != "onnx":
        return {"encoder": params.encoder}
    from advisor.index.export import CACHE_DIR, export_encoder
    from advisor.index.onnx import ENCODER_DIR

    digest = export_encoder(params.model, index_dir / CACHE_DIR, folder / ENCODER_DIR, texts, vectors)
    return {"encoder": "onnx", "encoder_sha256": digest}


def passage_windows(passages: list[Section], embedder: Embedder, params: BuildParams) -> np.ndarray:
    """(windows, 3) int32 rows: passage number, start and end of the window in its text.

    With `window_tokens` 0 each passage is one window, and the model cuts what it cannot read.
    """
    rows: list[tuple[int, int, int]] = []
    if params.window_tokens <= 0:
        rows = [(number, 0, len(passage.text)) for number, passage in enumerate(passages)]
        return np.array(rows, dtype=np.int32).reshape(-1, 3)
    for number, passage in enumerate(passages):
        header = embedder.count_tokens(embed_text(passage, 0, 0))
        budget = max(16, min(params.window_tokens, embedder.max_tokens) - header)
        spans = window_spans(
            passage.text, embedder.count_tokens, budget=budget, overlap=params.window_overlap
        )
        rows.extend((number, start, end) for start, end in spans)
    return np.array(rows, dtype=np.int32).reshape(-1, 3)


def _encode_all(
    embedder: Embedder, texts: list[str], progress: Callable[[int, int], None] | None
) -> np.ndarray:
    batch = 64
    parts = []
    for start in range(0, len(texts), batch):
        parts.append(embedder.encode(texts[start : start + batch]))
        if progress:
            progress(min(start + batch, len(texts)), len(texts))
    return np.vstack(parts) if parts else np.zeros((0, embedder.dimension), np.float32)


def _write_bm25(folder: Path, passages: list[Section]) -> None:
    bm25 = bm25s().BM25()
    bm25.index([terms(bm25_text(p)) for p in passages], show_progress=False)
    bm25.save(str(folder), show_progress=False)


def _guide_json(guide: Guide) -> dict[str, Any]:
    return {
        "id": guide.id,
        "title": guide.title,
        "source": guide.source,
        "sections": [dataclasses.asdict(s) for s in guide.sections],
        "order": list(guide.order),
    }


def _libraries() -> dict[str, str]:
    names = ("faiss-cpu", "bm25s", "sentence-transformers", "torch", "onnxruntime", "markdown-it-py")
    return {name: package_version(name) for name in names}
