"""The site owner's loop end to end: asks, clicks and votes through the API show up in
`advisor insights`, on /admin/insights, and as eval candidates. Run on SQLite and on PostgreSQL."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advisor import cli, runtime
from advisor.answer.advisor import Advisor
from advisor.insights.store import metadata
from advisor.settings import Settings, get_settings
from advisor.web.app import create_app
from tests.conftest import FAKE_PARAMS, FakeEmbedder

TOKEN = "owner-token-0123456789"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(params=["sqlite", "postgresql"])
def env(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tiny_corpus: Path,
    tiny_index: Path,
    tmp_path: Path,
) -> Iterator[Settings]:
    """Settings for the app and the CLI alike: the tiny index, the fake model, one insights database."""
    postgres = request.param == "postgresql"
    if postgres:
        monkeypatch.setenv("ADVISOR_INSIGHTS_DATABASE_URL", request.getfixturevalue("postgres_url"))
    for name, value in {
        "DATA_DIR": str(tmp_path / "data"),
        "CORPUS_DIR": str(tiny_corpus),
        "INDEX_DIR": str(tiny_index),
        "MODEL": FAKE_PARAMS.model,
        "WINDOW_TOKENS": str(FAKE_PARAMS.window_tokens),
        "WINDOW_OVERLAP": str(FAKE_PARAMS.window_overlap),
        "ADMIN_TOKEN": TOKEN,
    }.items():
        monkeypatch.setenv(f"ADVISOR_{name}", value)
    monkeypatch.setattr(runtime, "SentenceEmbedder", lambda *a, **k: FakeEmbedder())
    get_settings.cache_clear()
    yield Settings()
    if postgres:  # the server is shared by the whole session: leave it empty
        store = runtime.open_store(Settings())
        metadata.drop_all(store.engine)
        store.close()
    get_settings.cache_clear()


def visit(client: TestClient) -> dict[str, str]:
    """A few visitors: ask, click, vote. Returns the answer ids by question."""
    ids = {}
    for q in ["how to boil pasta", "How to boil pasta", "when to water tomatoes", "sourdough bread starter"]:
        res = client.get("/api/v1/ask", params={"q": q, "k": 3})
        assert res.status_code == 200
        ids[q] = res.json()["answer_id"]
    pasta = ids["how to boil pasta"]
    events = [
        {"type": "click", "answer_id": pasta, "rank": 1, "section": "cooking/step-2-boiling-pasta"},
        {
            "type": "feedback",
            "answer_id": ids["when to water tomatoes"],
            "section": "gardening/watering",
            "rank": 1,
            "vote": "down",
            "reason": "nothing about tomatoes; write to me at jo@example.org",
        },
    ]
    for event in events:
        assert client.post("/api/v1/events", json=event).status_code == 202
    assert client.app.state.recorder.flush()  # type: ignore[attr-defined]
    return ids


def test_asks_clicks_and_votes_reach_the_cli_the_admin_page_and_the_candidates(
    env: Settings, tiny_advisor: Advisor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestClient(create_app(env, advisor=tiny_advisor)) as client:
        visit(client)
        page = client.get("/admin/insights", headers=BEARER)

    assert cli.main(["insights", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["asks"] == 4 and data["totals"]["clicks"] == 1 and data["totals"]["votes_down"] == 1
    assert (
        data["top_questions"][0]["question"] == "How to boil pasta" and data["top_questions"][0]["asks"] == 2
    )
    assert [q["question"] for q in data["unanswered"]] == ["sourdough bread starter"]
    assert [q["question"] for q in data["unclicked"]] == ["when to water tomatoes"]
    # the unanswered ask still showed its closest sections, so 4 answers showed a first result
    assert data["click_through"][0] == {"rank": 1, "shown": 4, "clicked": 1, "rate": 0.25}
    assert data["feedback"][0]["reason"] == "nothing about tomatoes; write to me at <email>"
    assert "cooking/kitchen-safety" in data["never_returned"]

    assert page.status_code == 200
    for shown in (
        "sourdough bread starter",
        "when to water tomatoes",
        "write to me at &lt;email&gt;",
        "<svg",
    ):
        assert shown in page.text
    assert "jo@example.org" not in page.text

    assert cli.main(["insights", "--since", "7"]) == 0
    text = capsys.readouterr().out
    assert "No good answer" in text and "sourdough bread starter" in text

    out = tmp_path / "candidates.jsonl"
    assert (
        cli.main(["insights", "candidates", "--out", str(out), "--skip-known", str(tmp_path / "none")]) == 0
    )
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    by_question = {line["question"]: line for line in lines}
    assert set(by_question) == {"sourdough bread starter", "when to water tomatoes"}
    unanswered = by_question["sourdough bread starter"]
    assert unanswered["id"].startswith("insights-unanswered-") and unanswered["reviewed"] is False
    assert set(unanswered) == {"id", "question", "relevant", "kind", "reviewed"}
    assert unanswered["kind"] == "topic"
    assert unanswered["relevant"] == [
        h.section.key for h in tiny_advisor.ask("sourdough bread starter", k=3).results
    ]
    assert by_question["when to water tomatoes"]["id"].startswith("insights-voted-down-")


def test_known_eval_questions_are_not_proposed_again(
    env: Settings, tiny_advisor: Advisor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestClient(create_app(env, advisor=tiny_advisor)) as client:
        visit(client)
    known = tmp_path / "questions.jsonl"
    known.write_text(json.dumps({"id": "q1", "question": "Sourdough bread starter", "relevant": []}) + "\n")
    out = tmp_path / "candidates.jsonl"
    assert cli.main(["insights", "candidates", "--out", str(out), "--skip-known", str(known)]) == 0
    assert "wrote 1 eval candidates (0 unanswered, 1 voted-down, 0 unclicked)" in capsys.readouterr().out
    assert [json.loads(line)["question"] for line in out.read_text().splitlines()] == [
        "when to water tomatoes"
    ]


def test_insights_before_anything_was_recorded_is_a_one_line_error(
    env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["insights"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("advisor: error: no insights recorded yet") and err.count("\n") == 1


@pytest.mark.parametrize("days", ["0", "-3", "week", "4000"])
def test_a_bad_period_is_a_usage_error(days: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["insights", "--since", days])
    assert exited.value.code == 2
    assert "is not a number of days from 1 to 3650" in capsys.readouterr().err
