"""Evaluation and comparison on the tiny guides: per-question results, summaries, bootstrap deltas."""

from pathlib import Path

import numpy as np
import pytest

from advisor.answer.advisor import Advisor
from advisor.answer.confidence import Evidence
from advisor.evals.compare import bootstrap_interval, compare
from advisor.evals.evaluate import QuestionResult, run_questions, summarise
from advisor.evals.questions import EvalQuestion, load_questions
from advisor.evals.report import dumps, report_document, text_table

FIXTURES = Path(__file__).parent / "fixtures"
KS = [1, 3]


def result(qid: str, ranking: list[str], relevant: dict, *, answered: bool = True, **kw) -> QuestionResult:  # type: ignore[no-untyped-def]
    from advisor.evals.metrics import question_metrics

    question = EvalQuestion(qid, qid, relevant, kw.pop("kind", "topic"), "dev", tuple(kw.pop("next", ())))
    metrics = question_metrics(ranking, relevant, ks=KS) if question.answerable else {}
    evidence = Evidence(dense=0.5 if answered else 0.1, coverage=1.0 if answered else 0.0)
    next_steps = tuple(kw.pop("next_steps", ()))
    return QuestionResult(question, tuple(ranking), next_steps, answered, 0.01, metrics, evidence)


def test_run_questions_scores_what_the_advisor_returns(tiny_advisor: Advisor) -> None:
    questions = load_questions(
        FIXTURES / "questions.jsonl", known={p.key for p in tiny_advisor.index.passages}
    )
    results = run_questions(tiny_advisor, questions, mode="hybrid", ks=KS)
    by_id = {r.question.id: r for r in results}
    pasta = by_id["t1"]
    assert pasta.ranking[0] == "cooking/step-2-boiling-pasta" and pasta.first_relevant == 1
    assert pasta.metrics["hit@1"] == 1.0 and len(pasta.ranking) == 10  # depth: the MRR/nDCG cut-off
    football = by_id["o1"]  # off-topic: no metrics, and the evidence it abstained on is kept
    assert football.metrics == {} and not football.answered
    assert football.evidence.dense is not None and football.evidence.dense < tiny_advisor.thresholds.dense
    assert all(r.seconds > 0 for r in results)


def test_summary_per_kind_with_abstention_and_next_steps() -> None:
    results = [
        result("a", ["x", "g/a"], {"g/a": 1}),
        result("b", ["g/b"], {"g/b": 2}, kind="typo"),
        result("r", ["g/a", "g/b"], {"g/a": 1, "g/b": 2}, kind="roadmap", next=["g/b"]),
        result("r2", ["g/a", "x", "y", "g/c"], {"g/a": 1, "g/c": 2}, kind="roadmap", next=["g/c"]),
        result("o", ["x"], {}, kind="offtopic", answered=False),
        result("o2", ["x"], {}, kind="offtopic"),
        result("c", [], {"g/c": 1}, answered=False),
    ]
    summary = summarise(results, KS)
    assert list(summary) == ["all", "topic", "roadmap", "typo", "offtopic"]
    overall = summary["all"]
    assert overall["questions"] == 7 and overall["answerable"] == 5
    assert overall["hit@1"] == pytest.approx(3 / 5) and overall["mrr@10"] == pytest.approx(
        (0.5 + 1 + 1 + 1) / 5
    )
    assert overall["next@3"] == 0.5  # r's next section is in the top 3, r2's is 4th
    assert overall["abstain precision"] == 0.5 and overall["abstain recall"] == 0.5
    assert overall["on-topic abstained"] == pytest.approx(1 / 5)
    assert summary["offtopic"]["hit@1"] is None and summary["offtopic"]["abstained"] == 0.5
    assert summary["topic"]["next@3"] is None


def test_next_steps_count_for_roadmap_questions() -> None:
    deep = result("r", ["g/a", "x", "y", "g/c"], {"g/a": 1, "g/c": 2}, kind="roadmap", next=["g/c"])
    shown = result(
        "r", ["g/a", "x", "y", "g/c"], {"g/a": 1, "g/c": 2}, kind="roadmap", next=["g/c"], next_steps=["g/c"]
    )
    assert deep.next_found is False and shown.next_found is True


def test_modes_side_by_side_in_one_table(tiny_advisor: Advisor) -> None:
    questions = load_questions(FIXTURES / "questions.jsonl")
    runs = {mode: run_questions(tiny_advisor, questions, mode=mode, ks=KS) for mode in ("hybrid", "bm25")}
    doc = report_document(runs, dataset="q", source="q.jsonl", split="all", ks=KS, index={"version": "v"})
    lines = text_table(doc).splitlines()
    assert lines[0].split() == ["hybrid", "bm25"]
    assert any(line.split()[:2] == ["all", "questions"] for line in lines)
    assert any(line.split()[:2] == ["offtopic", "questions"] for line in lines)
    assert len(dumps(doc).splitlines()) > 2 * len(questions)  # one line per question and mode


def _doc(results: list[QuestionResult]) -> dict:
    doc = report_document({"hybrid": results}, dataset="q", source="q", split="all", ks=KS, index={})
    return __import__("json").loads(dumps(doc))


def test_compare_lists_better_and_worse_questions_and_deltas() -> None:
    old = _doc(
        [
            result("a", ["x", "g/a"], {"g/a": 1}),
            result("b", ["g/b"], {"g/b": 1}),
            result("o", ["x"], {}),
            result("s", ["g/s"], {"g/s": 1}),  # the same ranking, but no longer answered
        ]
    )
    new = _doc(
        [
            result("a", ["g/a"], {"g/a": 1}),
            result("b", ["x", "y", "z", "g/b"], {"g/b": 1}),
            result("o", ["x"], {}, answered=False),
            result("s", ["g/s"], {"g/s": 1}, answered=False),
        ]
    )
    (c,) = compare(old, new, resamples=500)
    assert [x["id"] for x in c["better"]] == ["a", "o"] and [x["id"] for x in c["worse"]] == ["b", "s"]
    assert c["better"][0]["old"] == "first relevant at 2" and c["better"][1]["new"] == "abstained"
    assert (
        c["worse"][1]["old"] == "first relevant at 1"
        and c["worse"][1]["new"] == "first relevant at 1, abstained"
    )
    deltas = {m["metric"]: m for m in c["metrics"]}
    assert deltas["hit@1"]["delta"] == 0.0 and deltas["mrr@10"]["delta"] == pytest.approx((0.5 - 0.75) / 3)
    assert deltas["abstained (off-topic)"]["new"] == 1.0


def test_bootstrap_interval_is_seeded_and_brackets_the_mean() -> None:
    deltas = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.5, 0.25])
    low, high = bootstrap_interval(deltas, resamples=2000, seed=0)
    assert (low, high) == bootstrap_interval(deltas, resamples=2000, seed=0)
    assert low < deltas.mean() < high
    assert bootstrap_interval(np.ones(20), resamples=200, seed=0) == (1.0, 1.0)
