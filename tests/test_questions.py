"""The question file: every problem named by file and line, and the committed set as promised."""

from collections import Counter
from pathlib import Path

import pytest

from advisor.errors import EvalDataError
from advisor.evals.questions import KINDS, load_questions
from advisor.guides.sections import load_corpus

ROOT = Path(__file__).resolve().parent.parent
KNOWN = {"g/a", "g/b"}
GOOD = '{"id": "q1", "question": "x", "kind": "topic", "relevant": ["g/a"]}'


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json at all", "not JSON"),
        ('["a list"]', "expected a JSON object"),
        (
            '{"id": "q2", "question": "x", "kind": "topic", "relevant": ["g/a"], "colour": 1}',
            "unknown field 'colour'",
        ),
        ('{"id": "q2", "question": "x", "relevant": ["g/a"]}', "missing field 'kind'"),
        ('{"id": "q2", "question": "x", "kind": "poem", "relevant": ["g/a"]}', "kind"),
        ('{"id": "q2", "question": "x", "kind": "topic", "relevant": ["g/zz"]}', "unknown section 'g/zz'"),
        ('{"id": "q2", "question": "x", "kind": "topic", "relevant": []}', "'relevant' is empty"),
        ('{"id": "q2", "question": "x", "kind": "offtopic", "relevant": ["g/a"]}', "must be []"),
        ('{"id": "q2", "question": "x", "kind": "topic", "relevant": {"g/a": 0}}', "1 or more"),
        ('{"id": "q2", "question": "x", "kind": "topic", "relevant": ["g/a", "g/a"]}', "listed twice"),
        (
            '{"id": "q2", "question": "x", "kind": "topic", "relevant": ["g/a"], "next": ["g/a"]}',
            "only roadmap",
        ),
        ('{"id": "q2", "question": "x", "kind": "roadmap", "relevant": ["g/a"]}', "'next'"),
        ('{"id": "q2", "question": "x", "kind": "roadmap", "relevant": ["g/a"], "next": ["g/b"]}', "not in"),
        ('{"id": "q2", "question": "", "kind": "topic", "relevant": ["g/a"]}', "question"),
        (GOOD, "duplicate id 'q1' (first on line 1)"),
    ],
)
def test_each_problem_is_named_with_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, GOOD, "", line)
    with pytest.raises(EvalDataError) as error:
        load_questions(path, known=KNOWN)
    assert error.value.message.startswith(f"{path}:3: ")
    assert message in error.value.message


def test_unknown_anchor_suggests_the_closest(tmp_path: Path) -> None:
    path = write(tmp_path, '{"id": "q", "question": "x", "kind": "topic", "relevant": ["g/bb"]}')
    with pytest.raises(EvalDataError, match="did you mean 'g/b'"):
        load_questions(path, known=KNOWN)


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError, match="not found"):
        load_questions(tmp_path / "nope.jsonl")
    with pytest.raises(EvalDataError, match="no questions"):
        load_questions(write(tmp_path, "", "  "))


def test_grades_and_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD,
        '{"id": "q2", "question": "y", "kind": "roadmap", "split": "test", "relevant": {"g/a": 1, "g/b": 2},'
        ' "next": ["g/b"]}',
        '{"id": "q3", "question": "z", "kind": "offtopic", "relevant": []}',
    )
    q1, q2, q3 = load_questions(path, known=KNOWN)
    assert (q1.relevant, q1.split, q1.answerable) == ({"g/a": 1}, "dev", True)
    assert (q2.relevant, q2.split, q2.next) == ({"g/a": 1, "g/b": 2}, "test", ("g/b",))
    assert not q3.answerable


# ---------------------------------------------------------------- the committed question set


@pytest.fixture(scope="module")
def guide_keys() -> set[str]:
    return {p.key for g in load_corpus(ROOT / "corpus") for p in g.passages}


def test_the_question_set_is_valid_and_covers_every_section(guide_keys: set[str]) -> None:
    questions = load_questions(ROOT / "eval/questions.jsonl", known=guide_keys)
    kinds = Counter(q.kind for q in questions)
    assert len(questions) >= 150 and kinds["offtopic"] >= 20 and set(kinds) == set(KINDS)
    labelled = {key for q in questions for key in q.relevant}
    assert guide_keys - labelled == set(), "sections no question is labelled with"


def test_a_quarter_to_85_percent_of_each_kind_is_held_out(guide_keys: set[str]) -> None:
    questions = load_questions(ROOT / "eval/questions.jsonl", known=guide_keys)
    for kind in KINDS:
        of_kind = [q for q in questions if q.kind == kind]
        held_out = sum(q.split == "test" for q in of_kind) / len(of_kind)
        # 30% of the first set, and every blind batch but the first (eval/README.md, rule 5): the share
        # grows as batches join, and dev keeps at least 15% of each kind
        assert 0.25 <= held_out <= 0.85, (kind, held_out)


def test_roadmap_next_sections_carry_the_top_grade(guide_keys: set[str]) -> None:
    for q in load_questions(ROOT / "eval/questions.jsonl", known=guide_keys):
        for key in q.next:
            assert q.relevant[key] == max(q.relevant.values()), q.id
