"""CLI: `advisor build | ask | serve`, each a few lines over the library."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from advisor.errors import AdvisorError
from advisor.settings import Settings, get_settings

Command = Callable[[argparse.Namespace, Settings], int]


def _settings(args: argparse.Namespace) -> Settings:
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

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def __enter__(self) -> Callable[[int, int], None]:
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.label, unit="window", disable=None)
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
    if not answer.results:
        print("The guide has nothing on that.")
    for number, hit in enumerate(answer.results, start=1):
        excerpt = " ".join(hit.passage.text[hit.window[0] : hit.window[1]].split())
        print(f"{number}. {' › '.join(hit.passage.breadcrumb)}")
        print(f"   {hit.passage.url}")
        print(f"   {excerpt[:240]}{'…' if len(excerpt) > 240 else ''}\n")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from advisor import runtime

    state = runtime.index_state(settings)
    if state != "current":
        print(f"{state}: building the index first", file=sys.stderr)
        cmd_build(argparse.Namespace(if_stale=False), settings)
    settings = settings.model_copy(
        update={"host": args.host or settings.host, "port": args.port or settings.port}
    )
    from advisor.api import create_app
    from advisor.serving import HttpProtocol

    # Client addresses come from X-Forwarded-For only behind ADVISOR_TRUSTED_PROXIES (the app decides).
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, proxy_headers=False, http=HttpProtocol)
    return 0


def parser() -> argparse.ArgumentParser:
    from advisor.retrieve import MODES

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
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
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
