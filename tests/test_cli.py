import json
from pathlib import Path

import pytest

from advisor import cli
from advisor.settings import get_settings


def test_ask_without_index_says_how_to_build(fake_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["ask", "pasta"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "advisor build" in err and "Traceback" not in err


def test_build_then_ask_text_and_json(fake_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["build"]) == 0
    assert "11 passages" in capsys.readouterr().out
    assert cli.main(["ask", "boil pasta", "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. Cooking Basics › Steps to Learn Cooking › Step 2: Boiling Pasta")
    assert "/guide/cooking#step-2-boiling-pasta" in out
    assert cli.main(["ask", "boil pasta", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["results"][0]["anchor"] == "step-2-boiling-pasta"
    keys = {"question", "answered", "mode", "results", "next_steps", "corrections"}
    keys |= {"index", "answer_id"}
    assert set(data) == keys
    assert data["answer_id"] is None  # the command line records no insights


def test_build_if_stale_skips_a_current_index_and_rebuilds_a_stale_one(
    fake_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["build"])
    capsys.readouterr()
    assert cli.main(["build", "--if-stale"]) == 0
    assert "is current" in capsys.readouterr().out
    (fake_env / "cooking.md").write_text("# Cooking\n\nOnly rice now.\n")
    assert cli.main(["ask", "rice"]) == 1
    assert "stale" in capsys.readouterr().err
    assert cli.main(["build", "--if-stale"]) == 0
    assert "built index" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", "   "], "empty"),
        (["ask", "pasta", "-k", "0"], "between 1 and 20"),
        (["ask", "x", "--guide", "nope"], "unknown guide"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(
    fake_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    cli.main(["build"])
    capsys.readouterr()
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_build_of_a_broken_guide_names_the_file(fake_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (fake_env / "bad.md").write_bytes(b"\xff")
    assert cli.main(["build"]) == 1
    assert "bad.md" in capsys.readouterr().err


def test_k_that_is_not_a_number_exits_with_usage(fake_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["ask", "x", "-k", "many"])
    assert exit_.value.code == 2
    assert "invalid int value" in capsys.readouterr().err


def test_a_malformed_setting_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ADVISOR_CORS_ORIGINS", "careers.example.org")
    get_settings.cache_clear()
    try:
        assert cli.main(["ask", "pasta"]) == 1
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ADVISOR_CORS_ORIGINS" in err and "not an origin" in err


def test_help_loads_neither_settings_nor_the_core() -> None:
    """`advisor --help` stays fast because pydantic, numpy and the model load only when a command runs."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom advisor import cli\ntry:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('numpy', 'pydantic', 'torch', 'faiss') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "usage: advisor" in done.stdout and done.stdout.strip().endswith("[]")
