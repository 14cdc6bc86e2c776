"""`advisor eval` in-process on the tiny guides and a tiny BEIR folder, with the fake embedder."""

import json
from pathlib import Path

import pytest

from advisor import cli
from advisor.errors import EvalDataError
from advisor.evals.beir import load_beir

FIXTURES = Path(__file__).parent / "fixtures"
QUESTIONS = str(FIXTURES / "questions.jsonl")


@pytest.fixture
def built(fake_env: Path, tmp_path: Path) -> Path:
    """Settings on the tiny corpus with the fake embedder, and its index built."""
    assert cli.main(["build"]) == 0
    return tmp_path


def test_eval_all_modes_prints_them_side_by_side_and_writes_reports(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = built / "reports"
    assert cli.main(["eval", "--questions", QUESTIONS, "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if line.split() == ["hybrid", "dense", "bm25"])
    assert header and any(line.split()[:3] == ["all", "questions", "6"] for line in lines)
    assert any(line.split()[:1] == ["hit@1"] for line in lines)
    doc = json.loads((out / "questions.json").read_text())
    assert set(doc["modes"]) == {"hybrid", "dense", "bm25"}
    pasta = next(q for q in doc["modes"]["hybrid"]["questions"] if q["id"] == "t1")
    assert pasta["first_relevant"] == 1 and pasta["ranking"][0] == "cooking/step-2-boiling-pasta"
    assert "| all | hit@1 |" in (out / "questions.md").read_text()
    assert (out / "questions.svg").read_text().lstrip().startswith("<?xml")


def test_eval_one_mode_one_split_as_json(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    argv = ["eval", "--questions", QUESTIONS, "--mode", "bm25", "--split", "test", "--k", "2,1", "--json"]
    assert cli.main([*argv, "--out", str(built / "r")]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc["modes"]) == ["bm25"] and doc["ks"] == [1, 2]
    assert {q["id"] for q in doc["modes"]["bm25"]["questions"]} == {"t2", "o1"}
    assert (built / "r" / "questions-test.json").is_file()


def test_compare_two_reports(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for mode in ("bm25", "hybrid"):
        cli.main(["eval", "--questions", QUESTIONS, "--mode", mode, "--out", str(built / mode)])
    capsys.readouterr()
    old, new = str(built / "bm25/questions.json"), str(built / "hybrid/questions.json")
    assert cli.main(["eval", "--compare", old, new, "--out", str(built / "cmp")]) == 0
    text = capsys.readouterr().out
    assert "## bm25 → hybrid: 6 questions in both" in text and "| mrr@10 |" in text and "95% interval" in text
    assert json.loads((built / "cmp/compare-questions.json").read_text())[0]["questions"] == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"id": "a", "question": "q", "kind": "topic", "relevant": ["cooking/nope"]}',
            ":1: unknown section",
        ),
        (
            '{"id": "a", "question": "q", "kind": "topic", "relevant": ["cooking/faq-1"], "x": 1}',
            ":1: unknown field",
        ),
        ("id,question\n", ":1: not JSON"),
    ],
)
def test_bad_question_file_is_one_line_naming_file_and_line(
    built: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = built / "bad.jsonl"
    path.write_text(content + "\n")
    capsys.readouterr()
    assert cli.main(["eval", "--questions", str(path), "--out", str(built / "r")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}{message}" in err and "Traceback" not in err


def test_bad_k_and_bad_report_files(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["eval", "--k", "1,x"])
    assert exit_.value.code == 2 and "separated by commas" in capsys.readouterr().err
    (built / "x.json").write_text("{}")
    assert cli.main(["eval", "--compare", str(built / "x.json"), str(built / "nope.json")]) == 1
    assert "x.json: not an eval report" in capsys.readouterr().err


def test_calibrate_prints_the_settings_that_separate_the_questions(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (FIXTURES / "questions.jsonl").read_text().splitlines()
    extra = [
        {"id": "o2", "question": "who won the football match", "kind": "offtopic", "split": "dev"},
        {"id": "o3", "question": "stock market opening hours", "kind": "offtopic", "split": "dev"},
    ]
    path = built / "questions.jsonl"
    path.write_text("\n".join(lines + [json.dumps({**q, "relevant": []}) for q in extra]) + "\n")
    capsys.readouterr()
    assert cli.main(["calibrate", "--questions", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("calibrated on 6 dev questions (2 off-topic, 4 on-topic)\n")
    dense = float(next(x for x in out.split() if x.startswith("ADVISOR_ANSWER_MIN_DENSE=")).split("=")[1])
    coverage = float(
        next(x for x in out.split() if x.startswith("ADVISOR_ANSWER_MIN_COVERAGE=")).split("=")[1]
    )
    # the chosen pair, set as settings, answers the dev questions and abstains on the off-topic ones
    table = out.split("\n\n")[1].splitlines()
    assert table[1].split() == [f"{dense:.2f}", f"{coverage:.2f}", "100.0%", "0.0%"]
    assert "the test questions (held out) with the first choice" in out  # t2 and o1 are test questions


def test_calibrate_needs_both_kinds_of_question(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli.main(["calibrate", "--questions", QUESTIONS]) == 1  # its dev split has no off-topic question
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs both off-topic and on-topic dev questions" in err
    with pytest.raises(SystemExit) as exit_:
        cli.main(["calibrate", "--max-on-topic", "5"])
    assert exit_.value.code == 2 and "not a share from 0 to 1" in capsys.readouterr().err


# ---------------------------------------------------------------- BEIR


@pytest.fixture
def beir(tmp_path: Path) -> Path:
    folder = tmp_path / "tinybeir"
    (folder / "qrels").mkdir(parents=True)
    docs = [
        ("d1", "Boiling pasta", "Bring salted water to a rolling boil and cook the pasta until al dente."),
        ("d2", "Baking bread", "Knead the dough with flour, water and yeast, then bake it in a hot oven."),
        ("d3", "Watering tomatoes", "Water tomatoes deeply twice a week, early in the morning."),
        ("d4", "Compost", ""),
    ]
    (folder / "corpus.jsonl").write_text(
        "".join(json.dumps({"_id": i, "title": t, "text": x}) + "\n" for i, t, x in docs)
    )
    queries = [("q1", "how long to cook pasta"), ("q2", "when to water tomatoes"), ("q3", "unjudged")]
    (folder / "queries.jsonl").write_text(
        "".join(json.dumps({"_id": i, "text": t}) + "\n" for i, t in queries)
    )
    (folder / "qrels/test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t2\nq2\td1\t0\n")
    return folder


def test_beir_folder_becomes_one_guide_and_judged_questions(beir: Path) -> None:
    data = load_beir(beir)
    assert data.name == "tinybeir" and [p.anchor for p in data.guide.passages] == ["d1", "d2", "d3", "d4"]
    assert data.guide.passages[3].text == "Compost"  # no abstract: the title stands in
    assert [q.id for q in data.questions] == ["q1", "q2"]
    assert data.questions[1].relevant == {"tinybeir/d3": 2, "tinybeir/d1": 0}


def test_eval_beir_reports_the_same_metrics_and_reuses_its_index(
    built: Path, beir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = built / "beir-index"
    argv = ["eval", "--beir", str(beir), "--index", str(index), "--out", str(built / "r"), "--mode", "bm25"]
    assert cli.main(argv) == 0
    assert "2 questions" in capsys.readouterr().out
    doc = json.loads((built / "r/tinybeir.json").read_text())
    q1 = doc["modes"]["bm25"]["questions"][0]
    assert q1["ranking"][0] == "tinybeir/d1" and "question" not in q1  # no dataset text in reports
    assert doc["index"]["window_tokens"] == 0  # documents embedded whole, as published
    version = (index / "current").resolve()
    assert cli.main(argv) == 0 and (index / "current").resolve() == version


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda f: (f / "qrels/test.tsv").unlink(), "qrels/test.tsv: not found"),
        (lambda f: (f / "corpus.jsonl").unlink(), "corpus.jsonl: not found"),
        (lambda f: (f / "corpus.jsonl").write_text('{"_id": "d1"}\nnope\n'), "corpus.jsonl:2: not JSON"),
        (lambda f: (f / "qrels/test.tsv").write_text("q1\td1\n"), "test.tsv:1: expected"),
        (lambda f: (f / "qrels/test.tsv").write_text("q9\td1\t1\n"), "test.tsv:1: query 'q9'"),
    ],
)
def test_bad_beir_folder_is_one_clear_line(
    built: Path, beir: Path, capsys: pytest.CaptureFixture[str], break_it, message: str
) -> None:  # type: ignore[no-untyped-def]
    break_it(beir)
    with pytest.raises(EvalDataError, match=message):
        load_beir(beir)
    capsys.readouterr()
    assert cli.main(["eval", "--beir", str(beir), "--index", str(built / "bi")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_eval_beir_without_index_leaves_no_folder_behind(
    built: Path, beir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tempfile

    scratch = built / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    assert cli.main(["eval", "--beir", str(beir), "--mode", "dense", "--out", str(built / "r")]) == 0
    assert "ndcg@10" in capsys.readouterr().out
    assert list(scratch.iterdir()) == []
