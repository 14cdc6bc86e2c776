"""Eval suites: real questions with their source, each set over its own guides, figures with intervals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.errors import EvalDataError
from advisor.evals.questions import load_questions
from advisor.evals.suites import Figure, figures, guide_of, load_suites, suite_corpus

ROOT = Path(__file__).resolve().parent.parent


def test_the_shipped_suites_put_real_questions_first_and_every_real_question_has_its_source() -> None:
    suites = load_suites(ROOT / "eval" / "suites.toml")
    assert [s.name for s in suites] == ["real", "guides", "written"]
    real = load_questions(suites[0].questions)
    assert len(real) >= 200 and all(q.real and q.source.startswith("http") for q in real)  # type: ignore[union-attr]
    assert sum(q.kind == "offtopic" for q in real) >= len(real) / 4  # a good share the guide does not answer
    others = load_questions(suites[1].questions)
    assert {guide_of(q) for q in others} >= {"data-analyst", "ux-designer", "registered-nurse"}
    everything = real + others
    assert sum(q.real for q in everything) >= 250


def test_real_questions_are_split_by_source_not_by_question() -> None:
    for name in ("real/backend-engineer.jsonl", "guides/questions.jsonl"):
        splits: dict[str, set[str]] = {}
        for q in load_questions(ROOT / "eval" / name):
            if q.source:
                splits.setdefault(q.source, set()).add(q.split)
        assert all(len(s) == 1 for s in splits.values()), name


def test_a_source_must_be_a_url(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    line = {"id": "a", "question": "q", "kind": "offtopic", "relevant": [], "source": "a forum somewhere"}
    path.write_text(json.dumps(line) + "\n")
    with pytest.raises(EvalDataError, match="source"):
        load_questions(path)


def test_a_suite_file_names_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "suites.toml"
    path.write_text('[real]\nquestions = "q.jsonl"\n')
    with pytest.raises(EvalDataError, match="needs 'questions' and 'guides'"):
        load_suites(path)
    with pytest.raises(EvalDataError, match="not found"):
        load_suites(tmp_path / "missing.toml")


def test_a_suite_corpus_holds_its_guides_and_follows_their_changes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "one.md").write_text("# One\n\ntext\n")
    (first / "synonyms.toml").write_text('"k8s" = "kubernetes"\n')
    (second / "two.md").write_text("# Two\n\ntext\n")
    (second / "three.md").write_text("# Three\n\ntext\n")
    (tmp_path / "s.toml").write_text('[x]\nquestions = "q.jsonl"\nguides = ["a", "b"]\n')
    (suite,) = load_suites(tmp_path / "s.toml")
    corpus = suite_corpus(suite, tmp_path / "corpus")
    assert sorted(p.name for p in corpus.iterdir()) == ["one.md", "synonyms.toml", "three.md", "two.md"]
    (second / "two.md").unlink()
    (first / "one.md").write_text("# One\n\nnew text\n")
    suite_corpus(suite, corpus)
    assert sorted(p.name for p in corpus.iterdir()) == ["one.md", "synonyms.toml", "three.md"]
    assert "new text" in (corpus / "one.md").read_text()


def test_figures_carry_their_interval_and_count() -> None:
    from advisor.answer.confidence import Evidence
    from advisor.evals.evaluate import QuestionResult
    from advisor.evals.questions import EvalQuestion

    def result(kind: str, hit: float, answered: bool) -> QuestionResult:
        relevant = {} if kind == "offtopic" else {"g/a": 1}
        question = EvalQuestion("x", "q", relevant, kind)
        metrics = {"hit@1": hit, "hit@3": hit} if relevant else {}
        return QuestionResult(question, ("g/a",), (), answered, 0.0, metrics, Evidence(0.5, 1.0))

    results = [result("topic", 1.0, True)] * 3 + [result("topic", 0.0, True), result("offtopic", 0, False)]
    by_name = {f.name: f for f in figures(results)}
    top = by_name["topic hit@1"]
    assert (top.mean, top.n) == (0.75, 4) and top.low is not None and top.low < 0.75 <= top.high  # type: ignore[operator]
    assert by_name["off-topic abstained"].mean == 1.0
    assert by_name["roadmap next@3"] == Figure("roadmap next@3", None, None, None, 0)
