"""The load test tool: a short run against a real uvicorn server process (`make load` runs the long one)."""

from __future__ import annotations

import os
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from advisor.bench.loadtest import Report, Sample, main, questions_for, report, run_load
from tests.conftest import ROOT
from tests.servers import HARDENING_PORTS, free_ports, server_process

# The app as `advisor serve` builds it, over the tiny index with the fake model, in its own process.
SERVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    import uvicorn
    from advisor.answer.advisor import Advisor
    from advisor.web.app import create_app
    from advisor.index.load import load_index
    from advisor.web.http.serving import HttpProtocol
    from advisor.settings import Settings
    from tests.conftest import FakeEmbedder

    app = create_app(Settings(), advisor=Advisor(load_index(Path(sys.argv[1])), FakeEmbedder()))
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), http=HttpProtocol, log_level="warning")
    """
)


def test_a_short_run_against_a_real_server_has_no_errors(
    tiny_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_ports(1, HARDENING_PORTS)[0]
    argv = [sys.executable, "-c", SERVER.format(root=str(ROOT)), str(tiny_index), str(port)]
    url = f"http://127.0.0.1:{port}"
    with server_process(argv, env=dict(os.environ), port=port, log=tmp_path / "server.log") as proc:
        questions = questions_for(url)
        result = run_load(url, questions=questions, requests=400, concurrency=16, pid=proc.pid)
        code = main(["--url", url, "--pid", str(proc.pid), "--requests", "200", "--concurrency", "8"])
    assert len(set(questions)) > 30  # the fixed questions and three per section heading
    assert result.statuses == {"200": 400} and result.errors == 0
    assert 0 < result.p50_ms <= result.p99_ms <= result.max_ms
    assert result.window == 80 and result.rss_first_mb and result.rss_last_mb  # the server's, from /proc
    printed = capsys.readouterr().out
    assert (
        code == 0
        and "200 requests, concurrency 8" in printed
        and "p99" in printed
        and "server RSS" in printed
    )


def test_the_report_counts_429s_as_deliberate_and_anything_else_as_errors() -> None:
    sample = Sample(
        latencies=[i / 1000 for i in range(1, 101)],
        statuses=Counter({"200": 90, "429": 7, "503": 2, "ReadTimeout": 1}),
        rss_kb=[(done, 100_000 if done <= 20 else 110_000) for done in range(10, 101, 10)],
    )
    result = report(sample, requests=100, concurrency=4, seconds=2.0)
    assert result.errors == 3  # the 503s and the timeout; never the 429s
    assert (result.p50_ms, result.p99_ms, result.max_ms) == pytest.approx((51, 100, 100))
    assert result.window == 20 and result.rss_growth == pytest.approx(0.1)
    assert "errors (not 200 or 429): 3" in "\n".join(result.lines())
    assert Report(**{**result.__dict__, "statuses": {"200": 1}}).errors == 0
