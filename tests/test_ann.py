from pathlib import Path

import numpy as np
import pytest

from advisor.index.ann import AnnParams, dense_index, kind, read_dense, search, write_dense


def unit_rows(n: int, seed: int = 7, topics: int = 40) -> np.ndarray:
    """Unit vectors around a few topic centres, as embeddings of a corpus cluster by subject."""
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(1).standard_normal((topics, 64)).astype(np.float32)
    x = centres[rng.integers(0, topics, n)] + 0.7 * rng.standard_normal((n, 64)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_small_corpora_get_exact_search_large_ones_ivf() -> None:
    vectors = unit_rows(3000)
    assert kind(dense_index(vectors, AnnParams(ann_min=3001))) == "flat"
    assert kind(dense_index(vectors, AnnParams(ann_min=3000))) == "ivf"


def test_ivf_finds_what_exact_search_finds(tmp_path: Path) -> None:
    vectors, queries = unit_rows(5000), unit_rows(50, seed=8)
    write_dense(tmp_path / "ivf.faiss", vectors, AnnParams(ann_min=1))
    write_dense(tmp_path / "flat.faiss", vectors, AnnParams(ann_min=10**9))
    _, approx = search(read_dense(tmp_path / "ivf.faiss"), queries, 10)
    sims, exact = search(read_dense(tmp_path / "flat.faiss"), queries, 10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
    assert recall >= 0.9
    assert np.allclose(sims[:, 0], np.einsum("ij,ij->i", queries, vectors[exact[:, 0]]), atol=1e-5)


@pytest.mark.parametrize("ann_min", [1, 10**9])
def test_search_within_a_range_is_exact_and_only_returns_ids_in_it(tmp_path: Path, ann_min: int) -> None:
    vectors = unit_rows(4000)
    write_dense(tmp_path / "dense.faiss", vectors, AnnParams(ann_min=ann_min))
    index = read_dense(tmp_path / "dense.faiss")
    sims, ids = search(index, vectors[:5], 20, within=(500, 800))
    assert ids.min() >= 500 and ids.max() < 800
    truth = np.argsort(-(vectors[500:800] @ vectors[:5].T).T, axis=1, kind="stable")[:, :20] + 500
    assert (ids == truth).all()
    assert np.allclose(sims, np.take_along_axis(vectors[:5] @ vectors.T, ids, axis=1), atol=1e-5)
    _, ids = search(index, vectors[600:601], 1, within=(500, 800))
    assert ids[0][0] == 600  # a vector inside the range finds itself


@pytest.mark.parametrize("ann_min", [1, 10**9])
def test_the_dense_index_is_memory_mapped_not_copied(tmp_path: Path, ann_min: int) -> None:
    path = tmp_path / f"dense-{ann_min}.faiss"
    write_dense(path, unit_rows(3000), AnnParams(ann_min=ann_min))
    index = read_dense(path)
    maps = Path("/proc/self/maps").read_text()
    assert str(path) in maps, "workers share the index only if it is mapped from the file"
    assert index.ntotal == 3000


def test_a_large_range_on_an_ivf_index_is_searched_with_a_selector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import advisor.index.ann

    vectors = unit_rows(4000)
    write_dense(tmp_path / "dense.faiss", vectors, AnnParams(ann_min=1))
    index = read_dense(tmp_path / "dense.faiss")
    monkeypatch.setattr(advisor.index.ann, "EXACT_RANGE", 100)  # 300 windows count as large here
    _, ids = search(index, vectors[:5], 20, within=(500, 800))
    found = ids[ids >= 0]
    assert len(found) and found.min() >= 500 and found.max() < 800
    _, ids = search(index, vectors[600:601], 1, within=(500, 800))
    assert ids[0][0] == 600
    _, whole = search(index, vectors[:5], 10, within=(0, 4000))  # the whole index: no filter at all
    assert (whole == search(index, vectors[:5], 10)[1]).all()
