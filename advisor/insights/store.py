"""Store: the insights tables (asks, the sections they returned, visitor events), SQLite or PostgreSQL.

One code path for both, through SQLAlchemy Core. Times are unix seconds truncated to the minute,
kept as integers so that SQLite and PostgreSQL compare and bucket them alike. Nothing here can
identify a visitor: no address, cookie or user id is ever a column.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    insert,
    inspect,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from advisor.errors import StoreError

metadata = MetaData()

asks = Table(
    "asks",
    metadata,
    Column("answer_id", String(32), primary_key=True),
    Column("at", BigInteger, nullable=False, index=True),
    Column("guide", String(200)),  # the guide the ask was restricted to; NULL = all guides
    Column("question", String(1000), nullable=False),  # scrubbed
    Column("question_key", String(1000), nullable=False, index=True),  # question_key(question)
    Column("answered", Boolean, nullable=False),
    Column("index_version", String(40), nullable=False),
    Column("latency_ms", Integer, nullable=False),
)

results = Table(
    "ask_results",
    metadata,
    Column("answer_id", String(32), primary_key=True),
    Column("rank", Integer, primary_key=True),  # 1 = first result
    Column("section", String(500), nullable=False, index=True),  # "guide/anchor"
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(32), nullable=False, index=True),
    Column("at", BigInteger, nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # "click" or "feedback"
    Column("section", String(500), nullable=False),
    Column("rank", Integer),
    Column("vote", String(8)),  # "up" or "down", feedback only
    Column("reason", String(400)),  # feedback only, scrubbed
)


@dataclass(frozen=True)
class AskRecord:
    answer_id: str
    at: int
    guide: str | None
    question: str
    answered: bool
    index_version: str
    latency_ms: int
    sections: tuple[str, ...]  # "guide/anchor" of each result, best first


@dataclass(frozen=True)
class EventRecord:
    answer_id: str
    at: int
    kind: str
    section: str
    rank: int | None = None
    vote: str | None = None
    reason: str | None = None


def question_key(question: str) -> str:
    """What groups spellings of one question: case folded, spaces collapsed, no trailing ?!."""
    return " ".join(question.casefold().split()).rstrip("?!.… ")


def database_url(url: str | None, data_dir: Path) -> str:
    """The URL to open: the one given (postgresql:// read as psycopg 3), else SQLite under data_dir."""
    if not url:
        return f"sqlite:///{data_dir / 'insights.sqlite3'}"
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer, nor it them
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; one fsync per checkpoint
    cursor.close()


class Store:
    """Writes and purges insights rows; `connect()` gives readers a connection."""

    def __init__(self, url: str, *, busy_timeout_s: float = 2.0) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        options: dict[str, Any] = {"pool_pre_ping": True}
        if self.is_sqlite:
            options = {"connect_args": {"timeout": busy_timeout_s}}
        else:
            options["connect_args"] = {"connect_timeout": max(1, int(busy_timeout_s))}
        try:
            self.engine: Engine = create_engine(url, **options)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"cannot open the insights database ({_what(exc)})") from exc
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)

    @property
    def where(self) -> str:
        """The database, for messages: the SQLite path, or the URL without its password."""
        return self.engine.url.render_as_string(hide_password=True)

    def create(self) -> None:
        """Create the tables (and the SQLite file's folder) if they do not exist yet."""
        if self.is_sqlite and self.engine.url.database:
            Path(self.engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        with self._guard("create the insights tables"):
            for attempt in range(5):
                try:
                    metadata.create_all(self.engine)  # skips the tables that exist
                    return
                except SQLAlchemyError:
                    # Another replica or thread is creating them at this very moment: the tables
                    # it made are skipped on the next try; a real failure fails every time.
                    if attempt == 4:
                        raise
                    time.sleep(0.05 * (attempt + 1))

    def exists(self) -> bool:
        if self.is_sqlite and not Path(self.engine.url.database or "").is_file():
            return False
        with self._guard("read the insights database"):
            return inspect(self.engine).has_table(asks.name)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self._guard("read the insights database"), self.engine.connect() as conn:
            yield conn

    def write(self, records: Sequence[AskRecord | EventRecord], *, event_window_s: int) -> int:
        """Write a batch in one transaction; returns the rows written.

        An event is kept only when its ask is known and at most event_window_s older than it, so
        a made-up or stale answer id records nothing. Raises SQLAlchemyError on any failure.
        """
        ask_rows = [r for r in records if isinstance(r, AskRecord)]
        event_rows = [r for r in records if isinstance(r, EventRecord)]
        with self.engine.begin() as conn:
            if ask_rows:
                conn.execute(insert(asks), [_ask_row(r) for r in ask_rows])
                sections = [
                    {"answer_id": r.answer_id, "rank": n, "section": s}
                    for r in ask_rows
                    for n, s in enumerate(r.sections, start=1)
                ]
                if sections:
                    conn.execute(insert(results), sections)
            kept = _known_events(conn, event_rows, event_window_s)
            if kept:
                conn.execute(insert(events), [_event_row(r) for r in kept])
        return len(ask_rows) + len(kept)

    def purge(self, *, before: int) -> int:
        """Delete every ask, result and event older than `before` (unix seconds); returns asks deleted."""
        old = select(asks.c.answer_id).where(asks.c.at < before)
        with self.engine.begin() as conn:
            conn.execute(delete(events).where((events.c.at < before) | events.c.answer_id.in_(old)))
            conn.execute(delete(results).where(results.c.answer_id.in_(old)))
            return int(conn.execute(delete(asks).where(asks.c.at < before)).rowcount or 0)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot {doing} at {self.where} ({_what(exc)})") from exc


def _what(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    return str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__


def _ask_row(r: AskRecord) -> dict[str, Any]:
    return {
        "answer_id": r.answer_id,
        "at": r.at,
        "guide": r.guide,
        "question": r.question,
        "question_key": question_key(r.question),
        "answered": r.answered,
        "index_version": r.index_version,
        "latency_ms": r.latency_ms,
    }


def _event_row(r: EventRecord) -> dict[str, Any]:
    return {
        "answer_id": r.answer_id,
        "at": r.at,
        "kind": r.kind,
        "section": r.section,
        "rank": r.rank,
        "vote": r.vote,
        "reason": r.reason,
    }


def _known_events(conn: Connection, rows: list[EventRecord], window_s: int) -> list[EventRecord]:
    if not rows:
        return []
    ids = {r.answer_id for r in rows}
    asked = dict(conn.execute(select(asks.c.answer_id, asks.c.at).where(asks.c.answer_id.in_(ids))).all())
    return [r for r in rows if r.answer_id in asked and 0 <= r.at - asked[r.answer_id] <= window_s]
