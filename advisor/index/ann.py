"""Dense index: exact inner-product search for small corpora, an IVF index above a size threshold.

Above `AnnParams.ann_min` vectors a build writes faiss's "IVF{lists},PQ{d/4}x4fs,RFlat": an
inverted file of 4 x sqrt(n) lists (fewer for small n), scanned with 4-bit product-quantised codes
in SIMD registers (fast scan), whose best `K_FACTOR` x k candidates are then re-scored exactly
against the full vectors. Each query probes one list in `PROBE_SHARE`. `advisor bench` measures
speed and recall@10 against exact search from 10k to 1M vectors; an HNSW graph (faiss
IndexHNSWFlat, M=32) measured worse here: far slower to build (25 minutes for 1M vectors on 2
cores) and less accurate for the same query time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

PROBE_SHARE = 12  # a query scans 1/12 of the lists (chosen from the sweep that `advisor bench` reports)
K_FACTOR = 8  # candidates re-scored exactly, as a multiple of the k asked for
TRAIN_PER_LIST = 64  # training vectors per list, at most
MIN_TRAIN_PER_LIST = 39  # ... and at least (k-means is poor below, and faiss warns)
EXACT_RANGE = 50_000  # a guide filter over at most this many windows is an exact product


@dataclass(frozen=True)
class AnnParams:
    """How the dense index is built: exact below `ann_min` vectors, approximate (IVF) from there."""

    ann_min: int = 20_000


def dense_index(vectors: np.ndarray, params: AnnParams) -> Any:
    """A faiss index over unit vectors whose search returns cosine similarities."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dimension = vectors.shape[1]
    if len(vectors) < params.ann_min:
        flat = faiss.IndexFlatIP(dimension)
        flat.add(vectors)
        return flat
    lists = max(1, min(round(4 * math.sqrt(len(vectors))), len(vectors) // MIN_TRAIN_PER_LIST))
    index: Any = faiss.index_factory(
        dimension, f"IVF{lists},PQ{_subvectors(dimension)}x4fs,RFlat", faiss.METRIC_INNER_PRODUCT
    )
    sample = np.random.default_rng(0).permutation(len(vectors))[: TRAIN_PER_LIST * lists]
    index.train(vectors[np.sort(sample)])
    index.add(vectors)
    faiss.extract_index_ivf(index).nprobe = max(1, lists // PROBE_SHARE)
    index.k_factor = K_FACTOR
    return index


def _subvectors(dimension: int) -> int:
    """Product-quantiser sub-vectors: four dimensions each where the dimension allows."""
    return next(m for m in (dimension // 4, dimension // 2, dimension) if m and dimension % m == 0)


def kind(index: Any) -> str:
    """'ivf' or 'flat': what a loaded dense index is."""
    return "ivf" if hasattr(index, "k_factor") else "flat"


def write_dense(path: Path, vectors: np.ndarray, params: AnnParams) -> None:
    import faiss

    faiss.write_index(dense_index(vectors, params), str(path))


def read_dense(path: Path) -> Any:
    """The dense index, memory-mapped: its vectors stay in the page cache, shared by workers."""
    import faiss

    # IO_FLAG_MMAP alone maps only IVF lists; IO_FLAG_MMAP_IFC maps flat codes (and so the vectors).
    return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)


def search(index: Any, query: np.ndarray, k: int, *, within: tuple[int, int] | None = None) -> tuple:
    """(similarities, ids) of the k nearest vectors, only among ids in [start, end) when `within`.

    Within a range (one guide's windows, stored together): a selector on a flat index; on an IVF
    index an exact product of the range's vectors with the query when the range is small (probing a
    share of the lists could miss a small guide altogether), else the IVF search with a selector.
    """
    if within is None or within == (0, index.ntotal):
        return index.search(query, k)
    import faiss

    start, end = within
    selector = faiss.IDSelectorRange(start, end)
    params: Any
    if kind(index) == "flat":
        params = faiss.SearchParameters()
        params.sel = selector
    elif end - start <= EXACT_RANGE:
        sims = (index.reconstruct_n(start, end - start) @ query.T).T
        best = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(sims, best, axis=1), best + start
    else:
        base = faiss.SearchParametersIVF()
        base.sel = selector
        base.nprobe = faiss.extract_index_ivf(index).nprobe
        params = faiss.IndexRefineSearchParameters()
        params.k_factor = index.k_factor
        params.base_index_params = base  # (`base` and `selector` stay referenced until the search ends)
    return index.search(query, k, params=params)
