"""Runtime: the core objects built from settings, for the CLI and the app factory only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.answer import Advisor
from advisor.embed import SentenceEmbedder
from advisor.errors import BadIndexError, IndexMissingError, IndexStaleError
from advisor.index import (
    BuildParams,
    Manifest,
    build_index,
    build_index_of,
    check_fresh,
    load_index,
    read_manifest,
)
from advisor.settings import Settings

if TYPE_CHECKING:
    from advisor.beir import BeirDataset


def build_params(settings: Settings) -> BuildParams:
    return BuildParams(settings.model, settings.window_tokens, settings.window_overlap)


def build(settings: Settings, progress: Callable[[int, int], None] | None = None) -> Manifest:
    """Build the index of the corpus and make it current."""
    embedder = SentenceEmbedder(settings.model, device=settings.device)
    return build_index(
        settings.corpus_dir, settings.index_dir, embedder, params=build_params(settings), progress=progress
    )


def index_state(settings: Settings) -> str:
    """'current', or why the index must be (re)built."""
    try:
        check_fresh(settings.index_dir, corpus_dir=settings.corpus_dir, params=build_params(settings))
    except (IndexMissingError, IndexStaleError) as exc:
        return exc.message
    return "current"


def open_advisor(settings: Settings) -> Advisor:
    """The advisor over the current index, refusing an index that no longer matches the corpus."""
    if settings.corpus_dir.is_dir():
        check_fresh(settings.index_dir, corpus_dir=settings.corpus_dir, params=build_params(settings))
    index = load_index(settings.index_dir)
    embedder = SentenceEmbedder(index.manifest.model, device=settings.device, threads=settings.torch_threads)
    return Advisor(
        index,
        embedder,
        default_k=settings.default_k,
        max_k=settings.max_k,
        max_question_chars=settings.max_question_chars,
        candidates=settings.candidates,
        rrf_k=settings.rrf_k,
        fusion=settings.fusion,
    )


def beir_advisor(
    settings: Settings,
    dataset: BeirDataset,
    index_dir: Path,
    *,
    max_k: int,
    progress: Callable[[int, int], None] | None = None,
) -> Advisor:
    """An advisor over a benchmark's documents, indexed in `index_dir` unless already indexed there.

    Documents are embedded whole (title, then abstract), cut by the model at its limit: the
    setup behind published BEIR figures, so that ours can be checked against them.
    """
    params = BuildParams(settings.model, 0, 0)
    embedder = SentenceEmbedder(settings.model, device=settings.device, threads=settings.torch_threads)
    try:
        manifest = read_manifest(index_dir)
        current = manifest.corpus_hash == dataset.digest and manifest.params == params
    except BadIndexError:
        current = False
    if not current:
        build_index_of(
            (dataset.guide,), dataset.digest, index_dir, embedder, params=params, progress=progress
        )
    return Advisor(
        load_index(index_dir),
        embedder,
        max_k=max_k,
        max_question_chars=100_000,  # benchmark queries are what they are
        candidates=settings.candidates,
        rrf_k=settings.rrf_k,
        fusion=settings.fusion,
    )
