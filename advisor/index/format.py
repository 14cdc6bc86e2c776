"""Index format: passages, their window vectors (FAISS) and terms (BM25), saved as one versioned folder.

Layout of ``index_dir``::

    current -> 3f9c2a1b7d10-20261129T001500   symlink, swapped atomically by each build
    3f9c2a1b7d10-20261129T001500/
        manifest.json   format, version, model, dimension, corpus hash, files with sizes and hashes
        guides.json     every guide: id, title, markdown source, sections
        windows.npy     (windows, 3) int32: passage number, start, end in the passage text
        dense.faiss     one unit vector per window, inner product (flat, or IVF when large: ann.py)
        bm25/           bm25s files, one document per passage
        sentences.npy   (sentences, 3) int32: passage number, start, end of each sentence
        sentence_vectors.npy   one unit vector per sentence, for highlights
        heading_vectors.npy    one unit vector per passage: its breadcrumb alone (headings.py)
        synonyms.json   the corpus's synonym and acronym table
        confirmed.json  the questions whose answer the site owner confirmed (guides/confirmed.py)
        confirmed_vectors.npy   one unit vector per confirmed question
        encoder/        with the onnx encoder: the model exported to ONNX, its tokenizer, their hashes
                        (onnx.py; hard links into .models/, the export cache keyed by the model's files)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from advisor.guides.confirmed import Confirmed
from advisor.guides.sections import Guide, Section

FORMAT_VERSION = 5  # 4: the encoder, and the ONNX export in encoder/; 5: confirmed questions
CURRENT = "current"
FILES = (
    "guides.json",
    "windows.npy",
    "dense.faiss",
    "bm25",
    "sentences.npy",
    "sentence_vectors.npy",
    "heading_vectors.npy",
    "synonyms.json",
    "confirmed.json",
    "confirmed_vectors.npy",
)
KEEP_BUILDS = 2  # the current build and the one before it, for a quick roll back
BUILD_HINT = "run `advisor build` (or `make index`) to build it"


@dataclass(frozen=True)
class BuildParams:
    """Everything besides the corpus that decides what a build contains."""

    model: str
    window_tokens: int
    window_overlap: int
    encoder: str = "torch"  # "onnx": the build exports the model and serving runs it without torch


@dataclass(frozen=True)
class Manifest:
    format_version: int
    version: str
    model: str
    dimension: int
    corpus_hash: str
    window_tokens: int
    window_overlap: int
    passages: int
    windows: int
    libraries: dict[str, str]
    files: dict[str, dict[str, Any]]
    built_at: str
    encoder: str = "torch"  # what encodes questions: "torch" (sentence-transformers) or "onnx"
    encoder_sha256: str | None = None  # of encoder/model.onnx, checked on load

    @property
    def params(self) -> BuildParams:
        return BuildParams(self.model, self.window_tokens, self.window_overlap, self.encoder)


@dataclass(frozen=True)
class Index:
    """A loaded index: what retrieval searches."""

    path: Path
    manifest: Manifest
    guides: tuple[Guide, ...]
    passages: tuple[Section, ...]
    windows: np.ndarray
    dense: Any  # faiss.Index
    bm25: Any  # bm25s.BM25
    sentences: np.ndarray
    sentence_vectors: np.ndarray
    heading_vectors: np.ndarray
    synonyms: dict[str, str]
    confirmed: tuple[Confirmed, ...] = ()
    confirmed_vectors: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros((0, 0), np.float32))

    @property
    def version(self) -> str:
        return self.manifest.version


def index_version(digest: str, params: BuildParams) -> str:
    text = json.dumps([FORMAT_VERSION, digest, dataclasses.astuple(params)])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def fingerprint(path: Path) -> dict[str, Any]:
    """Size and SHA-256 of a file, or of a folder's files in name order."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256()
    size = 0
    for file in files:
        data = file.read_bytes()
        size += len(data)
        digest.update(file.name.encode() + b"\0" + data)
    return {"bytes": size, "sha256": digest.hexdigest()}
