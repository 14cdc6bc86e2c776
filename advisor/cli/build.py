"""CLI: `advisor build`: the index of the guides, rebuilt only when stale with --if-stale."""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from advisor.cli.common import Add, Progress

if TYPE_CHECKING:
    from advisor.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    from advisor import runtime

    if args.if_stale and runtime.index_state(settings) == "current":
        print(f"index in {settings.index_dir} is current")
        return 0
    started = time.perf_counter()
    with Progress("embedding") as progress:
        manifest = runtime.build(settings, progress)
    print(
        f"built index {manifest.version} in {time.perf_counter() - started:.1f} s: "
        f"{manifest.passages} passages, {manifest.windows} windows -> {settings.index_dir}"
    )
    _print_order(settings)
    _print_confirmed(settings)
    return 0


def _print_confirmed(settings: Settings) -> None:
    """How many confirmed questions will vote, so that the owner sees them taken in."""
    from advisor.guides.confirmed import CONFIRMED_FILE, load_confirmed

    confirmed = load_confirmed(settings.corpus_dir)
    if confirmed:
        against = sum(c.section is None for c in confirmed)
        print(
            f"{len(confirmed)} confirmed questions ({against} that no guide covers) from "
            f"{settings.corpus_dir / CONFIRMED_FILE}"
        )


def _print_order(settings: Settings) -> None:
    """What each guide's order was read as, for its owner to check (and to declare, where it is wrong)."""
    from advisor.guides.roadmap import Roadmap, describe
    from advisor.guides.sections import load_corpus

    guides = load_corpus(settings.corpus_dir)
    roadmap = Roadmap(guides)
    for guide in guides:
        lines = describe(roadmap, guide.id)
        declared = " (declared in its front matter)" if guide.order else ""
        print(lines[0] + declared, *lines[1:], sep="\n")


def add(command: Add) -> None:
    build = command("build", run, "build the index of the guides")
    build.add_argument("--if-stale", action="store_true", help="only when missing or stale")
