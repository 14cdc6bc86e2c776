"""The insights store on SQLite and on a real PostgreSQL server, through the same code."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from advisor.errors import StoreError
from advisor.insights.report import report
from advisor.insights.store import (
    AskRecord,
    EventRecord,
    Store,
    asks,
    database_url,
    events,
    metadata,
    question_key,
    results,
)

NOW = 1_800_000_000 // 60 * 60
DAY = 86400


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = database_url(None, tmp_path / "data")
    else:
        url = request.getfixturevalue("postgres_url")
    store = Store(url)
    store.create()
    yield store
    metadata.drop_all(store.engine)
    store.close()


def ask(answer_id: str, at: int, question: str = "how to boil pasta", answered: bool = True) -> AskRecord:
    sections = ("cooking/step-2-boiling-pasta", "cooking/step-1-knife-skills") if answered else ()
    return AskRecord(answer_id, at, None, question, answered, "v1", 40, sections)


def count(store: Store, table) -> int:  # type: ignore[no-untyped-def]
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_writes_asks_with_their_ranked_sections(store: Store) -> None:
    assert store.exists()
    assert (
        store.write(
            [ask("a" * 16, NOW), ask("b" * 16, NOW, "sourdough?", answered=False)], event_window_s=3600
        )
        == 2
    )
    with store.connect() as conn:
        rows = conn.execute(select(results.c.rank, results.c.section).order_by(results.c.rank)).all()
    assert [tuple(r) for r in rows] == [
        (1, "cooking/step-2-boiling-pasta"),
        (2, "cooking/step-1-knife-skills"),
    ]


def test_events_are_kept_only_for_a_known_recent_ask(store: Store) -> None:
    store.write([ask("a" * 16, NOW)], event_window_s=3600)
    written = store.write(
        [
            EventRecord("a" * 16, NOW + 60, "click", "cooking/step-2-boiling-pasta", rank=1),
            EventRecord(
                "a" * 16, NOW + 3600, "feedback", "cooking/step-2-boiling-pasta", vote="down", reason="old"
            ),
            EventRecord("a" * 16, NOW + 3660, "click", "cooking/step-2-boiling-pasta", rank=1),  # too late
            EventRecord("z" * 16, NOW + 60, "click", "cooking/step-2-boiling-pasta", rank=1),  # made up
        ],
        event_window_s=3600,
    )
    assert written == 2
    with store.connect() as conn:
        kinds = conn.execute(select(events.c.kind).order_by(events.c.id)).scalars().all()
    assert kinds == ["click", "feedback"]


def test_retention_purge_deletes_old_asks_with_their_results_and_events(store: Store) -> None:
    old, recent = NOW - 91 * DAY, NOW - 89 * DAY
    store.write([ask("o" * 16, old), ask("r" * 16, recent)], event_window_s=3600)
    store.write(
        [
            EventRecord("o" * 16, old + 60, "click", "cooking/step-2-boiling-pasta", rank=1),
            EventRecord("r" * 16, recent + 60, "click", "cooking/step-2-boiling-pasta", rank=1),
        ],
        event_window_s=3600,
    )
    assert store.purge(before=NOW - 90 * DAY) == 1
    with store.connect() as conn:
        assert conn.execute(select(asks.c.answer_id)).scalars().all() == ["r" * 16]
        assert set(conn.execute(select(results.c.answer_id)).scalars()) == {"r" * 16}
        assert conn.execute(select(events.c.answer_id)).scalars().all() == ["r" * 16]


def test_report_reads_the_same_on_both_databases(store: Store) -> None:
    store.write(
        [
            ask("a" * 16, NOW - DAY),
            ask("b" * 16, NOW, "How to boil PASTA"),
            ask("c" * 16, NOW, "sourdough starter?", answered=False),
            ask("d" * 16, NOW, "watering tips"),
        ],
        event_window_s=3600,
    )
    store.write(
        [
            EventRecord("a" * 16, NOW - DAY, "click", "cooking/step-2-boiling-pasta", rank=1),
            EventRecord(
                "b" * 16, NOW, "feedback", "cooking/step-1-knife-skills", rank=2, vote="down", reason="meh"
            ),
        ],
        event_window_s=3600,
    )
    sections = ["cooking/step-2-boiling-pasta", "cooking/step-1-knife-skills", "gardening/watering"]
    found = report(store, days=7, now=NOW + 60, sections=sections)
    assert (found.totals.asks, found.totals.answered, found.totals.clicks) == (4, 3, 1)
    assert (found.totals.votes_up, found.totals.votes_down) == (0, 1)
    top = found.top_questions[0]
    assert (top.question, top.asks, top.answered, top.clicks) == ("How to boil PASTA", 2, 2, 1)
    assert [q.question for q in found.unanswered] == ["sourdough starter?"]
    # one ask of the pasta question was clicked, so only the watering question went unclicked
    assert [q.question for q in found.unclicked] == ["watering tips"]
    assert [(r.rank, r.shown, r.clicked, r.rate) for r in found.click_through] == [
        (1, 3, 1, 0.3333),
        (2, 3, 0, 0.0),
    ]
    assert found.never_returned == ["gardening/watering"]
    assert [(f.question, f.vote, f.reason) for f in found.feedback] == [("How to boil PASTA", "down", "meh")]
    assert [(d.asks, d.answered) for d in found.daily] == [(1, 1), (3, 2)]
    assert found.totals.latency_p50_ms == 40


def test_sqlite_is_created_on_first_start_in_wal_mode(tmp_path: Path) -> None:
    store = Store(database_url(None, tmp_path / "new" / "folder"))
    assert not store.exists()
    store.create()
    assert (tmp_path / "new" / "folder" / "insights.sqlite3").is_file() and store.exists()
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    store.close()


def test_database_url_reads_plain_postgresql_urls_with_psycopg(tmp_path: Path) -> None:
    assert database_url("postgresql://u:p@h/db", tmp_path) == "postgresql+psycopg://u:p@h/db"
    assert database_url("postgres://h/db", tmp_path) == "postgresql+psycopg://h/db"
    assert database_url(None, tmp_path) == f"sqlite:///{tmp_path}/insights.sqlite3"


def test_an_unreachable_database_is_a_store_error_that_hides_the_password() -> None:
    store = Store("postgresql+psycopg://someone:s3cret@127.0.0.1:1/nothing", busy_timeout_s=1)
    with pytest.raises(StoreError) as caught:
        store.exists()
    assert "s3cret" not in caught.value.message and "127.0.0.1:1" in caught.value.message


def test_replicas_starting_together_all_create_the_tables(store: Store) -> None:
    metadata.drop_all(store.engine)
    others = [Store(store.url) for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda s: s.create(), others))  # raises if one loses the race
    assert store.exists()
    for other in others:
        other.close()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("What should I learn after SQL?", "what should i learn  after sql"),
        ("Café  CRÈME!", "café crème"),
        ("STRASSE", "straße"),
    ],
)
def test_spellings_of_one_question_group_together(a: str, b: str) -> None:
    assert question_key(a) == question_key(b)
    assert question_key("sql?") != question_key("nosql?")
