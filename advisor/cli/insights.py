"""CLI: `advisor insights [candidates]`: what visitors asked and what failed; failures as eval questions."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.cli.common import Add, days
from advisor.errors import AdvisorError

if TYPE_CHECKING:
    from advisor.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    from advisor import runtime
    from advisor.errors import StoreError

    if args.insights_command == "confirm":
        return _confirm(args, settings)
    store = runtime.open_store(settings)
    if not store.exists():
        raise StoreError(f"no insights recorded yet in {store.where}; they start with `advisor serve`")
    if args.insights_command == "candidates":
        return _candidates(args, settings, store)
    from advisor.insights.report import report
    from advisor.insights.text import format_report

    found = report(store, days=args.since, now=int(time.time()), sections=_sections(settings))
    print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False) if args.json else format_report(found))
    return 0


def _sections(settings: Settings) -> list[str] | None:
    """Every section the index can return, or None without an index."""
    from advisor.index.load import load_index

    try:
        return [p.key for p in load_index(settings.index_dir).passages]
    except AdvisorError:
        return None


def _candidates(args: argparse.Namespace, settings: Settings, store: Any) -> int:
    from advisor.insights.candidates import REASONS, gather, known_questions, write_candidates
    from advisor.runtime import open_advisor

    found = gather(store, since=int(time.time()) - args.since * 86400)
    skip = known_questions(args.skip_known)
    written = write_candidates(open_advisor(settings), found, args.out, skip=skip)
    kinds = ", ".join(f"{sum(c.why == why for c in written)} {why}" for why in REASONS)
    print(f"wrote {len(written)} eval candidates ({kinds}) to {args.out}")
    print('label each one (its "relevant" sections are only suggestions), then set "reviewed": true')
    return 0


def _confirm(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.guides.confirmed import CONFIRMED_FILE, append_confirmed
    from advisor.guides.sections import load_corpus
    from advisor.insights.candidates import confirmations

    known = {p.key for g in load_corpus(settings.corpus_dir) for p in g.passages}
    found, unreviewed = confirmations(args.file, known=known)
    added = append_confirmed(settings.corpus_dir, found)
    against = sum(c.section is None for c in found)
    print(
        f"confirmed {len(found)} reviewed questions ({against} that no guide covers; {added} new) into "
        f"{settings.corpus_dir / CONFIRMED_FILE}; {unreviewed} left unreviewed"
    )
    if added:
        print("run `advisor build` (or restart `make run`) for them to vote")
    return 0


def add(command: Add) -> None:
    insights = command("insights", run, "what visitors asked, and what the guide failed to answer")
    insights.add_argument("--since", type=days, default=30, metavar="DAYS", help="days to look back (30)")
    insights.add_argument("--json", action="store_true", help="print the report as JSON")
    what = insights.add_subparsers(dest="insights_command", metavar="[candidates | confirm]")
    candidates = what.add_parser(
        "candidates",
        help="export failed questions as unreviewed eval questions",
        description="Write unanswered, voted-down and unclicked questions as eval questions (JSONL).",
    )
    candidates.add_argument("--out", type=Path, required=True, help="the JSONL file to write")
    candidates.add_argument(
        "--since", type=days, default=argparse.SUPPRESS, metavar="DAYS", help="days to look back (30)"
    )
    candidates.add_argument(
        "--skip-known",
        type=Path,
        default=Path("eval/questions.jsonl"),
        metavar="FILE",
        help="leave out questions already in this eval file (default eval/questions.jsonl)",
    )
    confirm = what.add_parser(
        "confirm",
        help="add reviewed candidates to the guides' confirmed questions",
        description="Add the reviewed lines of a candidates file to corpus/confirmed.jsonl: the first of "
        '"relevant" answers the question; an empty "relevant" (or "kind": "offtopic") says no guide '
        "covers it. Similar questions then follow them once the index is rebuilt.",
    )
    confirm.add_argument("file", type=Path, help="a candidates file, its lines reviewed")
