"""CLI: `advisor ask`: one question answered with cited passages, as text or as the API's JSON."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from advisor.cli.common import Add
from advisor.search.modes import MODES

if TYPE_CHECKING:
    from advisor.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.runtime import open_advisor

    answer = open_advisor(settings).ask(args.question, k=args.k, mode=args.mode, guide=args.guide)
    if args.json:
        from advisor.web.schemas import answer_out

        print(json.dumps(answer_out(answer).model_dump(), indent=2, ensure_ascii=False))
        return 0
    for typed, meant in answer.corrections:
        print(f"(read “{typed}” as “{meant}”)")
    if not answer.answered:
        print("The guide does not seem to cover that.", end="")
        print(" Closest sections:\n" if answer.results else "")
    for number, hit in enumerate(answer.results, start=1):
        _print_hit(f"{number}.", hit)
    for hit in answer.next_steps:
        _print_hit("Next:", hit)
    return 0


def _print_hit(label: str, hit: Any) -> None:
    """Breadcrumb, link, and the sentences that answer (else the best window), shortened."""
    shown = " ".join(h.text for h in hit.highlights) or hit.section.text[hit.window[0] : hit.window[1]]
    shown = " ".join(shown.split())
    print(f"{label} {' › '.join(hit.section.breadcrumb)}")
    print(f"   {hit.section.url}" + (f"  ({hit.reason})" if hit.reason else ""))
    print(f"   {shown[:240]}{'…' if len(shown) > 240 else ''}\n")


def add(command: Add) -> None:
    ask = command("ask", run, "answer a question with cited passages")
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=None, help="number of results (1-20)")
    ask.add_argument("--mode", choices=MODES, default="hybrid")
    ask.add_argument("--guide", help="only search this guide")
    ask.add_argument("--json", action="store_true", help="print the API's JSON answer")
