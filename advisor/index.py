"""Index: passages, their window vectors (FAISS) and terms (BM25), saved as one versioned folder.

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
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
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

from advisor.ann import AnnParams, read_dense, write_dense
from advisor.embed import Embedder
from advisor.errors import IndexCorruptError, IndexMissingError, IndexStaleError, reason
from advisor.headings import heading_text
from advisor.highlights import sentence_rows
from advisor.lexical import bm25s, terms
from advisor.passages import Guide, Section, corpus_hash, load_corpus
from advisor.synonyms import load_synonyms
from advisor.windows import window_spans

FORMAT_VERSION = 3
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
)
KEEP_BUILDS = 2  # the current build and the one before it, for a quick roll back
BUILD_HINT = "run `advisor build` (or `make index`) to build it"


@dataclass(frozen=True)
class BuildParams:
    """Everything besides the corpus that decides what a build contains."""

    model: str
    window_tokens: int
    window_overlap: int


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

    @property
    def params(self) -> BuildParams:
        return BuildParams(self.model, self.window_tokens, self.window_overlap)


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

    @property
    def version(self) -> str:
        return self.manifest.version


def index_version(digest: str, params: BuildParams) -> str:
    text = json.dumps([FORMAT_VERSION, digest, dataclasses.astuple(params)])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _libraries() -> dict[str, str]:
    names = ("faiss-cpu", "bm25s", "sentence-transformers", "torch", "markdown-it-py")
    return {name: package_version(name) for name in names}


# ---------------------------------------------------------------- build


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
    return build_index_of(
        load_corpus(corpus_dir),
        corpus_hash(corpus_dir),
        index_dir,
        embedder,
        params=params,
        progress=progress,
        synonyms=load_synonyms(corpus_dir),
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
            manifest = _write_build(
                tmp, guides, synonyms, digest, embedder, params, progress, highlights, ann
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
    synonyms: dict[str, str],
    digest: str,
    embedder: Embedder,
    params: BuildParams,
    progress: Callable[[int, int], None] | None,
    highlights: bool,
    ann: AnnParams,
) -> Manifest:
    passages = [p for g in guides for p in g.passages]
    windows = passage_windows(passages, embedder, params)
    sentences = sentence_rows(passages if highlights else [])
    texts = [embed_text(passages[w[0]], w[1], w[2]) for w in windows]
    texts += [passages[n].text[start:end] for n, start, end in sentences]
    texts += [heading_text(p) for p in passages]
    vectors = _encode_all(embedder, texts, progress)
    (folder / "guides.json").write_text(json.dumps([_guide_json(g) for g in guides]))
    (folder / "synonyms.json").write_text(json.dumps(synonyms, indent=1, sort_keys=True))
    np.save(folder / "windows.npy", windows)
    np.save(folder / "sentences.npy", sentences)
    np.save(folder / "sentence_vectors.npy", vectors[len(windows) : len(windows) + len(sentences)])
    np.save(folder / "heading_vectors.npy", vectors[len(windows) + len(sentences) :])
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
        files={name: _fingerprint(folder / name) for name in FILES},
        built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    (folder / "manifest.json").write_text(json.dumps(dataclasses.asdict(manifest), indent=2))
    return manifest


def embed_text(passage: Section, start: int, end: int) -> str:
    """What the model reads for one window: the breadcrumb, then the window's text."""
    return " › ".join(passage.breadcrumb) + "\n" + passage.text[start:end]


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


def bm25_text(passage: Section) -> str:
    """What BM25 indexes for a passage: its heading and its text."""
    return passage.heading + "\n" + passage.text


def _guide_json(guide: Guide) -> dict[str, Any]:
    return {
        "id": guide.id,
        "title": guide.title,
        "source": guide.source,
        "sections": [dataclasses.asdict(s) for s in guide.sections],
    }


def _fingerprint(path: Path) -> dict[str, Any]:
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256()
    size = 0
    for file in files:
        data = file.read_bytes()
        size += len(data)
        digest.update(file.name.encode() + b"\0" + data)
    return {"bytes": size, "sha256": digest.hexdigest()}


# ---------------------------------------------------------------- load


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
        if not (folder / name).exists() or _fingerprint(folder / name) != expected:
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
    except Exception as exc:  # a file that hashes right but will not load is still corrupt
        raise IndexCorruptError(f"{folder} cannot be loaded ({reason(exc)}); {BUILD_HINT}") from exc
    passages = tuple(p for g in guides for p in g.passages)
    if (
        dense.ntotal != len(windows)
        or len(passages) != manifest.passages
        or len(sentences) != len(sentence_vectors)
        or len(heading_vectors) != len(passages)
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
    )


def _guide_from_json(data: dict[str, Any]) -> Guide:
    sections = tuple(Section(**{**s, "breadcrumb": tuple(s["breadcrumb"])}) for s in data["sections"])
    return Guide(data["id"], data["title"], data["source"], sections)


def _read_bm25(folder: Path) -> Any:
    # Memory-mapped, like the dense index: workers share the score matrix through the page cache.
    return bm25s().BM25.load(str(folder), mmap=True, show_progress=False, verbosity=0)


# ---------------------------------------------------------------- freshness


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
