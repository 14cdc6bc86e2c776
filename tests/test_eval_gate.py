"""The regression gate: the real questions (the yardstick) and the written ones, on the real guide with the
real model, must stay above their floors, and the shipped "no good answer" thresholds and the floor of
the confirmed questions' vote must be what `advisor calibrate` chooses on the real questions' dev split.
Each question is asked without the confirmed questions of its own source (advisor/evals/leave_out.py)."""

import json
from pathlib import Path

import pytest

from advisor.answer.advisor import Advisor
from advisor.answer.confidence import Thresholds
from advisor.evals.calibration import calibrate, floor_samples
from advisor.evals.evaluate import QuestionResult, run_questions
from advisor.evals.leave_out import LeaveSourceOut
from advisor.evals.questions import load_questions
from advisor.evals.report import heading, report_document, text_table
from advisor.settings import Settings

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parent.parent
MODE = "hybrid"


SETS = {"real": "eval/real/backend-engineer.jsonl", "written": "eval/questions.jsonl"}
MAX_ON_TOPIC = 0.03  # the most on-topic real questions "no good answer" may turn away (issue 19)


@pytest.fixture(scope="module", params=list(SETS))
def question_set(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def uncached(real_advisor: Advisor) -> Advisor:
    """The real advisor without its answer cache, so that the confirmed votes can be changed."""
    return Advisor(
        real_advisor.index, real_advisor.embedder, real_advisor.settings.model_copy(update={"cache_size": 0})
    )


@pytest.fixture(scope="module")
def results(uncached: Advisor, question_set: str) -> list[QuestionResult]:
    known = {p.key for p in uncached.index.passages}
    questions = load_questions(ROOT / SETS[question_set], known=known)
    return run_questions(LeaveSourceOut(uncached), questions, mode=MODE, ks=[1, 3, 5, 10])


def test_hybrid_retrieval_stays_above_the_committed_floors(
    real_advisor: Advisor, question_set: str, results: list[QuestionResult], eval_tables: list[str]
) -> None:
    index = {
        "version": real_advisor.index.version,
        "model": real_advisor.index.manifest.model,
        "passages": len(real_advisor.index.passages),
    }
    doc = report_document(
        {MODE: results},
        dataset=question_set,
        source=SETS[question_set],
        split="all",
        ks=[1, 3, 5, 10],
        index=index,
    )
    table = heading(doc) + "\n\n" + text_table(doc)
    eval_tables.append(table)
    floors = json.loads((ROOT / "eval/floors.json").read_text())[question_set]
    reached = doc["modes"][MODE]["summary"]["all"]
    below = {
        name: f"{reached[name]:.3f} < floor {floor}"
        for name, floor in floors.items()
        if reached[name] < floor
    }
    assert not below, f"retrieval got worse: {below}\n{table}"


def test_the_shipped_thresholds_and_vote_floor_are_what_calibrate_chooses_on_dev(uncached: Advisor) -> None:
    """Chosen together on the real dev questions, each asked without its own source's confirmations:
    a dev question never votes on itself."""
    assert uncached.votes.confirmed, "corpus/confirmed.jsonl holds the shipped guide's confirmed questions"
    fields = Settings.model_fields  # what the server uses, and the core's own default, agree
    shipped = Thresholds(fields["answer_min_dense"].default, fields["answer_min_coverage"].default)
    floor = fields["confirmed_min_similarity"].default
    assert shipped == uncached.thresholds and floor == uncached.votes.min_similarity
    known = {p.key for p in uncached.index.passages}
    dev = [q for q in load_questions(ROOT / SETS["real"], known=known) if q.split == "dev"]
    chosen = calibrate(floor_samples(uncached, dev), max_on_topic=MAX_ON_TOPIC)[0]
    assert (chosen.thresholds, chosen.min_similarity) == (shipped, pytest.approx(floor)), (
        f"the guides, the model or the questions changed what `advisor calibrate` chooses: {chosen}; "
        "run `advisor calibrate --questions eval/real/backend-engineer.jsonl --max-on-topic 0.03` and set "
        "the defaults it prints (advisor/settings.py)"
    )
