"""Benchmark at scale: dense (synthetic vectors) and BM25 (synthetic text) indexes of 10k to 1M passages.

Each size is built in one fresh process and searched in another, so that build memory does not count
as serving memory. Vectors are drawn from a Gaussian fitted to the real embeddings of the guide (and
of SciFact, when the run built it), made unit length; queries are drawn the same way. Synthetic
passages are bags of terms drawn from the real corpus's term frequencies, with its passage lengths.
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from advisor.bench.measure import percentiles, proc_status
from advisor.index.ann import AnnParams, dense_index, kind, read_dense, search, write_dense
from advisor.language import terms as lexical

QUERIES = 200
RECALL_AT = 10


@dataclass(frozen=True)
class Vocabulary:
    """What synthetic passages are drawn from: terms, their corpus frequencies, passage lengths."""

    terms: list[str]
    counts: np.ndarray
    lengths: np.ndarray


@dataclass(frozen=True)
class VectorModel:
    """A Gaussian with the mean and covariance of real embeddings, whose samples are made unit length.

    It keeps what makes real embeddings easy or hard to search (they fill a few dozen dominant
    directions, not all 384), where independent random directions would make every neighbour
    equally far and recall@10 a lottery.
    """

    mean: np.ndarray
    factor: np.ndarray  # covariance = factor @ factor.T

    @classmethod
    def fit(cls, real: np.ndarray) -> VectorModel:
        real = np.asarray(real, np.float64)
        values, vectors = np.linalg.eigh(np.cov(real, rowvar=False))
        factor = vectors * np.sqrt(np.clip(values, 0.0, None))
        return cls(real.mean(axis=0).astype(np.float32), factor.astype(np.float32))

    @property
    def dimension(self) -> int:
        return len(self.mean)

    def effective_dimension(self) -> float:
        """Participation ratio of the covariance's eigenvalues: how many directions carry the spread."""
        values = (self.factor**2).sum(axis=0)
        return float(values.sum() ** 2 / (values**2).sum())

    def sample(self, n: int, seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        out = np.empty((n, self.dimension), np.float32)
        for start in range(0, n, 50_000):
            m = min(50_000, n - start)
            x = self.mean + rng.standard_normal((m, self.dimension), dtype=np.float32) @ self.factor.T
            out[start : start + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
        return out


def _synthetic_passages(n: int, vocab: Vocabulary, seed: int) -> list[list[int]]:
    rng = np.random.default_rng(seed)
    p = vocab.counts / vocab.counts.sum()
    lengths = rng.choice(vocab.lengths, size=n)
    ids = rng.choice(len(vocab.terms), size=int(lengths.sum()), p=p).astype(np.int32)
    return [chunk.tolist() for chunk in np.split(ids, np.cumsum(lengths)[:-1])]


def build_point(
    n: int, folder: Path, vocab: Vocabulary, model: VectorModel, ann: AnnParams
) -> dict[str, Any]:
    """In a fresh process: generate, build and write the dense and BM25 indexes of n passages."""
    import faiss

    bm25s = lexical.bm25s()
    vectors = model.sample(n, seed=n)
    started = time.perf_counter()
    dense = dense_index(vectors, ann)
    dense_seconds = time.perf_counter() - started
    faiss.write_index(dense, str(folder / "dense.faiss"))
    if kind(dense) != "flat":  # the exact index: ground truth, and flat search times at this size
        write_dense(folder / "exact.faiss", vectors, AnnParams(ann_min=n + 1))
    del dense, vectors
    np.save(folder / "queries.npy", model.sample(QUERIES, seed=n + 1))
    passages = _synthetic_passages(n, vocab, seed=n + 2)
    started = time.perf_counter()
    bm25 = bm25s.BM25()
    vocab_ids = {term: i for i, term in enumerate(vocab.terms)}
    bm25.index(bm25s.tokenization.Tokenized(ids=passages, vocab=vocab_ids), show_progress=False)
    bm25_seconds = time.perf_counter() - started
    bm25.save(str(folder / "bm25"), show_progress=False)
    return {
        "passages": n,
        "dense_kind": kind(read_dense(folder / "dense.faiss")),
        "dense_build_seconds": dense_seconds,
        "bm25_build_seconds": bm25_seconds,
        "dense_bytes": (folder / "dense.faiss").stat().st_size,
        "bm25_bytes": sum(f.stat().st_size for f in (folder / "bm25").iterdir()),
        "build_peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def search_point(folder: Path, questions: list[list[str]], candidates: int) -> dict[str, Any]:
    """In a fresh process: load the indexes as the server does and time the queries it runs."""
    import faiss

    from advisor.search.retrieve import top_positive

    bm25s = lexical.bm25s()

    faiss.omp_set_num_threads(1)  # as one worker on a shared machine
    dense = read_dense(folder / "dense.faiss")
    bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=True)
    queries = np.load(folder / "queries.npy")
    want = 3 * candidates  # windows the retriever asks for
    # Two passes: the first pays for reading the memory-mapped files from disk (what a freshly
    # started or long-idle server sees), the second is the steady state the targets are about.
    cold: list[float] = []
    dense_times: list[float] = []
    found: list[np.ndarray] = []
    for times in (cold, dense_times):
        found.clear()
        for row in queries:
            started = time.perf_counter()
            _, ids = search(dense, row[None, :], want)
            times.append(time.perf_counter() - started)
            found.append(ids[0][:RECALL_AT])
    bm25_cold: list[float] = []
    bm25_times: list[float] = []
    for times in (bm25_cold, bm25_times):
        for terms in questions:
            started = time.perf_counter()
            top_positive(np.asarray(bm25.get_scores(terms)), candidates)
            times.append(time.perf_counter() - started)
    serving_rss = proc_status_self()
    exact = dense if kind(dense) == "flat" else read_dense(folder / "exact.faiss")
    _, truth = exact.search(queries, RECALL_AT)
    recall = _recall(found, truth)
    flat_times = []
    for row in queries[:30]:
        started = time.perf_counter()
        exact.search(row[None, :], want)
        flat_times.append(time.perf_counter() - started)
    return {
        "dense": percentiles(dense_times),
        "dense_first_pass": percentiles(cold),
        "bm25_first_pass": percentiles(bm25_cold),
        "flat": percentiles(flat_times),
        "bm25": percentiles(bm25_times),
        f"recall_at_{RECALL_AT}": recall,
        "serving_rss_bytes": serving_rss["peak"],
        "serving_anon_rss_bytes": serving_rss["anon"],
        "probe_sweep": _probe_sweep(dense, queries, truth, want) if kind(dense) == "ivf" else [],
    }


def _recall(found: list[np.ndarray], truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / RECALL_AT for f, t in zip(found, truth, strict=True)]))


def _probe_sweep(dense: Any, queries: np.ndarray, truth: np.ndarray, want: int) -> list[dict[str, Any]]:
    """Speed against recall@10 for other shares of the lists probed (the default is 1/PROBE_SHARE)."""
    import faiss

    ivf = faiss.extract_index_ivf(dense)
    default = ivf.nprobe
    out = []
    for share in (64, 32, 16, 8, 4):
        ivf.nprobe = max(1, ivf.nlist // share)
        times, found = [], []
        for row in queries:
            started = time.perf_counter()
            _, ids = search(dense, row[None, :], want)
            times.append(time.perf_counter() - started)
            found.append(ids[0][:RECALL_AT])
        recall = _recall(found, truth)
        out.append({"share": share, "nprobe": ivf.nprobe, **percentiles(times), "recall": recall})
    ivf.nprobe = default
    return out


def proc_status_self() -> dict[str, int]:
    import os

    return {"peak": proc_status(os.getpid(), "VmHWM"), "anon": proc_status(os.getpid(), "RssAnon")}


def scale_curve(
    sizes: list[int],
    vocab: Vocabulary,
    model: VectorModel,
    questions: list[list[str]],
    *,
    ann: AnnParams,
    candidates: int,
    progress: Any = print,
) -> list[dict[str, Any]]:
    """Build and search each size in fresh processes; the files go to a temporary folder."""
    points = []
    spawn = get_context("spawn")
    for n in sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"advisor-scale-{n}-"))
        try:
            progress(f"scale: building {n:,} passages")
            with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                built = pool.submit(build_point, n, folder, vocab, model, ann).result()
            progress(f"scale: searching {n:,} passages")
            with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                searched = pool.submit(search_point, folder, questions, candidates).result()
            points.append({**built, **searched})
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return points
