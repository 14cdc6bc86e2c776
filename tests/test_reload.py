"""Serving a new index without a restart, and never a broken one."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from advisor.answer import Advisor
from advisor.index import build_index, load_index, read_manifest
from advisor.reloader import IndexWatcher
from tests.conftest import FAKE_PARAMS, ROOT, FakeEmbedder


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
    assert served[-1].ask("sourdough starter").results[0].passage.guide == "extra"
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
    from advisor.index import build_index
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
