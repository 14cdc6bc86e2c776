"""`advisor serve --workers 2`: the real server with two worker processes sharing one socket."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.servers import HARDENING_PORTS, free_ports

pytestmark = pytest.mark.model


def test_no_worker_answers_before_it_is_ready(real_index: Path, tmp_path: Path) -> None:
    """A worker still loading must not take connections (it would answer 503): every answer is a 200."""
    import subprocess

    port = free_ports(1, HARDENING_PORTS)[0]
    argv = [
        sys.executable, "-m", "advisor.cli", "serve", "--index", str(real_index),
        "--corpus", str(ROOT / "corpus"), "--port", str(port), "--workers", "2",
    ]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ADVISOR_DATA_DIR": str(tmp_path / "data")}
    statuses: list[int] = []
    with open(tmp_path / "server.log", "wb") as log:
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            while statuses.count(200) < 40 and time.monotonic() < deadline:
                try:  # a new connection each time, so that both workers are asked
                    response = client.get(
                        "/api/v1/ask", params={"q": "kubernetes"}, headers={"Connection": "close"}
                    )
                except httpx.TransportError:
                    time.sleep(0.05)  # not listening yet, or no worker has accepted within the time-out
                    continue
                statuses.append(response.status_code)
            ready = client.get("/readyz").status_code
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert statuses.count(200) == 40, (tmp_path / "server.log").read_text()[-2000:]
    assert set(statuses) == {200} and ready == 200
    pids = {
        line
        for line in (tmp_path / "server.log").read_text().splitlines()
        if "Started server process" in line
    }
    assert len(pids) == 2  # both workers served
