"""Serving a new index without a restart, and never a broken one."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from advisor import runtime
from advisor.answer.advisor import Advisor
from advisor.index.build import build_index
from advisor.index.load import load_index, read_manifest
from advisor.settings import Settings
from advisor.web.app import create_app
from advisor.web.reloader import IndexWatcher
from tests.conftest import FAKE_PARAMS, ROOT, FakeEmbedder
from tests.servers import HARDENING_PORTS, free_ports, serve_app, server_process, wait_for


def watcher_for(index_dir: Path, served: list[Advisor]) -> IndexWatcher:
    return IndexWatcher(
        index_dir,
        load=lambda: Advisor(load_index(index_dir), FakeEmbedder()),
        swap=served.append,
        interval=0,
    )


def test_a_new_build_is_swapped_in_and_a_broken_one_is_not(tiny_corpus: Path, tiny_index: Path) -> None:
    served: list[Advisor] = []
    watcher = watcher_for(tiny_index, served)
    first = read_manifest(tiny_index).version
    assert watcher.check() is False  # nothing new yet
    (tiny_corpus / "extra.md").write_text("# Extra\n\nSourdough starters need flour and water.\n")
    build_index(tiny_corpus, tiny_index, FakeEmbedder(), params=FAKE_PARAMS)
    assert watcher.check() is True
    assert served[-1].index.version != first
    assert served[-1].ask("sourdough starter").results[0].section.guide == "extra"
    (tiny_corpus / "extra.md").write_text("# Extra\n\nChanged again.\n")
    build_index(tiny_corpus, tiny_index, FakeEmbedder(), params=FAKE_PARAMS)
    (tiny_index / "current" / "dense.faiss").write_bytes(b"broken")
    assert watcher.check() is False
    assert len(served) == 1  # the damaged build was never served


SLOW_BUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from advisor.index.build import build_index
    from tests.conftest import FAKE_PARAMS, FakeEmbedder

    class Slow(FakeEmbedder):
        def encode(self, texts):
            print("embedding", flush=True)
            time.sleep(0.2)
            return super().encode(texts)

    build_index(Path(sys.argv[1]), Path(sys.argv[2]), Slow(), params=FAKE_PARAMS)
    """
)


def test_a_build_killed_half_way_leaves_the_previous_index(tiny_corpus: Path, tiny_index: Path) -> None:
    before = read_manifest(tiny_index).version
    for n in range(200):  # enough windows that the build takes a few seconds
        (tiny_corpus / f"extra{n}.md").write_text(f"# Extra {n}\n\nSome words about topic {n}.\n")
    script = SLOW_BUILD.format(root=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(tiny_corpus), str(tiny_index)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "embedding"
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert list(tiny_index.glob(".tmp-*")), "the killed build had started writing"
    assert load_index(tiny_index).version == before
    build_index(tiny_corpus, tiny_index, FakeEmbedder(), params=FAKE_PARAMS)  # the next build cleans up
    assert not list(tiny_index.glob(".tmp-*"))
    assert load_index(tiny_index).manifest.passages > 200


# ---------------------------------------------------------------- the real server, under load


@contextmanager
def live(monkeypatch: pytest.MonkeyPatch, corpus: Path, index: Path) -> Iterator[str]:
    """The app as `advisor serve` runs it (background start-up, index watcher every 0.2 s) on a real
    uvicorn server, the fake model standing in for the real one."""
    monkeypatch.setattr(runtime, "SentenceEmbedder", lambda *a, **k: FakeEmbedder())
    settings = Settings(
        corpus_dir=corpus,
        index_dir=index,
        model=FAKE_PARAMS.model,
        window_tokens=FAKE_PARAMS.window_tokens,
        window_overlap=FAKE_PARAMS.window_overlap,
        reload_interval=0.2,
        insights_enabled=False,  # answers then carry ETags, whose versions these tests check
    )
    with serve_app(create_app(settings), free_ports(1, HARDENING_PORTS)[0]) as url:
        yield url


@dataclass(frozen=True)
class Reply:
    worker: int
    started: float
    ended: float
    status: int
    version: str
    top_guide: str
    etag: str


def ask_until(url: str, stop: threading.Event, worker: int, replies: list[Reply]) -> None:
    with httpx.Client(base_url=url, timeout=10) as client:
        while not stop.is_set():
            started = time.monotonic()
            res = client.get("/api/v1/ask", params={"q": "sourdough starter flour", "k": 3})
            body = res.json() if res.status_code == 200 else {"index": {"version": ""}, "results": []}
            top = body["results"][0]["guide"] if body["results"] else ""
            version, etag = body["index"]["version"], res.headers.get("etag", "")
            replies.append(Reply(worker, started, time.monotonic(), res.status_code, version, top, etag))


def test_a_new_index_is_swapped_in_under_load_without_a_failed_or_mixed_answer(
    monkeypatch: pytest.MonkeyPatch, tiny_corpus: Path, tiny_index: Path
) -> None:
    with live(monkeypatch, tiny_corpus, tiny_index) as url:
        replies, old, new, broken = reload_under_load(url, tiny_corpus, tiny_index)
    assert len(replies) > 50 and broken not in {r.version for r in replies}
    assert_one_clean_switch(replies, old, new)


def assert_one_clean_switch(replies: list[Reply], old: str, new: str) -> None:
    """Zero failed requests; every answer from exactly one index; one switch, from old to new."""
    assert {r.status for r in replies} == {200}
    assert {r.version for r in replies} == {old, new}
    for r in replies:  # no mixed answers: each names its index, its content and ETag come from that index
        assert (r.top_guide == "extra") == (r.version == new), r
        assert r.etag.startswith(f'"{r.version}-') or r.etag == "", r  # none while a swap is under way
    assert sum(r.etag == "" for r in replies) <= len(workers_of(replies))
    switched = min(r.ended for r in replies if r.version == new)
    assert all(r.version == new for r in replies if r.started > switched)
    for n in workers_of(replies):  # and each client saw the switch once
        seen = [r.version for r in replies if r.worker == n]
        assert seen == sorted(seen, key=lambda v: v == new)


def workers_of(replies: list[Reply]) -> set[int]:
    return {r.worker for r in replies}


def reload_under_load(url: str, corpus: Path, index: Path) -> tuple[list[Reply], str, str, str]:
    """Six clients ask without pause while a new build lands, then a build damaged after it was made."""
    wait_for(lambda: httpx.get(url + "/readyz").status_code == 200, what="ready", timeout=30)
    old = read_manifest(index).version
    replies: list[Reply] = []
    stop = threading.Event()
    workers = [threading.Thread(target=ask_until, args=(url, stop, n, replies)) for n in range(6)]
    for worker in workers:
        worker.start()
    try:
        time.sleep(0.5)
        (corpus / "extra.md").write_text("# Extra\n\nA sourdough starter needs flour and water daily.\n")
        new = build_index(corpus, index, FakeEmbedder(), params=FAKE_PARAMS).version
        wait_for(lambda: any(r.version == new for r in replies), what="the new index", timeout=10)
        time.sleep(0.5)
        (corpus / "extra.md").write_text("# Extra\n\nChanged once more.\n")
        broken = build_index(corpus, index, FakeEmbedder(), params=FAKE_PARAMS).version
        (index / "current" / "dense.faiss").write_bytes(b"damaged after the build")
        time.sleep(1.0)  # five checks of the watcher
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=30)
    return replies, old, new, broken


def test_a_server_started_on_a_damaged_index_serves_once_a_good_build_lands(
    monkeypatch: pytest.MonkeyPatch, tiny_corpus: Path, tiny_index: Path
) -> None:
    (tiny_index / "current" / "windows.npy").write_bytes(b"damaged")
    with live(monkeypatch, tiny_corpus, tiny_index) as url:
        wait_for(lambda: "could not start" in httpx.get(url + "/readyz").text, what="the failure", timeout=30)
        assert "windows.npy is missing or damaged" in httpx.get(url + "/readyz").json()["error"]["message"]
        assert httpx.get(url + "/api/v1/ask", params={"q": "pasta"}).status_code == 503
        (tiny_corpus / "extra.md").write_text("# Extra\n\nSourdough.\n")
        new = build_index(tiny_corpus, tiny_index, FakeEmbedder(), params=FAKE_PARAMS).version
        wait_for(lambda: httpx.get(url + "/readyz").status_code == 200, what="ready", timeout=30)
        assert httpx.get(url + "/api/v1/ask", params={"q": "pasta"}).json()["index"]["version"] == new


@pytest.mark.slow
@pytest.mark.model
def test_advisor_serve_reloads_on_sighup_under_load_with_the_real_model(
    tmp_path: Path, tiny_corpus: Path
) -> None:
    """The whole path a user has: `advisor build`, `advisor serve`, a new `advisor build` while clients
    ask, then SIGHUP (polling is off): the real model, the real server, no failed or mixed answer."""
    env = {
        **os.environ,
        "ADVISOR_CORPUS_DIR": str(tiny_corpus),
        "ADVISOR_INDEX_DIR": str(tmp_path / "index"),
        "ADVISOR_RELOAD_INTERVAL": "0",
        "ADVISOR_INSIGHTS_ENABLED": "false",  # answers then carry ETags, whose versions the test checks
        "HF_HUB_OFFLINE": "1",
    }
    cli = [sys.executable, "-m", "advisor.cli"]
    subprocess.run([*cli, "build"], env=env, check=True, capture_output=True, timeout=300)
    old = read_manifest(tmp_path / "index").version
    port = free_ports(1, HARDENING_PORTS)[0]
    url = f"http://127.0.0.1:{port}"
    serve = [*cli, "serve", "--port", str(port)]
    with server_process(serve, env=env, port=port, log=tmp_path / "serve.log") as proc:
        wait_for(lambda: httpx.get(url + "/readyz").status_code == 200, proc, what="ready", timeout=180)
        replies: list[Reply] = []
        stop = threading.Event()
        workers = [threading.Thread(target=ask_until, args=(url, stop, n, replies)) for n in range(4)]
        for worker in workers:
            worker.start()
        try:
            (tiny_corpus / "extra.md").write_text(
                "# Extra\n\nA sourdough starter needs flour and water daily.\n"
            )
            subprocess.run([*cli, "build"], env=env, check=True, capture_output=True, timeout=300)
            new = read_manifest(tmp_path / "index").version
            assert not any(r.version == new for r in replies)  # built, but not served before the signal
            os.kill(proc.pid, signal.SIGHUP)
            wait_for(lambda: any(r.version == new for r in replies), proc, what="the new index", timeout=60)
            time.sleep(1.0)
        finally:
            stop.set()
            for worker in workers:
                worker.join(timeout=60)
    assert_one_clean_switch(replies, old, new)
