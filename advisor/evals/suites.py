"""Evals: the question sets `advisor eval` runs by default, each over its own guides, side by side.

`eval/suites.toml` names them. Real questions (asked in public, with their source) are the yardstick;
written ones are reported beside them. A suite's guides are copied into one folder under the index
folder and indexed there, rebuilt only when they change. A question is asked without the confirmed
questions of its own source (evals/leave_out.py).
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from advisor.answer.advisor import Advisor
from advisor.errors import EvalDataError
from advisor.evals.baseline import PLAIN, PlainDense
from advisor.evals.compare import bootstrap_interval
from advisor.evals.evaluate import QuestionResult, run_questions
from advisor.evals.leave_out import LeaveSourceOut
from advisor.evals.questions import EvalQuestion, load_questions
from advisor.evals.report import report_document
from advisor.evals.run import index_info, write_reports
from advisor.guides.sections import CORPUS_DATA, guide_files
from advisor.search.modes import MODES


@dataclass(frozen=True)
class Suite:
    name: str
    questions: Path
    guides: tuple[Path, ...]  # folders of guides, indexed together
    about: str


def load_suites(path: Path) -> list[Suite]:
    """The suites of a suites file, in its order; EvalDataError naming what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalDataError(f"{path}: suites file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise EvalDataError(f"{path}: cannot be read ({exc})") from exc
    suites = []
    for name, table in data.items():
        if not isinstance(table, dict) or not {"questions", "guides"} <= table.keys():
            raise EvalDataError(f"{path}: suite {name!r} needs 'questions' and 'guides'")
        base = path.parent
        suites.append(
            Suite(
                name=name,
                questions=base / table["questions"],
                guides=tuple(base / folder for folder in table["guides"]),
                about=str(table.get("about", "")),
            )
        )
    if not suites:
        raise EvalDataError(f"{path}: no suites")
    return suites


def suite_corpus(suite: Suite, folder: Path) -> Path:
    """One corpus folder holding every guide of the suite (and the first folder's synonym table),
    rewritten only where a file changed, so that the index over it stays current."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, Path] = {}
    for source in suite.guides:
        for path in guide_files(source):
            if path.name in wanted:
                raise EvalDataError(f"suite {suite.name!r}: two guides named {path.name}")
            wanted[path.name] = path
    for name in CORPUS_DATA:
        if (suite.guides[0] / name).is_file():
            wanted[name] = suite.guides[0] / name
    for stale in folder.iterdir():
        if stale.name not in wanted:
            stale.unlink()
    for name, path in wanted.items():
        target = folder / name
        if not target.is_file() or target.read_bytes() != path.read_bytes():
            shutil.copyfile(path, target)
    return folder


# ---------------------------------------------------------------- figures side by side

# (figure, kinds it is taken over, what one question contributes): the figures the issues set targets on
FIGURES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("topic hit@1", ("topic",), "hit@1"),
    ("topic hit@3", ("topic",), "hit@3"),
    ("typo hit@1", ("typo",), "hit@1"),
    ("roadmap next@3", ("roadmap",), "next"),
    ("roadmap hit@3", ("roadmap",), "hit@3"),
    ("off-topic abstained", ("offtopic",), "abstained"),
    ("on-topic abstained", ("topic", "typo", "roadmap"), "abstained"),
)
RESAMPLES = 2000


@dataclass(frozen=True)
class Figure:
    name: str
    mean: float | None
    low: float | None  # 95% bootstrap interval of the mean
    high: float | None
    n: int

    def text(self) -> str:
        if self.mean is None or self.low is None or self.high is None:
            return "–"
        return f"{self.mean:.2f} [{self.low:.2f}, {self.high:.2f}] n={self.n}"


def figures(results: Sequence[QuestionResult]) -> list[Figure]:
    """Each figure of FIGURES over the results, with its 95% bootstrap interval."""
    out = []
    for name, kinds, what in FIGURES:
        values = [v for r in results if r.question.kind in kinds and (v := figure_value(r, what)) is not None]
        if not values:
            out.append(Figure(name, None, None, None, 0))
            continue
        array = np.array(values, dtype=np.float64)
        low, high = bootstrap_interval(array, resamples=RESAMPLES, seed=0)
        out.append(Figure(name, float(array.mean()), low, high, len(values)))
    return out


def figure_value(result: QuestionResult, what: str) -> float | None:
    if what == "abstained":
        return float(not result.answered)
    if what == "next":
        return None if result.next_found is None else float(result.next_found)
    return result.metrics.get(what)


def guide_of(question: EvalQuestion) -> str | None:
    """The guide a question is about: that of its labelled sections (None for an off-topic one)."""
    guides = {key.split("/", 1)[0] for key in question.relevant}
    return next(iter(guides)) if len(guides) == 1 else None


def columns(results: Sequence[QuestionResult]) -> dict[str, list[QuestionResult]]:
    """The groups a suite's figures are shown for: all, then real and written where both occur."""
    cols = {"all": list(results)}
    real = [r for r in results if r.question.real]
    if real and len(real) < len(results):
        cols["real"] = real
        cols["written"] = [r for r in results if not r.question.real]
    return cols


def side_by_side(runs: Mapping[str, Mapping[str, Sequence[QuestionResult]]]) -> str:
    """A Markdown table: one row a figure, one column a suite (and its real/written parts) and mode."""
    heads, cells = [], []
    for suite, modes in runs.items():
        for mode, results in modes.items():
            for part, members in columns(results).items():
                heads.append(f"{suite}{'' if part == 'all' else ' ' + part} · {mode}")
                cells.append([f.text() for f in figures(members)])
    lines = ["| figure | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    for row, (name, _, _) in enumerate(FIGURES):
        lines.append(f"| {name} | " + " | ".join(col[row] for col in cells) + " |")
    return "\n".join(lines) + "\n"


def per_guide(results: Sequence[QuestionResult]) -> str:
    """A Markdown table of the figures for each guide the questions are about (off-topic ones apart)."""
    by_guide: dict[str, list[QuestionResult]] = {}
    for result in results:
        by_guide.setdefault(guide_of(result.question) or "(off-topic)", []).append(result)
    heads = sorted(by_guide)
    cells = [[f.text() for f in figures(by_guide[g])] for g in heads]
    lines = ["| figure | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    for row, (name, _, _) in enumerate(FIGURES):
        lines.append(f"| {name} | " + " | ".join(col[row] for col in cells) + " |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- running

Progress = Callable[[str], Any]  # label -> a context manager yielding a (done, total) callback


def run_suites(
    suites: Sequence[Suite],
    advisor_of: Callable[[Suite], Advisor],
    *,
    every_mode: bool,
    ks: list[int],
    split: str,
    out: Path,
    progress: Progress,
) -> str:
    """Each suite asked in hybrid mode and by plain dense retrieval (every mode with `every_mode`);
    a report written per suite, and the figures side by side (returned, and written as suites.md)."""
    modes = (*MODES, PLAIN) if every_mode else ("hybrid", PLAIN)
    runs: dict[str, dict[str, list[QuestionResult]]] = {}
    parts = []
    for suite in suites:
        advisor = advisor_of(suite)
        known = {p.key for p in advisor.index.passages}
        questions = [q for q in load_questions(suite.questions, known=known) if split in ("all", q.split)]
        runs[suite.name] = {}
        for mode in modes:
            asker = PlainDense(advisor) if mode == PLAIN else LeaveSourceOut(advisor)
            with progress(f"{suite.name} {mode}") as step:
                runs[suite.name][mode] = run_questions(asker, questions, mode=mode, ks=ks, progress=step)
        doc = report_document(
            runs[suite.name], dataset=suite.name, source=str(suite.questions), split=split, ks=ks,
            index=index_info(advisor),
        )  # fmt: skip
        write_reports(doc, out, suite.name if split == "all" else f"{suite.name}-{split}")
        if len({guide_of(q) for q in questions} - {None}) > 1:
            table = per_guide(runs[suite.name]["hybrid"])
            parts.append(f"### {suite.name}, each guide ({split})\n\n{table}")
    text = f"## Suites side by side ({split} questions)\n\n{side_by_side(runs)}\n" + "\n".join(parts)
    (out / ("suites.md" if split == "all" else f"suites-{split}.md")).write_text(text)
    return text
