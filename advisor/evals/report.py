"""Reports: eval results as one JSON document, a metrics table (text or Markdown) and a recall plot."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from advisor.evals.evaluate import QuestionResult, summarise
from advisor.evals.metrics import CUTOFF

FORMAT = 1
MISSES_SHOWN = 100  # per mode in the Markdown report; the JSON has every question


def report_document(
    runs: Mapping[str, Sequence[QuestionResult]],
    *,
    dataset: str,
    source: str,
    split: str,
    ks: Sequence[int],
    index: Mapping[str, Any],
    with_text: bool = True,
) -> dict[str, Any]:
    """Everything one eval run found, per mode: the summary and every question's result.

    `with_text` False leaves question texts out (a benchmark's licence may forbid copying them).
    """
    return {
        "format": FORMAT,
        "dataset": dataset,
        "source": source,
        "split": split,
        "ks": list(ks),
        "index": dict(index),
        "texts": with_text,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "modes": {
            mode: {
                "summary": summarise(results, ks),
                "questions": [_question_json(r, with_text) for r in results],
            }
            for mode, results in runs.items()
        },
    }


def dumps(doc: Mapping[str, Any]) -> str:
    """The report as JSON with one line per question, so that a diff shows which questions changed."""
    lines: dict[str, str] = {}
    shell = dict(doc, modes={})
    for mode, run in doc["modes"].items():
        marks = []
        for number, question in enumerate(run["questions"]):
            mark = f"@@{mode}/{number}@@"
            lines[json.dumps(mark)] = json.dumps(question, ensure_ascii=False)
            marks.append(mark)
        shell["modes"][mode] = {"summary": run["summary"], "questions": marks}
    text = json.dumps(shell, indent=1, ensure_ascii=False)
    for mark, line in lines.items():
        text = text.replace(mark, line, 1)
    return text + "\n"


def _question_json(result: QuestionResult, with_text: bool) -> dict[str, Any]:
    q = result.question
    return {
        "id": q.id,
        **({"question": q.question} if with_text else {}),
        "kind": q.kind,
        "split": q.split,
        "relevant": dict(q.relevant),
        **({"next": list(q.next)} if q.next else {}),
        **({"source": q.source} if q.source else {}),
        "answered": result.answered,
        "first_relevant": result.first_relevant,
        "first_instead": result.first_instead,
        "ranking": list(result.ranking),
        "next_steps": list(result.next_steps),
        "metrics": result.metrics,
        "latency_ms": round(result.seconds * 1000, 2),
    }


# ---------------------------------------------------------------- tables


def summary_rows(doc: Mapping[str, Any]) -> list[tuple[str, str, list[Any]]]:
    """(group, metric, value per mode) rows of a report, the modes side by side."""
    modes = list(doc["modes"])
    summaries = [doc["modes"][mode]["summary"] for mode in modes]
    ks = doc["ks"]
    kind_metrics = [
        "questions",
        *(f"hit@{k}" for k in ks),
        f"mrr@{CUTOFF}",
        f"ndcg@{CUTOFF}",
        "next@3",
        "abstained",
    ]
    rows = []
    total = summaries[0]["all"]["questions"]
    for group in summaries[0]:
        if group != "all" and summaries[0][group]["questions"] == total:
            continue  # a set of one kind: its rows would repeat "all"
        names = list(summaries[0][group]) if group == "all" else kind_metrics
        for name in names:
            values = [s.get(group, {}).get(name) for s in summaries]
            if name == "answerable" or all(v is None for v in values):
                continue
            rows.append((group, name, values))
    return rows


def format_value(name: str, value: Any) -> str:
    if value is None:
        return "–"
    if name == "questions":
        return str(value)
    if name.startswith("latency"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def text_table(doc: Mapping[str, Any]) -> str:
    """The summary as aligned text for a terminal."""
    modes = list(doc["modes"])
    lines = [["", "", *modes]]
    previous = None
    for group, name, values in summary_rows(doc):
        lines.append([group if group != previous else "", name, *(format_value(name, v) for v in values)])
        previous = group
    widths = [max(len(row[i]) for row in lines) for i in range(len(lines[0]))]
    out = []
    for row in lines:
        left = f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}"
        out.append("  ".join([left, *(f"{cell:>{w}}" for cell, w in zip(row[2:], widths[2:], strict=True))]))
    return "\n".join(line.rstrip() for line in out)


def markdown_table(doc: Mapping[str, Any]) -> str:
    modes = list(doc["modes"])
    lines = [f"| group | metric | {' | '.join(modes)} |", "|---|---|" + "---:|" * len(modes)]
    for group, name, values in summary_rows(doc):
        lines.append(f"| {group} | {name} | {' | '.join(format_value(name, v) for v in values)} |")
    return "\n".join(lines)


def heading(doc: Mapping[str, Any]) -> str:
    """One line saying what was evaluated, on what index."""
    first = next(iter(doc["modes"].values()))
    count = len(first["questions"])
    splits = sorted({q["split"] for q in first["questions"]})
    index = doc["index"]
    return (
        f"{doc['source']}: {count} questions (split {doc['split']}: {', '.join(splits)}), "
        f"index {index.get('version')} of {index.get('passages')} passages, model {index.get('model')}"
    )


# ---------------------------------------------------------------- Markdown report and plot


def markdown_report(doc: Mapping[str, Any], *, plot_name: str | None = None) -> str:
    """A readable report: the summary, the plot, and per mode the questions that missed."""
    parts = [
        f"# Retrieval eval: {doc['dataset']}",
        "",
        f"{heading(doc)}. Created {doc['created']}.",
        "",
        "Ranking metrics (hit@k, recall@k, MRR@10, nDCG@10) average over questions some section answers;"
        " `abstained` is the share answered `false`; off-topic questions should abstain.",
        "",
        markdown_table(doc),
    ]
    if plot_name:
        parts += ["", f"![recall@k and hit@k per mode]({plot_name})"]
    if not doc.get("texts", True):
        return "\n".join([*parts, "", "Per-question results are in the JSON report."]) + "\n"
    for mode, run in doc["modes"].items():
        parts += ["", *_misses(mode, run["questions"])]
    return "\n".join(parts) + "\n"


def _misses(mode: str, questions: Sequence[Mapping[str, Any]]) -> list[str]:
    missed = [q for q in questions if q["metrics"] and q["first_relevant"] != 1]
    wrongly = [q for q in questions if not q["metrics"] and q["answered"]]
    lines = [
        f"## {mode}: {len(missed)} questions whose first result was not relevant",
        "",
        "| id | kind | question | first relevant at | first instead |",
        "|---|---|---|---:|---|",
    ]
    for q in missed[:MISSES_SHOWN]:
        lines.append(
            f"| {q['id']} | {q['kind']} | {_cell(q.get('question', ''))} | "
            f"{q['first_relevant'] or 'not found'} | {q['first_instead'] or ''} |"
        )
    if len(missed) > MISSES_SHOWN:
        lines.append(f"\n{len(missed) - MISSES_SHOWN} more in the JSON report.")
    if wrongly:
        shown = ", ".join(q["id"] for q in wrongly[:MISSES_SHOWN])
        lines += ["", f"Questions no section answers that were still answered ({len(wrongly)}): {shown}"]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def recall_plot(doc: Mapping[str, Any], path: Path) -> None:
    """recall@k (solid) and hit@k (dashed) against k, one colour per mode, as SVG or PNG by suffix."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ks = doc["ks"]
    plt.rcParams["svg.hashsalt"] = "advisor"  # the same figure gives the same file
    fig, ax = plt.subplots(figsize=(6, 4))
    for mode, run in doc["modes"].items():
        overall = run["summary"]["all"]
        line = ax.plot(ks, [overall[f"recall@{k}"] for k in ks], marker="o", label=f"{mode} recall@k")
        colour = line[0].get_color()
        ax.plot(ks, [overall[f"hit@{k}"] for k in ks], linestyle="--", color=colour, label=f"{mode} hit@k")
    title = f"{doc['dataset']}: recall@k and hit@k"
    ax.set(xlabel="k (results shown)", ylabel="share", ylim=(0, 1.02), xticks=ks, title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None} if path.suffix == ".svg" else None)
    plt.close(fig)
