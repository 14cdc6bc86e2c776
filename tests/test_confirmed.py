"""Confirmed questions: read and checked beside the guides, embedded by the build, voting on whether the
guides cover a question, confirmed from reviewed insights candidates, and never voting on themselves
in evals."""

import json
from pathlib import Path

import numpy as np
import pytest

from advisor import cli
from advisor.answer.advisor import Advisor
from advisor.answer.confidence import Evidence, Thresholds, is_answered
from advisor.answer.confirmed import Votes
from advisor.errors import CorpusError
from advisor.evals.calibration import Sample, calibrate
from advisor.evals.leave_out import LeaveSourceOut
from advisor.evals.questions import load_questions
from advisor.guides.confirmed import CONFIRMED_FILE, Confirmed, append_confirmed, load_confirmed
from advisor.index.build import build_index
from advisor.index.load import load_index
from advisor.settings import defaults
from tests.conftest import FAKE_PARAMS, FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent
OFF = "Can I sell baked bread from my home kitchen?"  # close to the guide, but it does not say


def write(corpus: Path, *records: dict) -> None:
    (corpus / CONFIRMED_FILE).write_text("".join(json.dumps(r) + "\n" for r in records))


def advisor_over(corpus: Path, tmp_path: Path, **settings: object) -> Advisor:
    build_index(corpus, tmp_path / "index", FakeEmbedder(), params=FAKE_PARAMS)
    chosen = defaults().model_copy(update={"cache_size": 0, **settings})
    return Advisor(load_index(tmp_path / "index"), FakeEmbedder(), chosen)


def test_load_reads_each_line_and_names_the_line_of_a_bad_one(tiny_corpus: Path) -> None:
    assert load_confirmed(tiny_corpus) == ()  # no file: nothing confirmed
    write(tiny_corpus, {"question": "boil pasta?", "section": "cooking/step-2-boiling-pasta"})
    assert load_confirmed(tiny_corpus) == (Confirmed("boil pasta?", "cooking/step-2-boiling-pasta"),)
    with (tiny_corpus / CONFIRMED_FILE).open("a") as out:
        out.write('{"question": "", "section": null}\n')
    with pytest.raises(CorpusError, match=rf"{CONFIRMED_FILE}:2: not a confirmed question \(question"):
        load_confirmed(tiny_corpus)
    write(tiny_corpus, {"question": "knives?", "section": "cooking/no-such-anchor"})
    with pytest.raises(CorpusError, match=r":1: no section 'cooking/no-such-anchor'"):
        load_confirmed(tiny_corpus, known={"cooking/step-1-knife-skills"})


def test_append_leaves_out_questions_already_confirmed(tiny_corpus: Path) -> None:
    first = Confirmed("Boil pasta?", "cooking/step-2-boiling-pasta", "insights")
    assert append_confirmed(tiny_corpus, [first, Confirmed(OFF, None)]) == 2
    assert append_confirmed(tiny_corpus, [Confirmed("boil PASTA?", None), Confirmed("new one", None)]) == 1
    assert [c.question for c in load_confirmed(tiny_corpus)] == ["Boil pasta?", OFF, "new one"]
    assert load_confirmed(tiny_corpus)[0] == first


def test_votes_weigh_the_nearest_confirmed_questions_by_similarity() -> None:
    vectors = np.eye(3, dtype=np.float32)
    confirmed = (Confirmed("a", None), Confirmed("b", "g/b"), Confirmed("c", None))
    votes = Votes(confirmed, vectors, neighbours=5, min_similarity=0.5)
    assert votes.not_covered(np.array([1.0, 0.0, 0.0])) == pytest.approx(1.0)
    assert votes.not_covered(np.array([0.0, 1.0, 0.0])) == pytest.approx(0.0)
    mixed = np.array([0.6, 0.8, 0.0])  # b is nearer than a: the section outweighs "not covered"
    assert votes.not_covered(mixed) == pytest.approx(0.6 / 1.4)
    assert votes.not_covered(np.array([0.3, 0.3, 0.9])) == pytest.approx(1.0)  # only c is close enough
    assert Votes(confirmed, vectors, neighbours=1, min_similarity=0.5).not_covered(mixed) == 0.0
    assert votes.not_covered(np.array([0.4, 0.4, 0.4])) is None  # none close enough to vote
    assert votes.without({"a", "c"}).not_covered(np.array([1.0, 0.0, 0.0])) is None


def test_a_majority_saying_not_covered_turns_a_question_away_unless_it_names_a_place() -> None:
    thresholds = Thresholds(dense=0.4, coverage=0.9)
    close = Evidence(dense=0.9, coverage=1.0)
    assert is_answered(close, thresholds)
    assert not is_answered(Evidence(dense=0.9, coverage=1.0, not_covered=0.7), thresholds)
    assert is_answered(Evidence(dense=0.9, coverage=1.0, not_covered=0.5), thresholds)  # no majority
    assert is_answered(Evidence(dense=0.1, coverage=0.0, place=True, not_covered=1.0), thresholds)


def test_the_build_embeds_them_and_the_advisor_follows_them(tiny_corpus: Path, tmp_path: Path) -> None:
    before = advisor_over(tiny_corpus, tmp_path / "before")
    assert before.votes.confirmed == () and before.ask(OFF).answered
    write(tiny_corpus, {"question": OFF, "section": None, "source": "https://example.org/t/1"})
    after = advisor_over(tiny_corpus, tmp_path / "after")
    assert after.index.confirmed_vectors.shape == (1, FakeEmbedder.dimension)
    answer = after.ask(OFF)
    assert not answer.answered and answer.evidence.not_covered == pytest.approx(1.0)
    assert answer.results, "the closest sections are still shown"
    assert after.ask("how long do I boil pasta").answered  # far from it: no vote
    off = advisor_over(tiny_corpus, tmp_path / "off", confirmed_neighbours=0)
    assert off.ask(OFF).answered and off.ask(OFF).evidence.not_covered is None


def test_a_confirmation_naming_an_unknown_section_fails_the_build(tiny_corpus: Path, tmp_path: Path) -> None:
    write(tiny_corpus, {"question": "knives?", "section": "cooking/not-there"})
    with pytest.raises(CorpusError, match="no section 'cooking/not-there' in the guides"):
        build_index(tiny_corpus, tmp_path / "index", FakeEmbedder(), params=FAKE_PARAMS)


def test_evals_leave_the_asked_questions_own_source_out(tiny_corpus: Path, tmp_path: Path) -> None:
    source = "https://example.org/t/1"
    write(
        tiny_corpus,
        {"question": OFF, "section": None, "source": source},
        {
            "question": "Can I sell baked bread from my home kitchen, and how?",
            "section": None,
            "source": source,
        },
    )
    advisor = advisor_over(tiny_corpus, tmp_path)
    assert not advisor.ask(OFF).answered
    assert LeaveSourceOut(advisor).ask(OFF).answered  # neither of its thread's confirmations votes
    assert advisor.votes.confirmed, "the advisor's own votes are put back"
    with pytest.raises(Exception, match="without an answer cache"):
        LeaveSourceOut(Advisor(advisor.index, advisor.embedder))


def test_calibration_chooses_thresholds_and_floor_together() -> None:
    """A floor whose votes would turn away an on-topic question is passed over, and where floors tie
    the highest is chosen; the thresholds are chosen with it."""
    near, far = Evidence(dense=0.9, coverage=0.0, not_covered=1.0), Evidence(dense=0.9, coverage=0.0)
    low = Evidence(dense=0.3, coverage=0.0)
    samples = {
        0.5: [Sample(near, False), Sample(near, True), Sample(low, False)],  # turns away an on-topic one
        0.6: [Sample(near, False), Sample(far, True), Sample(low, False)],
        0.7: [Sample(near, False), Sample(far, True), Sample(low, False)],
        0.8: [Sample(far, False), Sample(far, True), Sample(low, False)],
    }
    chosen = calibrate(samples, max_on_topic=0.0)
    assert [c.min_similarity for c in chosen[:1]] == [0.7]
    assert chosen[0].rates.off_topic == 1.0 and chosen[0].rates.on_topic == 0.0
    assert 0.3 < chosen[0].thresholds.dense <= 0.9  # the low one abstains, the far one answers
    assert {c.min_similarity for c in chosen} == {0.6, 0.7, 0.8}  # 0.5 never within the ceiling


def test_the_shipped_confirmations_are_real_dev_questions_only() -> None:
    """The shipped site's confirmed questions are the real questions' dev split, labelled as there: no
    test question (nor its thread) may teach the advisor what it is tested on."""
    questions = {q.question: q for q in load_questions(ROOT / "eval/real/backend-engineer.jsonl")}
    test_sources = {q.source for q in questions.values() if q.split == "test"}
    confirmed = load_confirmed(ROOT / "corpus")
    assert len(confirmed) == sum(q.split == "dev" for q in questions.values())
    for item in confirmed:
        asked = questions[item.question]
        assert asked.split == "dev" and item.source == asked.source and item.source not in test_sources
        assert (item.section is None) == (not asked.answerable)
        assert item.section is None or asked.relevant[item.section] == max(asked.relevant.values())


def test_insights_confirm_adds_reviewed_candidates_and_the_build_takes_them(
    fake_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    candidates = tmp_path / "candidates.jsonl"
    lines = [
        {"id": "a", "question": OFF, "relevant": [], "kind": "offtopic", "reviewed": True},
        {"id": "b", "question": "boil pasta", "relevant": ["cooking/step-2-boiling-pasta"], "reviewed": True},
        {"id": "c", "question": "knives", "relevant": ["cooking/step-1-knife-skills"], "reviewed": False},
    ]
    candidates.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert cli.main(["insights", "confirm", str(candidates)]) == 0
    out = capsys.readouterr().out
    assert (
        "confirmed 2 reviewed questions (1 that no guide covers; 2 new)" in out and "1 left unreviewed" in out
    )
    assert [(c.question, c.section) for c in load_confirmed(fake_env)] == [
        (OFF, None),
        ("boil pasta", "cooking/step-2-boiling-pasta"),
    ]
    assert cli.main(["build"]) == 0
    assert "2 confirmed questions (1 that no guide covers)" in capsys.readouterr().out
    assert cli.main(["ask", OFF, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["answered"] is False


def test_insights_confirm_refuses_an_unknown_section_in_one_line(
    fake_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    candidates = tmp_path / "candidates.jsonl"
    candidates.write_text(
        json.dumps({"question": "q", "relevant": ["cooking/nope"], "reviewed": True}) + "\n"
    )
    assert cli.main(["insights", "confirm", str(candidates)]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "candidates.jsonl:1: no section 'cooking/nope'" in err
    assert not (fake_env / CONFIRMED_FILE).exists()
