"""Insights text: the report as `advisor insights` prints it for people (`--json` prints the data)."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.insights.report import QuestionRow, Report

BAR = 30  # characters of the widest bar


def _bar(share: float) -> str:
    return "█" * round(BAR * share) or ("▏" if share > 0 else "")


def _questions(title: str, rows: Sequence[QuestionRow], empty: str) -> list[str]:
    lines = [f"\n{title}"]
    if not rows:
        return [*lines, f"  {empty}"]
    lines.append(f"  {'asked':>5} {'answ':>5} {'clicks':>6}  question")
    for r in rows:
        lines.append(f"  {r.asks:>5} {r.answered:>5} {r.clicks:>6}  {r.question}")
    return lines


def format_report(report: Report) -> str:
    t = report.totals
    answered = f"{t.answered / t.asks:.0%}" if t.asks else "–"
    latency = f"{t.latency_p50_ms} / {t.latency_p95_ms} ms" if t.latency_p50_ms is not None else "–"
    lines = [
        f"Insights for the last {report.days} days (since {report.since} UTC)",
        f"  questions {t.asks}, answered {answered}, clicks {t.clicks}, "
        f"votes up {t.votes_up} / down {t.votes_down}, answer time p50 / p95 {latency}",
        "\nQuestions per day (answered/asked)",
    ]
    most = max((d.asks for d in report.daily), default=0)
    lines += [f"  {d.day}  {d.answered:>4}/{d.asks:<4} {_bar(d.asks / most)}" for d in report.daily]
    if not report.daily:
        lines.append("  none yet")
    lines += _questions("Top questions", report.top_questions, "none yet")
    lines += _questions("No good answer", report.unanswered, "every question found an answer")
    lines += _questions("Answered, but nobody clicked", report.unclicked, "every answer had a click")
    lines.append("\nClick-through by rank (answers clicked at that rank / answers showing one)")
    lines += [
        f"  {r.rank:>2}  {r.clicked:>4}/{r.shown:<4} {r.rate:>6.1%} {_bar(r.rate)}"
        for r in report.click_through
    ] or ["  no results shown yet"]
    lines.append("\nFeedback (latest first)")
    lines += [
        f"  {f.at}  {'up  ' if f.vote == 'up' else 'down'}  {f.section}  «{f.question}»"
        + (f"  reason: {f.reason}" if f.reason else "")
        for f in report.feedback
    ] or ["  no votes yet"]
    if report.never_returned is not None:
        lines.append(f"\nSections never returned ({len(report.never_returned)})")
        lines += [f"  {key}" for key in report.never_returned] or ["  every section was in some answer"]
    return "\n".join(lines)
