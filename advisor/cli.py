"""CLI: `advisor build | ask | serve | eval | calibrate | insights | bench`, each a few lines over the
library."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.errors import AdvisorError
from advisor.modes import MODES

if TYPE_CHECKING:  # settings (pydantic) and the core (numpy ...) load after parsing: --help stays fast
    from advisor.settings import Settings

Command = Callable[[argparse.Namespace, "Settings"], int]


def _settings(args: argparse.Namespace) -> Settings:
    from advisor.settings import get_settings

    overrides = {
        name: value
        for name, value in (("corpus_dir", args.corpus), ("index_dir", args.index))
        if value is not None
    }
    return get_settings().model_copy(update=overrides)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from advisor import runtime

    if args.if_stale and runtime.index_state(settings) == "current":
        print(f"index in {settings.index_dir} is current")
        return 0
    started = time.perf_counter()
    with _Progress("embedding") as progress:
        manifest = runtime.build(settings, progress)
    print(
        f"built index {manifest.version} in {time.perf_counter() - started:.1f} s: "
        f"{manifest.passages} passages, {manifest.windows} windows -> {settings.index_dir}"
    )
    return 0


class _Progress:
    """A tqdm bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, label: str, unit: str = "window") -> None:
        self.label = label
        self.unit = unit
        self.bar: Any = None

    def __enter__(self) -> Callable[[int, int], None]:
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.label, unit=self.unit, disable=None)
        self.bar.update(done - self.bar.n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.runtime import open_advisor

    answer = open_advisor(settings).ask(args.question, k=args.k, mode=args.mode, guide=args.guide)
    if args.json:
        from advisor.schemas import answer_out

        print(json.dumps(answer_out(answer).model_dump(), indent=2, ensure_ascii=False))
        return 0
    for typed, meant in answer.corrections:
        print(f"(read “{typed}” as “{meant}”)")
    if not answer.answered:
        why = f"The guide does not cover the role “{answer.other_role}”." if answer.other_role else ""
        print(why or "The guide does not seem to cover that.", end="")
        print(" Closest sections:\n" if answer.results else "")
    for number, hit in enumerate(answer.results, start=1):
        _print_hit(f"{number}.", hit)
    for hit in answer.next_steps:
        _print_hit("Next:", hit)
    return 0


def _print_hit(label: str, hit: Any) -> None:
    """Breadcrumb, link, and the sentences that answer (else the best window), shortened."""
    shown = " ".join(h.text for h in hit.highlights) or hit.passage.text[hit.window[0] : hit.window[1]]
    shown = " ".join(shown.split())
    print(f"{label} {' › '.join(hit.passage.breadcrumb)}")
    print(f"   {hit.passage.url}" + (f"  ({hit.reason})" if hit.reason else ""))
    print(f"   {shown[:240]}{'…' if len(shown) > 240 else ''}\n")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from advisor import runtime

    state = runtime.index_state(settings)
    if state != "current":
        print(f"{state}: building the index first", file=sys.stderr)
        cmd_build(argparse.Namespace(if_stale=False), settings)
    chosen = {"host": args.host, "port": args.port, "workers": args.workers}
    settings = settings.model_copy(update={k: v for k, v in chosen.items() if v is not None})
    # Each worker builds its app from the environment, so hand it what the command line changed.
    os.environ.update(
        ADVISOR_CORPUS_DIR=str(settings.corpus_dir),
        ADVISOR_INDEX_DIR=str(settings.index_dir),
        ADVISOR_WORKERS=str(settings.workers),
    )
    from advisor.serving import HttpProtocol
    from advisor.settings import get_settings

    get_settings.cache_clear()  # a worker in this process reads them again too
    # Client addresses come from X-Forwarded-For only behind ADVISOR_TRUSTED_PROXIES (the app decides).
    uvicorn.run(
        "advisor.api:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        proxy_headers=False,
        http=HttpProtocol,
    )
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.bench.run import run_bench

    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"bench [{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    report = run_bench(
        settings,
        quick=args.quick,
        out_dir=args.out,
        port=args.port,
        workers=args.workers,
        questions_file=args.questions,
        scifact_dir=args.scifact,
        progress=progress,
        sizes=tuple(args.sizes) if args.sizes else None,
        skip=tuple(args.skip),
    )
    print(report.with_suffix(".md").read_text())
    print(f"wrote {report}, {report.with_suffix('.md')}")
    return 0


SKIPPABLE = ("peers", "scifact", "scale")  # the long stages of `advisor bench`


def cmd_insights(args: argparse.Namespace, settings: Settings) -> int:
    from advisor import runtime
    from advisor.errors import StoreError

    store = runtime.open_store(settings)
    if not store.exists():
        raise StoreError(f"no insights recorded yet in {store.where}; they start with `advisor serve`")
    if args.insights_command == "candidates":
        return _candidates(args, settings, store)
    from advisor.insights import report
    from advisor.insights_text import format_report

    found = report(store, days=args.since, now=int(time.time()), sections=_sections(settings))
    print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False) if args.json else format_report(found))
    return 0


def _sections(settings: Settings) -> list[str] | None:
    """Every section the index can return, or None without an index."""
    from advisor.index import load_index

    try:
        return [p.key for p in load_index(settings.index_dir).passages]
    except AdvisorError:
        return None


def _candidates(args: argparse.Namespace, settings: Settings, store: Any) -> int:
    from advisor.candidates import REASONS, gather, known_questions, write_candidates
    from advisor.runtime import open_advisor

    found = gather(store, since=int(time.time()) - args.since * 86400)
    skip = known_questions(args.skip_known)
    written = write_candidates(open_advisor(settings), found, args.out, skip=skip)
    kinds = ", ".join(f"{sum(c.why == why for c in written)} {why}" for why in REASONS)
    print(f"wrote {len(written)} eval candidates ({kinds}) to {args.out}")
    print('label each one (its "relevant" sections are only suggestions), then set "reviewed": true')
    return 0


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 3650:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days from 1 to 3650")
    return int(text)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    import tempfile

    from advisor.evaluate import depth

    if args.compare:
        return _compare(args)
    if args.beir is None:
        advisor, questions = _guide_questions(args, settings, depth(args.k))
        return _evaluate(args, advisor, questions, name=args.questions.stem, source=str(args.questions))
    with tempfile.TemporaryDirectory(prefix="advisor-beir-") as scratch:  # an index kept only with --index
        advisor, questions, name = _beir(args, settings, depth(args.k), args.index or Path(scratch))
        # the benchmark's licence: no query texts in reports
        return _evaluate(args, advisor, questions, name=name, source=str(args.beir), with_text=False)


def _evaluate(
    args: argparse.Namespace,
    advisor: Any,
    questions: list[Any],
    *,
    name: str,
    source: str,
    with_text: bool = True,
) -> int:
    from advisor.evaluate import run_questions
    from advisor.report import report_document

    questions = [q for q in questions if args.split in ("all", q.split)]
    if not questions:
        print(f"advisor: error: {source} has no {args.split} questions", file=sys.stderr)
        return 1
    runs = {}
    for mode in MODES if args.mode == "all" else (args.mode,):
        with _Progress(f"eval {mode}", unit="question") as progress:
            runs[mode] = run_questions(advisor, questions, mode=mode, ks=args.k, progress=progress)
    doc = report_document(
        runs,
        dataset=name,
        source=source,
        split=args.split,
        ks=args.k,
        index=_index_info(advisor),
        with_text=with_text,
    )
    _write_reports(
        doc, args.out or Path("eval/reports"), name if args.split == "all" else f"{name}-{args.split}"
    )
    return _print_report(doc, as_json=args.json)


def cmd_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.calibration import Sample, candidates, describe, rates
    from advisor.evaluate import run_questions

    advisor, questions = _guide_questions(args, settings, 1)
    with _Progress("calibrate", unit="question") as progress:
        results = run_questions(advisor, questions, mode="hybrid", ks=[1], progress=progress)
    chosen = [Sample(r.evidence, r.question.answerable) for r in results if r.question.split == args.split]
    rest = [Sample(r.evidence, r.question.answerable) for r in results if r.question.split != args.split]
    off = sum(not s.answerable for s in chosen)
    if off == 0 or off == len(chosen):
        print(
            f"advisor: error: {args.questions} needs both off-topic and on-topic {args.split} questions",
            file=sys.stderr,
        )
        return 1
    ordered = candidates(chosen, max_on_topic=args.max_on_topic)
    held_out = rates(rest, ordered[0].thresholds) if ordered and rest else None
    print(describe(ordered, split=args.split, held_out=held_out, counts=(off, len(chosen) - off)), end="")
    return 0 if ordered else 1


def _guide_questions(args: argparse.Namespace, settings: Settings, k: int) -> tuple[Any, list[Any]]:
    from advisor.questions import load_questions
    from advisor.runtime import open_advisor

    advisor = open_advisor(settings.model_copy(update={"max_k": max(settings.max_k, k)}))
    known = {p.key for p in advisor.index.passages}
    return advisor, load_questions(args.questions, known=known)


def _beir(
    args: argparse.Namespace, settings: Settings, k: int, index_dir: Path
) -> tuple[Any, list[Any], str]:
    from advisor import runtime
    from advisor.beir import load_beir

    dataset = load_beir(args.beir)
    with _Progress(f"embedding {dataset.name}") as progress:
        advisor = runtime.beir_advisor(settings, dataset, index_dir, max_k=k, progress=progress)
    return advisor, list(dataset.questions), dataset.name


def _index_info(advisor: Any) -> dict[str, Any]:
    manifest = advisor.index.manifest
    return {
        "version": manifest.version,
        "model": manifest.model,
        "passages": manifest.passages,
        "windows": manifest.windows,
        "window_tokens": manifest.window_tokens,
        "candidates": advisor.retriever.candidates,
        "rrf_k": advisor.retriever.rrf_k,
        "fusion": advisor.retriever.fusion,
    }


def _write_reports(doc: dict[str, Any], out: Path, stem: str) -> None:
    from advisor.report import dumps, markdown_report, recall_plot

    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.json").write_text(dumps(doc))
    recall_plot(doc, out / f"{stem}.svg")
    (out / f"{stem}.md").write_text(markdown_report(doc, plot_name=f"{stem}.svg"))
    print(f"reports: {out / stem}.json, .md, .svg", file=sys.stderr)


def _print_report(doc: dict[str, Any], *, as_json: bool) -> int:
    from advisor.report import heading, text_table

    if as_json:
        print(json.dumps(doc, indent=1, ensure_ascii=False))
    else:
        print(heading(doc) + "\n")
        print(text_table(doc))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from advisor.compare import compare, comparison_markdown, load_report

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


def _ks(text: str) -> list[int]:
    """--k: cut-offs such as 1,3,5,10."""
    try:
        ks = sorted({int(part) for part in text.split(",")})
    except ValueError:
        raise argparse.ArgumentTypeError(
            "expected whole numbers separated by commas, e.g. 1,3,5,10"
        ) from None
    if ks[0] < 1 or ks[-1] > 100:
        raise argparse.ArgumentTypeError("each k must be between 1 and 100")
    return ks


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share from 0 to 1")
    return value


def _questions_option(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument(
        "--questions",
        type=Path,
        default=Path("eval/questions.jsonl"),
        help=f"{what} (default eval/questions.jsonl)",
    )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="advisor", description="Cited answers from career guides.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func: Command, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--corpus", type=Path, help="guides folder (default: settings)")
        p.add_argument("--index", type=Path, help="index folder (default: settings)")
        p.set_defaults(func=func)
        return p

    build = command("build", cmd_build, "build the index of the guides")
    build.add_argument("--if-stale", action="store_true", help="only when missing or stale")
    ask = command("ask", cmd_ask, "answer a question with cited passages")
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=None, help="number of results (1-20)")
    ask.add_argument("--mode", choices=MODES, default="hybrid")
    ask.add_argument("--guide", help="only search this guide")
    ask.add_argument("--json", action="store_true", help="print the API's JSON answer")
    serve = command("serve", cmd_serve, "serve the API and pages over HTTP")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument("--workers", type=int, help="server processes (default 1)")
    insights = command("insights", cmd_insights, "what visitors asked, and what the guide failed to answer")
    insights.add_argument("--since", type=_days, default=30, metavar="DAYS", help="days to look back (30)")
    insights.add_argument("--json", action="store_true", help="print the report as JSON")
    what = insights.add_subparsers(dest="insights_command", metavar="[candidates]")
    candidates = what.add_parser(
        "candidates",
        help="export failed questions as unreviewed eval questions",
        description="Write unanswered, voted-down and unclicked questions as eval questions (JSONL).",
    )
    candidates.add_argument("--out", type=Path, required=True, help="the JSONL file to write")
    candidates.add_argument(
        "--since", type=_days, default=argparse.SUPPRESS, metavar="DAYS", help="days to look back (30)"
    )
    candidates.add_argument(
        "--skip-known",
        type=Path,
        default=Path("eval/questions.jsonl"),
        metavar="FILE",
        help="leave out questions already in this eval file (default eval/questions.jsonl)",
    )
    ev = command("eval", cmd_eval, "measure how well retrieval finds the sections that answer questions")
    _questions_option(ev, "labelled questions")
    ev.add_argument("--mode", choices=(*MODES, "all"), default="all", help="retrieval mode(s) (default all)")
    ev.add_argument("--k", type=_ks, default=[1, 3, 5, 10], help="cut-offs of hit@k and recall@k (1,3,5,10)")
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
    cal = command("calibrate", cmd_calibrate, 'choose the thresholds of the honest "no good answer"')
    _questions_option(cal, "labelled questions, off-topic ones included")
    cal.add_argument(
        "--split", choices=("dev", "test"), default="dev", help="questions to choose on (default dev)"
    )
    cal.add_argument(
        "--max-on-topic",
        type=_share,
        default=0.02,
        metavar="SHARE",
        help="most on-topic questions that may abstain (default 0.02)",
    )
    bench = command("bench", cmd_bench, "measure latency, throughput, start-up, memory and scale")
    bench.add_argument("--quick", action="store_true", help="a tiny run in seconds (what `make test` checks)")
    bench.add_argument("--out", type=Path, default=Path("eval/reports"), help="report folder")
    bench.add_argument("--port", type=int, help="port for the servers it starts (default: a free one)")
    bench.add_argument("--workers", type=int, default=2, help="server workers under load (default 2)")
    bench.add_argument(
        "--sizes", type=int, nargs="+", help="scale curve sizes (default: 10000 100000 1000000)"
    )
    bench.add_argument("--skip", nargs="+", default=[], choices=SKIPPABLE, help="leave these stages out")
    _questions_option(bench, "labelled questions, when present")
    bench.add_argument(
        "--scifact",
        type=Path,
        default=Path("../shared/beir/scifact"),
        help="BEIR SciFact folder for the build figures (default: ../shared/beir/scifact)",
    )
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from pydantic import ValidationError  # after parsing: `advisor --help` needs no pydantic

    try:
        return int(args.func(args, _settings(args)))
    except AdvisorError as exc:
        print(f"advisor: error: {exc.message}", file=sys.stderr)
        return 1
    except ValidationError as exc:  # a malformed ADVISOR_* environment variable
        first = exc.errors()[0]
        name = f"ADVISOR_{str(first['loc'][0]).upper()}" if first["loc"] else "settings"
        print(f"advisor: error: {name}: {first['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
