"""Runtime: the core objects built from settings, for the CLI and the app factory only."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.answer.advisor import Advisor
from advisor.errors import BadIndexError, IndexMissingError, IndexStaleError, StoreError
from advisor.index.ann import AnnParams
from advisor.index.build import build_index, build_index_of
from advisor.index.embed import Embedder, SentenceEmbedder
from advisor.index.format import BuildParams, Index, Manifest
from advisor.index.load import check_fresh, load_index, read_manifest
from advisor.settings import Settings

if TYPE_CHECKING:  # the insights store (SQLAlchemy) loads only for the commands that record or read it
    from advisor.evals.beir import BeirDataset
    from advisor.evals.suites import Suite
    from advisor.insights.recorder import Recorder
    from advisor.insights.store import Store


def build_params(settings: Settings) -> BuildParams:
    return BuildParams(settings.model, settings.window_tokens, settings.window_overlap, settings.encoder)


def build(settings: Settings, progress: Callable[[int, int], None] | None = None) -> Manifest:
    """Build the index of the corpus and make it current."""
    embedder = SentenceEmbedder(settings.model, device=settings.device)
    return build_index(
        settings.corpus_dir,
        settings.index_dir,
        embedder,
        params=build_params(settings),
        progress=progress,
        ann=AnnParams(ann_min=settings.ann_min_windows),
    )


def index_state(settings: Settings) -> str:
    """'current', or why the index must be (re)built."""
    try:
        check_fresh(settings.index_dir, corpus_dir=settings.corpus_dir, params=build_params(settings))
    except (IndexMissingError, IndexStaleError) as exc:
        return exc.message
    return "current"


def open_advisor(settings: Settings, *, embedder: Embedder | None = None) -> Advisor:
    """The advisor over the current index, refusing an index that no longer matches the corpus.

    `embedder` is reused when given (a reload keeps the model it already has).
    """
    if settings.corpus_dir.is_dir():
        check_fresh(settings.index_dir, corpus_dir=settings.corpus_dir, params=build_params(settings))
    index = load_index(settings.index_dir)
    threads = query_threads(settings)
    if embedder is None or not _same_model(embedder, index.manifest):
        embedder = _query_embedder(index, settings, threads)
    import faiss

    faiss.omp_set_num_threads(threads)
    return Advisor(index, embedder, settings)


def _same_model(embedder: Embedder, manifest: Manifest) -> bool:
    sha = getattr(embedder, "model_sha256", None)  # an OnnxEncoder's file; None for torch
    return embedder.model_id == manifest.model and sha == manifest.encoder_sha256


def _query_embedder(index: Index, settings: Settings, threads: int) -> Embedder:
    """The encoder the index was built for: its ONNX export (hash-checked; torch never imported) or torch."""
    if index.manifest.encoder == "onnx":
        from advisor.index.onnx import ENCODER_DIR, OnnxEncoder

        return OnnxEncoder(
            index.path / ENCODER_DIR,
            model_id=index.manifest.model,
            threads=threads,
            model_sha256=index.manifest.encoder_sha256,
        )
    return SentenceEmbedder(index.manifest.model, device=settings.device, threads=threads)


def query_threads(settings: Settings) -> int:
    """Threads for one query: the setting, or the cores shared out among the workers."""
    return settings.torch_threads or max(1, len(os.sched_getaffinity(0)) // max(1, settings.workers))


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
            (dataset.guide,),
            dataset.digest,
            index_dir,
            embedder,
            params=params,
            progress=progress,
            highlights=False,
            ann=AnnParams(ann_min=settings.ann_min_windows),
        )
    benchmark = {
        "max_k": max_k,
        "max_question_chars": 100_000,  # benchmark queries are what they are
        "cache_size": 0,  # every benchmark query is asked once per mode
    }
    return Advisor(load_index(index_dir), embedder, settings.model_copy(update=benchmark))


def open_store(settings: Settings) -> Store:
    """The insights store the settings name (not created yet: the recorder creates it on start)."""
    from advisor.insights.store import Store, database_url

    url = settings.insights_database_url.get_secret_value() if settings.insights_database_url else None
    return Store(database_url(url, settings.data_dir))


def open_recorder(settings: Settings) -> Recorder | None:
    """A started recorder, or None when recording is switched off."""
    if not settings.insights_enabled:
        return None
    try:
        store = open_store(settings)
    except StoreError as exc:  # a bad URL must not keep the advisor from answering
        logging.getLogger("advisor.insights").warning("insights: recording is off: %s", exc.message)
        return None
    from advisor.insights.recorder import Recorder

    recorder = Recorder(
        store,
        retention_days=settings.insights_retention_days,
        event_window_s=settings.insights_event_window_minutes * 60,
        queue_size=settings.insights_queue_size,
    )
    recorder.start()
    return recorder


def suite_advisor(
    settings: Settings, suite: Suite, *, max_k: int, progress: Callable[[int, int], None] | None = None
) -> Advisor:
    """An advisor over an eval suite's guides, indexed under `index_dir/.suites/<name>` (built when
    missing or stale), the settings otherwise as given."""
    from advisor.evals.suites import suite_corpus

    root = settings.index_dir / ".suites" / suite.name
    chosen = settings.model_copy(
        update={
            "corpus_dir": suite_corpus(suite, root / "corpus"),
            "index_dir": root / "index",
            "max_k": max(settings.max_k, max_k),
            "cache_size": 0,  # every question is asked once per mode
            "insights_enabled": False,
        }
    )
    if index_state(chosen) != "current":
        build(chosen, progress)
    return open_advisor(chosen)
