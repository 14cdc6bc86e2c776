"""CLI: `advisor build | ask | serve | eval | calibrate | insights | bench`, one module a command, each a
few lines over the library: parse, call, print. Bad input is one line on stderr and exit code 1."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from advisor.cli import ask, bench, build, evaluate, insights, serve
from advisor.cli.common import Command, settings_of
from advisor.errors import AdvisorError

COMMANDS = (build, ask, serve, insights, evaluate, bench)  # in the order `advisor --help` lists them


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="advisor", description="Cited answers from career guides.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func: Command, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--corpus", type=Path, help="guides folder (default: settings)")
        p.add_argument("--index", type=Path, help="index folder (default: settings)")
        p.set_defaults(func=func)
        return p

    for module in COMMANDS:
        module.add(command)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from pydantic import ValidationError  # after parsing: `advisor --help` needs no pydantic

    try:
        return int(args.func(args, settings_of(args)))
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
