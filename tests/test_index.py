import json
import os
from pathlib import Path

import pytest

from advisor.errors import CorpusError, IndexCorruptError, IndexMissingError, IndexStaleError
from advisor.index.build import build_index
from advisor.index.format import FORMAT_VERSION, BuildParams
from advisor.index.load import check_fresh, load_index, read_manifest
from tests.conftest import FAKE_PARAMS, FakeEmbedder


def test_build_writes_a_versioned_folder_with_manifest(tiny_index: Path) -> None:
    current = tiny_index / "current"
    assert current.is_symlink()
    names = {p.name for p in current.resolve().iterdir()}
    assert {"manifest.json", "guides.json", "windows.npy", "dense.faiss", "bm25"} <= names
    manifest = json.loads((current / "manifest.json").read_text())
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["model"] == "fake" and manifest["dimension"] == 64
    assert len(manifest["corpus_hash"]) == 64
    assert {"faiss-cpu", "bm25s", "sentence-transformers"} <= set(manifest["libraries"])
    assert manifest["passages"] == 11


def test_long_sections_become_several_windows_citing_one_passage(tiny_index: Path) -> None:
    index = load_index(tiny_index)
    assert index.manifest.windows > index.manifest.passages  # FAKE_PARAMS windows are 40 words
    per_passage = {int(n) for n in index.windows[:, 0]}
    assert per_passage == set(range(len(index.passages)))


def test_load_refuses_a_missing_index_and_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="advisor build"):
        load_index(tmp_path / "nothing")


def test_stale_when_corpus_or_model_or_windows_change(tiny_corpus: Path, tiny_index: Path) -> None:
    check_fresh(tiny_index, corpus_dir=tiny_corpus, params=FAKE_PARAMS)
    with pytest.raises(IndexStaleError, match="model"):
        check_fresh(tiny_index, corpus_dir=tiny_corpus, params=BuildParams("other", 12, 4))
    with pytest.raises(IndexStaleError, match="window_tokens"):
        check_fresh(tiny_index, corpus_dir=tiny_corpus, params=BuildParams("fake", 99, 4))
    (tiny_corpus / "cooking.md").write_text("# Cooking\n\nNew text.\n")
    with pytest.raises(IndexStaleError, match=r"guides .* changed"):
        check_fresh(tiny_index, corpus_dir=tiny_corpus, params=FAKE_PARAMS)


def test_failed_build_leaves_previous_index_in_place(tiny_corpus: Path, tiny_index: Path) -> None:
    before = read_manifest(tiny_index)
    (tiny_corpus / "broken.md").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(CorpusError, match=r"broken\.md"):
        build_index(tiny_corpus, tiny_index, FakeEmbedder(), params=FAKE_PARAMS)
    assert read_manifest(tiny_index) == before
    assert load_index(tiny_index).version == before.version


def test_build_that_dies_while_embedding_leaves_previous_index(tiny_corpus: Path, tiny_index: Path) -> None:
    class Dying(FakeEmbedder):
        def encode(self, texts):  # type: ignore[no-untyped-def]
            raise RuntimeError("killed")

    before = read_manifest(tiny_index).version
    (tiny_corpus / "extra.md").write_text("# Extra\n\nMore text.\n")
    with pytest.raises(RuntimeError):
        build_index(tiny_corpus, tiny_index, Dying(), params=FAKE_PARAMS)
    assert load_index(tiny_index).version == before
    assert not list(tiny_index.glob(".tmp-*"))


def test_rebuild_swaps_current_and_keeps_one_previous(tiny_corpus: Path, tiny_index: Path) -> None:
    first = os.readlink(tiny_index / "current")
    for n in range(3):
        (tiny_corpus / "extra.md").write_text(f"# Extra {n}\n\nMore text {n}.\n")
        build_index(tiny_corpus, tiny_index, FakeEmbedder(), params=FAKE_PARAMS)
    builds = [
        p for p in tiny_index.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
    ]
    assert len(builds) == 2
    assert os.readlink(tiny_index / "current") != first
    assert load_index(tiny_index).manifest.passages == 12


@pytest.mark.parametrize("victim", ["dense.faiss", "guides.json", "windows.npy"])
def test_damaged_files_are_refused(tiny_index: Path, victim: str) -> None:
    path = tiny_index / "current" / victim
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(IndexCorruptError, match=victim):
        load_index(tiny_index)


def test_unreadable_manifest_is_refused(tiny_index: Path) -> None:
    (tiny_index / "current" / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorruptError, match="manifest"):
        load_index(tiny_index)


def test_a_build_folder_can_be_loaded_directly(tiny_index: Path) -> None:
    folder = (tiny_index / "current").resolve()
    assert load_index(folder).version == load_index(tiny_index).version
