"""Faults against real server processes: a damaged, missing or mismatched index is never served; the
server stays up, says why on /readyz and in one log line; a missing or broken model names ADVISOR_MODEL."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from advisor.index.build import build_index
from advisor.index.format import BuildParams
from advisor.settings import Settings
from tests.conftest import FIXTURES, ROOT, FakeEmbedder
from tests.servers import HARDENING_PORTS, free_ports, server_process, wait_for

UVICORN = [
    "-m", "uvicorn", "--factory", "advisor.web.app:create_app",
    "--http", "advisor.web.http.serving:HttpProtocol",
]
PREFIX = "the advisor could not start: "


def good_index(folder: Path) -> tuple[Path, Path]:
    """A corpus and a current index of it whose manifest matches the default settings (model name and
    windows), so only the damage done to it can stop the server. The fake model's vectors are never
    read: every fault below is found before the model is loaded."""
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    for name in ("cooking.md", "gardening.md"):
        shutil.copy(FIXTURES / name, corpus / name)
    defaults = Settings()
    params = BuildParams(defaults.model, defaults.window_tokens, defaults.window_overlap)
    build_index(corpus, folder / "index", FakeEmbedder(), params=params)
    return corpus, folder / "index"


def flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    path.write_bytes(bytes(data))  # same size: only the content hash can tell


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def other_model(manifest: Path) -> None:
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "model": "someone/another-model"}))


@dataclass(frozen=True)
class Fault:
    name: str
    damage: Callable[[Path], None]  # given the current build folder
    code: str  # error.details on /readyz
    says: str  # in the reason
    cli: bool = False  # through `advisor serve` rather than uvicorn with the app factory


FAULTS = [
    Fault("no index", lambda build: shutil.rmtree(build.parent), "index_missing", "no index in"),
    Fault(
        "corrupted vectors",
        lambda b: flip_bytes(b / "dense.faiss"),
        "index_corrupt",
        "dense.faiss is missing or damaged",
    ),
    Fault(
        "truncated windows",
        lambda b: truncate(b / "windows.npy"),
        "index_corrupt",
        "windows.npy is missing or damaged",
    ),
    Fault(
        "deleted sentences",
        lambda b: (b / "sentences.npy").unlink(),
        "index_corrupt",
        "sentences.npy is missing",
    ),
    Fault("deleted bm25", lambda b: shutil.rmtree(b / "bm25"), "index_corrupt", "bm25 is missing or damaged"),
    Fault(
        "truncated manifest",
        lambda b: truncate(b / "manifest.json"),
        "index_corrupt",
        "manifest.json is unreadable",
    ),
    Fault(
        "another model", lambda b: other_model(b / "manifest.json"), "index_stale", "'someone/another-model'"
    ),
    Fault(
        "advisor serve, corrupted",
        lambda b: flip_bytes(b / "bm25" / "params.index.json"),
        "index_corrupt",
        "bm25 is missing or damaged",
        cli=True,
    ),
]


def env_for(corpus: Path, index: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ADVISOR_CORPUS_DIR": str(corpus),
        "ADVISOR_INDEX_DIR": str(index),
        "ADVISOR_RELOAD_INTERVAL": "0.5",
        "HF_HUB_OFFLINE": "1",
    }


def test_a_damaged_index_is_never_served_and_the_server_says_why(tmp_path: Path) -> None:
    """Every fault at once, each on its own server process (they start in parallel)."""
    ports = free_ports(len(FAULTS), HARDENING_PORTS)
    with contextlib.ExitStack() as servers:
        started = []
        for fault, port in zip(FAULTS, ports, strict=True):
            corpus, index = good_index(tmp_path / fault.name.replace(" ", "-").replace(",", ""))
            fault.damage((index / "current").resolve())
            argv = (
                ["-m", "advisor.cli", "serve", "--port", str(port)]
                if fault.cli
                else [*UVICORN, "--port", str(port)]
            )
            log = tmp_path / f"{port}.log"
            servers.enter_context(
                server_process([sys.executable, *argv], env=env_for(corpus, index), port=port, log=log)
            )
            started.append((fault, f"http://127.0.0.1:{port}", log))
        for fault, url, _ in started:
            check_refusal(fault, url)
    for fault, _, log in started:  # the servers have stopped: their logs are complete
        lines = log.read_text().splitlines()
        reasons = [line for line in lines if "cannot serve" in line]
        assert len(reasons) == 1, (fault.name, lines)
        assert reasons[0].startswith("advisor: cannot serve: ") and fault.says in reasons[0]
        assert "Traceback" not in log.read_text()


def check_refusal(fault: Fault, url: str) -> None:
    def failed() -> bool:
        return PREFIX in httpx.get(url + "/readyz", timeout=5).text

    wait_for(failed, what=f"a start-up failure on /readyz ({fault.name})", timeout=60)
    ready = httpx.get(url + "/readyz", timeout=5)
    error = ready.json()["error"]
    assert ready.status_code == 503 and error["code"] == "not_ready" and error["details"] == fault.code, (
        fault.name
    )
    assert fault.says in error["message"] and "\n" not in error["message"], error["message"]
    for res in (
        httpx.get(url + "/api/v1/ask", params={"q": "how to boil pasta"}, timeout=5),
        httpx.post(url + "/api/v1/ask", json={"question": "how to boil pasta"}, timeout=5),
        httpx.get(url + "/api/v1/guides", timeout=5),
    ):
        assert res.status_code == 503 and res.json()["error"] == error, fault.name  # never an answer
    page = httpx.get(url + "/?q=pasta", headers={"accept": "text/html"}, timeout=5)
    assert page.status_code == 503 and "Please try again" in page.text
    assert httpx.get(url + "/healthz", timeout=5).status_code == 200  # up, and saying why it is not ready


# ---------------------------------------------------------------- the model, through the CLI


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )


def model_env(tmp_path: Path, model: str) -> dict[str, str]:
    """An index built (with the fake model) for `model`, and settings that name it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "cooking.md", corpus / "cooking.md")
    build_index(corpus, tmp_path / "index", FakeEmbedder(), params=BuildParams(model, 200, 50))
    return {**env_for(corpus, tmp_path / "index"), "ADVISOR_MODEL": model}


def assert_names_the_setting(result: subprocess.CompletedProcess[str], model: str, says: str) -> None:
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line: no traceback, no library noise
    assert lines[0].startswith(f"advisor: error: cannot load the embedding model {model!r}")
    assert says in lines[0] and "Set ADVISOR_MODEL" in lines[0]


def test_a_model_package_that_is_not_installed_names_the_setting(tmp_path: Path) -> None:
    model = "career_model_not_installed"
    result = run_cli("ask", "how do I boil pasta", env=model_env(tmp_path, model))
    assert_names_the_setting(result, model, "no installed package of that name")


@pytest.mark.slow
def test_a_model_folder_that_cannot_load_names_the_setting(tmp_path: Path) -> None:
    folder = tmp_path / "broken-model"
    folder.mkdir()
    (folder / "modules.json").write_text("[]")
    (folder / "config.json").write_text("{not json")
    result = run_cli("ask", "how do I boil pasta", env=model_env(tmp_path, str(folder)))
    assert_names_the_setting(result, str(folder), "ValueError")
