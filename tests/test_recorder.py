"""Recording happens off the request path and never costs the visitor an answer."""

import logging
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advisor.answer.advisor import Advisor
from advisor.insights.recorder import Recorder, minute
from advisor.insights.store import Store, database_url
from advisor.settings import Settings
from advisor.web.app import create_app


def test_an_unwritable_database_still_answers_and_logs_a_warning(
    tiny_advisor: Advisor, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if os.geteuid() == 0:
        locked = tmp_path / "not-a-folder"  # root ignores permissions, but not a file in the way
        locked.write_text("")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
    settings = Settings(data_dir=locked / "data")
    app = create_app(settings, advisor=tiny_advisor)
    with caplog.at_level(logging.WARNING, logger="advisor.insights"), TestClient(app) as client:
        res = client.get("/api/v1/ask", params={"q": "how to boil pasta"})
        assert res.status_code == 200 and res.json()["results"]
        recorder = client.app.state.recorder  # type: ignore[attr-defined]
        assert recorder.flush()
        assert recorder.dropped == 1 and recorder.written == 0
    assert any("insights" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_a_locked_sqlite_database_drops_the_batch_with_a_warning(
    tiny_advisor: Advisor, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store(database_url(None, tmp_path), busy_timeout_s=0.1)
    store.create()
    recorder = Recorder(store)
    recorder.start()
    blocker = Store(database_url(None, tmp_path))
    with caplog.at_level(logging.WARNING, logger="advisor.insights"), blocker.engine.connect() as conn:
        conn.exec_driver_sql("BEGIN EXCLUSIVE")
        recorder.record_ask(tiny_advisor.ask("pasta"), guide=None, latency_ms=3)
        assert recorder.flush()
        conn.exec_driver_sql("ROLLBACK")
    recorder.stop()
    blocker.close()
    assert recorder.dropped == 1
    assert any("database is locked" in r.getMessage() for r in caplog.records)


def test_a_full_queue_drops_instead_of_waiting(tiny_advisor: Advisor, tmp_path: Path) -> None:
    recorder = Recorder(Store(database_url(None, tmp_path)), queue_size=2)  # not started: nothing drains
    answer = tiny_advisor.ask("pasta")
    ids = {recorder.record_ask(answer, guide=None, latency_ms=1) for _ in range(5)}
    assert len(ids) == 5 and recorder.queue.qsize() == 2 and recorder.dropped == 3


def test_what_an_ask_records_identifies_no_one(tiny_advisor: Advisor, tmp_path: Path) -> None:
    store = Store(database_url(None, tmp_path))
    recorder = Recorder(store, clock=lambda: 1_800_000_059.9)
    recorder.start()
    answer = tiny_advisor.ask("email me at jo@example.org about pasta", k=2)
    answer_id = recorder.record_ask(answer, guide="cooking", latency_ms=12.4)
    assert recorder.flush()
    with store.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT * FROM asks").mappings().one()
        sections = conn.exec_driver_sql("SELECT rank, section FROM ask_results ORDER BY rank").all()
    recorder.stop()
    assert dict(row) == {
        "answer_id": answer_id,
        "at": minute(1_800_000_059.9),
        "guide": "cooking",
        "question": "email me at <email> about pasta",
        "question_key": "email me at <email> about pasta",
        "answered": answer.answered,
        "index_version": answer.index_version,
        "latency_ms": 12,
    }
    assert [s for _, s in sections] == [h.section.key for h in answer.results]
    assert len(answer_id) == 16


def test_retention_purge_runs_in_the_recorder(tiny_advisor: Advisor, tmp_path: Path) -> None:
    store = Store(database_url(None, tmp_path))
    now = [1_800_000_000.0]
    recorder = Recorder(store, retention_days=90, clock=lambda: now[0], purge_every_s=0)
    recorder.start()
    recorder.record_ask(tiny_advisor.ask("pasta"), guide=None, latency_ms=1)
    assert recorder.flush()
    now[0] += 91 * 86400
    recorder.record_ask(tiny_advisor.ask("watering"), guide=None, latency_ms=1)  # wakes the writer
    assert recorder.flush()
    recorder.stop()
    with Store(store.url).engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM asks").scalar() == 1


def test_recording_switched_off_returns_no_answer_id(tiny_advisor: Advisor) -> None:
    with TestClient(create_app(Settings(insights_enabled=False), advisor=tiny_advisor)) as client:
        assert client.get("/api/v1/ask", params={"q": "pasta"}).json()["answer_id"] is None
        assert client.app.state.recorder is None  # type: ignore[attr-defined]
