"""CLI: `advisor eval` (retrieval accuracy, or two reports compared) and `advisor calibrate` (thresholds)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.cli.common import Add, Progress, ks, questions_option, share
from advisor.search.modes import MODES

if TYPE_CHECKING:
    from advisor.settings import Settings


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.evals.evaluate import depth

    if args.compare:
        return _compare(args)
    if args.beir is None and args.questions is None:
        return _suites(args, settings)
    settings = settings.model_copy(update={"cache_size": 0})  # each question is asked once per mode
    if args.beir is None:
        advisor, questions = _guide_questions(args, settings, depth(args.k))
        return _evaluate(args, advisor, questions, name=args.questions.stem, source=str(args.questions))
    with tempfile.TemporaryDirectory(prefix="advisor-beir-") as scratch:  # an index kept only with --index
        advisor, questions, name = _beir(args, settings, depth(args.k), args.index or Path(scratch))
        # the benchmark's licence: no query texts in reports
        return _evaluate(args, advisor, questions, name=name, source=str(args.beir), with_text=False)


def _suites(args: argparse.Namespace, settings: Settings) -> int:
    """Every suite of the suites file (or those chosen), ours and plain dense retrieval side by side."""
    from advisor import runtime
    from advisor.evals.evaluate import depth
    from advisor.evals.suites import load_suites, run_suites

    chosen = [s for s in load_suites(args.suites) if not args.suite or s.name in args.suite]
    if not chosen:
        print(f"advisor: error: no suite named {', '.join(args.suite)} in {args.suites}", file=sys.stderr)
        return 1

    def advisor_of(suite: Any) -> Any:
        with Progress(f"index {suite.name}") as progress:
            return runtime.suite_advisor(settings, suite, max_k=depth(args.k), progress=progress)

    if args.ablate:
        from advisor.evals.ablation import run as ablate

        split = "test" if args.split == "test" else "dev"
        table = ablate(chosen, advisor_of, split=split)
        out = args.out or Path("eval/reports")
        out.mkdir(parents=True, exist_ok=True)
        text = f"## Ablation ({split} questions): each figure without → with the mechanism\n\n{table}"
        (out / f"ablation-{split}.md").write_text(text)
        print(text)
        return 0
    text = run_suites(
        chosen,
        advisor_of,
        every_mode=args.mode == "all",
        ks=args.k,
        split=args.split,
        out=args.out or Path("eval/reports"),
        progress=lambda label: Progress(label, unit="question"),
    )
    print(text)
    return 0


def _evaluate(
    args: argparse.Namespace,
    advisor: Any,
    questions: list[Any],
    *,
    name: str,
    source: str,
    with_text: bool = True,
) -> int:
    from advisor.evals.report import heading, text_table
    from advisor.evals.run import evaluate_modes, write_reports

    questions = [q for q in questions if args.split in ("all", q.split)]
    if not questions:
        print(f"advisor: error: {source} has no {args.split} questions", file=sys.stderr)
        return 1
    doc = evaluate_modes(
        advisor,
        questions,
        modes=MODES if args.mode in ("all", None) else (args.mode,),
        ks=args.k,
        dataset=name,
        source=source,
        split=args.split,
        progress=lambda label: Progress(label, unit="question"),
        with_text=with_text,
    )
    stem = name if args.split == "all" else f"{name}-{args.split}"
    written = write_reports(doc, args.out or Path("eval/reports"), stem)
    print(f"reports: {written}.json, .md, .svg", file=sys.stderr)
    text = f"{heading(doc)}\n\n{text_table(doc)}"
    print(json.dumps(doc, indent=1, ensure_ascii=False) if args.json else text)
    return 0


def run_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.evals.calibration import FLOOR_GRID, calibrate, describe, floor_samples, rates

    advisor, questions = _guide_questions(args, settings.model_copy(update={"cache_size": 0}), 1)
    chosen = [q for q in questions if q.split == args.split]
    rest = [q for q in questions if q.split != args.split]
    off = sum(not q.answerable for q in chosen)
    if off == 0 or off == len(chosen):
        print(
            f"advisor: error: {args.questions} needs both off-topic and on-topic {args.split} questions",
            file=sys.stderr,
        )
        return 1
    floors = FLOOR_GRID if advisor.votes.confirmed else (None,)
    with Progress("calibrate", unit="question") as progress:
        ordered = calibrate(floor_samples(advisor, chosen, floors, progress), max_on_topic=args.max_on_topic)
    held_out = None
    if ordered and rest:
        best = ordered[0]
        held_out = rates(
            floor_samples(advisor, rest, (best.min_similarity,))[best.min_similarity], best.thresholds
        )
    print(describe(ordered, split=args.split, held_out=held_out, counts=(off, len(chosen) - off)), end="")
    return 0 if ordered else 1


def _guide_questions(args: argparse.Namespace, settings: Settings, k: int) -> tuple[Any, list[Any]]:
    from advisor.evals.questions import load_questions
    from advisor.runtime import open_advisor

    advisor = open_advisor(settings.model_copy(update={"max_k": max(settings.max_k, k)}))
    known = {p.key for p in advisor.index.passages}
    return advisor, load_questions(args.questions, known=known)


def _beir(
    args: argparse.Namespace, settings: Settings, k: int, index_dir: Path
) -> tuple[Any, list[Any], str]:
    from advisor import runtime
    from advisor.evals.beir import load_beir

    dataset = load_beir(args.beir)
    with Progress(f"embedding {dataset.name}") as progress:
        advisor = runtime.beir_advisor(settings, dataset, index_dir, max_k=k, progress=progress)
    return advisor, list(dataset.questions), dataset.name


def _compare(args: argparse.Namespace) -> int:
    from advisor.evals.compare import compare, comparison_markdown, load_report

    old_path, new_path = args.compare
    comparisons = compare(load_report(old_path), load_report(new_path))
    text = comparison_markdown(comparisons, old_name=str(old_path), new_name=str(new_path))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        stem = f"compare-{new_path.stem}"
        (args.out / f"{stem}.md").write_text(text)
        (args.out / f"{stem}.json").write_text(json.dumps(comparisons, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(comparisons, indent=1, ensure_ascii=False) if args.json else text, end="")
    return 0


def add(command: Add) -> None:
    ev = command("eval", run_eval, "measure how well retrieval finds the sections that answer questions")
    ev.add_argument(
        "--questions",
        type=Path,
        help="one labelled question file, over --corpus (default: every suite of --suites)",
    )
    ev.add_argument(
        "--suites",
        type=Path,
        default=Path("eval/suites.toml"),
        help="question sets, each over its own guides (default eval/suites.toml)",
    )
    ev.add_argument("--suite", action="append", help="only this suite (repeatable)")
    ev.add_argument(
        "--ablate", action="store_true", help="each mechanism switched off in turn, on the dev questions"
    )
    ev.add_argument(
        "--mode",
        choices=(*MODES, "all"),
        help="retrieval mode(s) (default: all for --questions; hybrid and plain dense for the suites)",
    )
    ev.add_argument("--k", type=ks, default=[1, 3, 5, 10], help="cut-offs of hit@k and recall@k (1,3,5,10)")
    ev.add_argument(
        "--split",
        choices=("dev", "test", "all"),
        default="all",
        help="dev, test (held out) or all questions (default all)",
    )
    ev.add_argument("--json", action="store_true", help="print the whole report as JSON")
    ev.add_argument("--out", type=Path, help="report folder (default eval/reports; --compare: none)")
    ev.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("OLD.json", "NEW.json"),
        help="compare two reports of `advisor eval`",
    )
    ev.add_argument("--beir", type=Path, metavar="DIR", help="evaluate a BEIR dataset, indexed in --index")
    cal = command("calibrate", run_calibrate, 'choose the thresholds of the honest "no good answer"')
    questions_option(cal, "labelled questions, off-topic ones included")
    cal.add_argument(
        "--split", choices=("dev", "test"), default="dev", help="questions to choose on (default dev)"
    )
    cal.add_argument(
        "--max-on-topic",
        type=share,
        default=0.02,
        metavar="SHARE",
        help="most on-topic questions that may abstain (default 0.02)",
    )
