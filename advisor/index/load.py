"""Index load: the current build read and verified against its manifest, and whether it is still fresh."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np

from advisor.errors import IndexCorruptError, IndexMissingError, IndexStaleError, reason
from advisor.guides.confirmed import Confirmed
from advisor.guides.sections import Guide, Section, corpus_hash
from advisor.index.ann import read_dense
from advisor.index.format import (
    BUILD_HINT,
    CURRENT,
    FORMAT_VERSION,
    BuildParams,
    Index,
    Manifest,
    fingerprint,
)
from advisor.language.terms import bm25s


def build_folder(index_dir: Path) -> Path:
    """The folder of the build to load: `index_dir` itself if it is one, else its current build."""
    if (index_dir / "manifest.json").is_file():
        return index_dir
    current = index_dir / CURRENT
    if current.is_dir() and (current / "manifest.json").is_file():
        return current.resolve()
    raise IndexMissingError(f"no index in {index_dir}; {BUILD_HINT}")


def read_manifest(index_dir: Path) -> Manifest:
    folder = build_folder(index_dir)
    try:
        data = json.loads((folder / "manifest.json").read_text())
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexCorruptError(
            f"{folder}/manifest.json is unreadable ({reason(exc)}); {BUILD_HINT}"
        ) from exc
    if manifest.format_version != FORMAT_VERSION:
        raise IndexStaleError(
            f"index in {folder} has format {manifest.format_version}, this advisor reads "
            f"{FORMAT_VERSION}; {BUILD_HINT}"
        )
    return manifest


def load_index(index_dir: Path) -> Index:
    """Load the current build, refusing one whose files do not match its manifest."""
    manifest = read_manifest(index_dir)
    folder = build_folder(index_dir)
    for name, expected in manifest.files.items():
        if not (folder / name).exists() or fingerprint(folder / name) != expected:
            raise IndexCorruptError(f"{folder / name} is missing or damaged; {BUILD_HINT}")
    try:
        guides = tuple(_guide_from_json(g) for g in json.loads((folder / "guides.json").read_text()))
        windows = np.load(folder / "windows.npy")
        dense = read_dense(folder / "dense.faiss")
        bm25 = _read_bm25(folder / "bm25")
        sentences = np.load(folder / "sentences.npy")
        sentence_vectors = np.load(folder / "sentence_vectors.npy")
        heading_vectors = np.load(folder / "heading_vectors.npy")
        synonyms = json.loads((folder / "synonyms.json").read_text())
        confirmed = tuple(Confirmed(**c) for c in json.loads((folder / "confirmed.json").read_text()))
        confirmed_vectors = np.load(folder / "confirmed_vectors.npy")
    except Exception as exc:  # a file that hashes right but will not load is still corrupt
        raise IndexCorruptError(f"{folder} cannot be loaded ({reason(exc)}); {BUILD_HINT}") from exc
    passages = tuple(p for g in guides for p in g.passages)
    if (
        dense.ntotal != len(windows)
        or len(passages) != manifest.passages
        or len(sentences) != len(sentence_vectors)
        or len(heading_vectors) != len(passages)
        or len(confirmed_vectors) != len(confirmed)
    ):
        raise IndexCorruptError(f"{folder}: files disagree with each other; {BUILD_HINT}")
    return Index(
        folder,
        manifest,
        guides,
        passages,
        windows,
        dense,
        bm25,
        sentences,
        sentence_vectors,
        heading_vectors,
        synonyms,
        confirmed,
        confirmed_vectors,
    )


def _guide_from_json(data: dict[str, Any]) -> Guide:
    sections = tuple(Section(**{**s, "breadcrumb": tuple(s["breadcrumb"])}) for s in data["sections"])
    return Guide(data["id"], data["title"], data["source"], sections, tuple(data.get("order", ())))


def _read_bm25(folder: Path) -> Any:
    # Memory-mapped, like the dense index: workers share the score matrix through the page cache.
    return bm25s().BM25.load(str(folder), mmap=True, show_progress=False, verbosity=0)


def stale_reasons(manifest: Manifest, *, corpus_dir: Path, params: BuildParams) -> list[str]:
    """Why an index no longer matches the corpus and settings; empty when it is current."""
    reasons = []
    if manifest.corpus_hash != corpus_hash(corpus_dir):
        reasons.append(f"the guides in {corpus_dir} changed")
    for field in dataclasses.fields(params):
        built, wanted = getattr(manifest.params, field.name), getattr(params, field.name)
        if built != wanted:
            reasons.append(f"{field.name} is {wanted!r} but the index was built with {built!r}")
    return reasons


def check_fresh(index_dir: Path, *, corpus_dir: Path, params: BuildParams) -> Manifest:
    """The manifest of a current index, or IndexStaleError saying what changed."""
    manifest = read_manifest(index_dir)
    reasons = stale_reasons(manifest, corpus_dir=corpus_dir, params=params)
    if reasons:
        raise IndexStaleError(f"index in {index_dir} is stale: {'; '.join(reasons)}; {BUILD_HINT}")
    return manifest
