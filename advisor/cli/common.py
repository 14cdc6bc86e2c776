"""CLI: what the commands share: settings with the command line's overrides, a progress bar, option types."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # settings (pydantic) and the core (numpy ...) load after parsing: --help stays fast
    from advisor.settings import Settings

Command = Callable[[argparse.Namespace, "Settings"], int]
Add = Callable[[str, Command, str], argparse.ArgumentParser]


def settings_of(args: argparse.Namespace) -> Settings:
    from advisor.settings import get_settings

    overrides = {
        name: value
        for name, value in (("corpus_dir", args.corpus), ("index_dir", args.index))
        if value is not None
    }
    return get_settings().model_copy(update=overrides)


class Progress:
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


def days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 3650:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days from 1 to 3650")
    return int(text)


def ks(text: str) -> list[int]:
    """--k: cut-offs such as 1,3,5,10."""
    try:
        found = sorted({int(part) for part in text.split(",")})
    except ValueError:
        raise argparse.ArgumentTypeError(
            "expected whole numbers separated by commas, e.g. 1,3,5,10"
        ) from None
    if found[0] < 1 or found[-1] > 100:
        raise argparse.ArgumentTypeError("each k must be between 1 and 100")
    return found


def share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share from 0 to 1")
    return value


def questions_option(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument(
        "--questions",
        type=Path,
        default=Path("eval/questions.jsonl"),
        help=f"{what} (default eval/questions.jsonl)",
    )
