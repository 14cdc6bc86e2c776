"""`advisor bench --quick` runs end to end and writes a well-formed report (no timing is asserted)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = {"build", "in_process", "peers", "cold_start", "http", "commands", "scale"}


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    # a cache smaller than the questions: the cached figure must still time only hits
    env = {**os.environ, "ADVISOR_CACHE_SIZE": "3"}
    done = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "bench", "--quick", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (report,) = out.glob("bench-*.json")
    return report


@pytest.mark.model
def test_quick_bench_writes_every_figure_next_to_its_target(quick_report: Path) -> None:
    data = json.loads(quick_report.read_text())
    assert data["quick"] is True and set(data) >= SECTIONS
    assert data["machine"]["cores"] >= 1 and data["machine"]["versions"]["torch"].startswith("2.13")
    targets = data["targets"]
    assert len(targets) >= 12
    for target in targets:
        assert set(target) == {"figure", "value", "unit", "target", "met"}
        assert target["met"] in (True, False) and isinstance(target["value"], int | float), target
    assert data["in_process"]["cached_ask"]["all_hits"] is True
    assert [run["connections"] for run in data["http"]["runs"]] == [1, 8, 32]
    # the quick bench needs nothing from Debian: its load comes from the Python client, and is answered
    assert data["http"]["client"] == "python"
    assert all(run["requests"] > 0 and run["errors"] == 0 for run in data["http"]["runs"])
    assert data["http"]["memory"]["processes"] == 2  # `advisor serve --workers 2`
    kinds = [p["dense_kind"] for p in data["scale"]["points"]]
    assert kinds == ["flat", "ivf"]


@pytest.mark.model
def test_quick_bench_summary_and_plot_are_readable(quick_report: Path) -> None:
    data = json.loads(quick_report.read_text())
    summary = quick_report.with_suffix(".md").read_text()
    assert "| figure | measured | target | met |" in summary
    assert f"{data['machine']['cores']} cores" in summary
    for target in data["targets"]:
        assert target["figure"] in summary
    plot = quick_report.with_name(quick_report.stem + "-scale.svg")
    assert plot.read_text().lstrip().startswith("<?xml") and "<svg" in plot.read_text()
