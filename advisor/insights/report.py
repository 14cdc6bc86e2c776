"""Insights: what visitors asked, what went unanswered, unclicked or voted down, read from the store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, case, exists, func, select

from advisor.insights.store import Store, asks, events, results

DAY = 86400


@dataclass(frozen=True)
class QuestionRow:
    question: str  # its most recent spelling (scrubbed); grouped by store.question_key
    asks: int
    answered: int  # of those asks, how many found a confident answer
    clicks: int
    last_seen: str  # ISO date and time (UTC, to the minute)


@dataclass(frozen=True)
class DayRow:
    day: str  # ISO date (UTC)
    asks: int
    answered: int


@dataclass(frozen=True)
class RankRow:
    rank: int
    shown: int  # asks that returned a result at this rank
    clicked: int  # of those, asks whose result at this rank was clicked
    rate: float


@dataclass(frozen=True)
class FeedbackRow:
    at: str
    question: str
    section: str
    vote: str
    reason: str | None


@dataclass(frozen=True)
class SectionVotes:
    section: str
    up: int
    down: int


@dataclass(frozen=True)
class Totals:
    asks: int
    answered: int
    clicks: int
    votes_up: int
    votes_down: int
    latency_p50_ms: int | None
    latency_p95_ms: int | None


@dataclass(frozen=True)
class Report:
    """Everything `advisor insights` and /admin/insights show, for one period."""

    days: int
    since: str
    totals: Totals
    daily: list[DayRow]
    top_questions: list[QuestionRow]
    unanswered: list[QuestionRow]
    unclicked: list[QuestionRow]
    click_through: list[RankRow]
    never_returned: list[str] | None  # None when the guide's sections were not given
    feedback: list[FeedbackRow]
    section_votes: list[SectionVotes]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def iso(at: int, *, date_only: bool = False) -> str:
    moment = dt.datetime.fromtimestamp(at, dt.UTC)
    return moment.date().isoformat() if date_only else moment.strftime("%Y-%m-%d %H:%M")


def report(
    store: Store, *, days: int, now: int, sections: Sequence[str] | None = None, limit: int = 20
) -> Report:
    """The insights of the last `days` days before `now` (unix seconds).

    `sections` is every "guide/anchor" the index can return, for "sections never returned".
    """
    since = now - days * DAY
    with store.connect() as conn:
        returned = set(conn.execute(_returned(since)).scalars())
        return Report(
            days=days,
            since=iso(since),
            totals=_totals(conn, since),
            daily=_daily(conn, since),
            top_questions=questions(conn, since=since, limit=limit),
            unanswered=unanswered(conn, since=since, limit=limit),
            unclicked=unclicked(conn, since=since, limit=limit),
            click_through=_click_through(conn, since),
            never_returned=None if sections is None else [s for s in sections if s not in returned],
            feedback=_feedback(conn, since, limit),
            section_votes=_section_votes(conn, since, limit),
        )


def _has_event(*conditions: Any) -> Any:
    return exists().where(and_(events.c.answer_id == asks.c.answer_id, *conditions))


def unanswered(conn: Connection, *, since: int, limit: int = 20) -> list[QuestionRow]:
    """Questions the advisor found no confident answer to."""
    return questions(conn, since=since, where=~asks.c.answered, limit=limit)


def unclicked(conn: Connection, *, since: int, limit: int = 20) -> list[QuestionRow]:
    """Answered questions none of whose results anyone clicked, in any of their asks."""
    return questions(conn, since=since, where=asks.c.answered, unclicked=True, limit=limit)


def voted_down(conn: Connection, *, since: int, limit: int = 20) -> list[QuestionRow]:
    """Questions with a thumbs-down on one of their results."""
    down = _has_event(events.c.kind == "feedback", events.c.vote == "down")
    return questions(conn, since=since, where=down, limit=limit)


def _count_true(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _totals(conn: Connection, since: int) -> Totals:
    n_asks, answered = conn.execute(
        select(func.count(), _count_true(asks.c.answered)).where(asks.c.at >= since)
    ).one()
    recent = events.c.at >= since
    clicks, up, down = conn.execute(
        select(
            _count_true(events.c.kind == "click"),
            _count_true(events.c.vote == "up"),
            _count_true(events.c.vote == "down"),
        ).where(recent)
    ).one()
    latencies = sorted(conn.execute(select(asks.c.latency_ms).where(asks.c.at >= since)).scalars())
    return Totals(
        asks=int(n_asks),
        answered=int(answered),
        clicks=int(clicks),
        votes_up=int(up),
        votes_down=int(down),
        latency_p50_ms=_percentile(latencies, 0.50),
        latency_p95_ms=_percentile(latencies, 0.95),
    )


def _percentile(values: list[int], q: float) -> int | None:
    """Nearest-rank percentile: the smallest value with at least q of the values at or below it."""
    if not values:
        return None
    return values[max(0, math.ceil(q * len(values)) - 1)]


def _daily(conn: Connection, since: int) -> list[DayRow]:
    day = (asks.c.at // DAY).label("day")
    rows = conn.execute(
        select(day, func.count(), _count_true(asks.c.answered))
        .where(asks.c.at >= since)
        .group_by(day)
        .order_by(day)
    ).all()
    return [DayRow(iso(int(d) * DAY, date_only=True), int(n), int(a)) for d, n, a in rows]


def questions(
    conn: Connection, *, since: int, where: Any = None, unclicked: bool = False, limit: int = 20
) -> list[QuestionRow]:
    """The most asked questions (spellings grouped by question_key) among asks matching `where`;
    with `unclicked`, only those whose asks had no click at all."""
    key = asks.c.question_key
    clicks = (
        select(events.c.answer_id, func.count().label("n"))
        .where(events.c.kind == "click")
        .group_by(events.c.answer_id)
        .subquery()
    )
    query: Select[Any] = (
        select(
            key,
            func.count().label("n"),
            _count_true(asks.c.answered),
            func.coalesce(func.sum(clicks.c.n), 0),
            func.max(asks.c.at).label("last"),
        )
        .outerjoin(clicks, clicks.c.answer_id == asks.c.answer_id)
        .where(asks.c.at >= since)
    )
    if where is not None:
        query = query.where(where)
    if unclicked:
        query = query.having(func.coalesce(func.sum(clicks.c.n), 0) == 0)
    rows = conn.execute(query.group_by(key).order_by(func.count().desc(), key).limit(limit)).all()
    spelled = _latest_spelling(conn, since, [r[0] for r in rows])
    return [QuestionRow(spelled.get(k, k), int(n), int(a), int(c), iso(int(t))) for k, n, a, c, t in rows]


def _latest_spelling(conn: Connection, since: int, keys: list[str]) -> dict[str, str]:
    if not keys:
        return {}
    rows = conn.execute(
        select(asks.c.question_key, asks.c.question)
        .where(asks.c.at >= since, asks.c.question_key.in_(keys))
        .order_by(asks.c.at)
    ).all()
    return dict(rows)  # ordered by time: the latest spelling wins


def _click_through(conn: Connection, since: int) -> list[RankRow]:
    shown: dict[int, int] = dict(
        conn.execute(
            select(results.c.rank, func.count())
            .join(asks, asks.c.answer_id == results.c.answer_id)
            .where(asks.c.at >= since)
            .group_by(results.c.rank)
        ).all()
    )
    clicked: dict[int, int] = dict(
        conn.execute(
            select(events.c.rank, func.count(func.distinct(events.c.answer_id)))
            .join(asks, asks.c.answer_id == events.c.answer_id)
            .where(asks.c.at >= since, events.c.kind == "click")
            .group_by(events.c.rank)
        ).all()
    )
    return [
        RankRow(rank, int(n), int(clicked.get(rank, 0)), round(clicked.get(rank, 0) / n, 4))
        for rank, n in sorted(shown.items())
    ]


def _returned(since: int) -> Select[Any]:
    return (
        select(results.c.section)
        .join(asks, asks.c.answer_id == results.c.answer_id)
        .where(asks.c.at >= since)
        .distinct()
    )


def _feedback(conn: Connection, since: int, limit: int) -> list[FeedbackRow]:
    rows = conn.execute(
        select(events.c.at, asks.c.question, events.c.section, events.c.vote, events.c.reason)
        .join(asks, asks.c.answer_id == events.c.answer_id)
        .where(events.c.at >= since, events.c.kind == "feedback")
        .order_by(events.c.at.desc(), events.c.id.desc())
        .limit(limit)
    ).all()
    return [FeedbackRow(iso(int(t)), q, s, v, r) for t, q, s, v, r in rows]


def _section_votes(conn: Connection, since: int, limit: int) -> list[SectionVotes]:
    up, down = _count_true(events.c.vote == "up"), _count_true(events.c.vote == "down")
    rows = conn.execute(
        select(events.c.section, up, down)
        .where(events.c.at >= since, events.c.kind == "feedback")
        .group_by(events.c.section)
        .order_by(down.desc(), up.desc(), events.c.section)
        .limit(limit)
    ).all()
    return [SectionVotes(s, int(u), int(d)) for s, u, d in rows]
