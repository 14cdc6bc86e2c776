"""Our metrics against reference implementations on randomised runs and qrels, to 1e-6.

The reference is trec_eval itself, through pytrec-eval-terrier. Runs are drawn with many tied scores
(a coarse grid of values, exact in float32 as trec_eval stores them) and graded judgments 0-3,
including questions with no relevant document and empty runs: trec_eval sorts each run by score,
then by descending document id, which is also our rule, so ties are compared as they are.

ranx is a second opinion (slow: numba compiles it on first use). It orders tied scores by an
unstable quicksort of insertion order, so it is given runs without ties; see test_ranx_ties_differ.
"""

import random
from statistics import fmean

import pytest

from advisor.evals.metrics import question_metrics, rank, reciprocal_rank

KS = [1, 3, 5, 10]
IDS = [f"d{i:02d}" for i in range(30)] + ["7", "10", "100", "b", "B", "é"]  # string order, not numeric


def random_case(seed: int, *, ties: bool) -> tuple[dict, dict]:
    rng = random.Random(seed)
    qrels, run = {}, {}
    for q in range(120):
        judged = rng.sample(IDS, rng.randint(1, 10))
        qrels[f"q{q}"] = {doc: rng.choice([0, 0, 1, 1, 2, 3]) for doc in judged}
        retrieved = rng.sample(IDS, rng.randint(0, 25))
        if ties:
            run[f"q{q}"] = {doc: rng.randint(0, 8) / 4 for doc in retrieved}
        else:
            run[f"q{q}"] = {doc: float(place) for place, doc in enumerate(retrieved)}
    return qrels, run


def ours(qrels: dict, run: dict) -> dict[str, dict[str, float]]:
    return {q: question_metrics(rank(run[q]), qrels[q], ks=KS) for q in qrels}


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_trec_eval_per_question_ties_included(seed: int) -> None:
    import pytrec_eval

    qrels, run = random_case(seed, ties=True)
    measures = {"success.1,3,5,10", "recall.1,3,5,10", "ndcg_cut.10", "recip_rank"}
    trec = pytrec_eval.RelevanceEvaluator(qrels, measures).evaluate(run)
    top10 = {q: {doc: run[q][doc] for doc in rank(run[q])[:10]} for q in run}
    trec_top10 = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(top10)
    for q, mine in ours(qrels, run).items():
        theirs = trec.get(q, {})  # trec_eval leaves out a question with an empty run: all zero
        for k in KS:
            assert mine[f"hit@{k}"] == pytest.approx(theirs.get(f"success_{k}", 0.0), abs=1e-6), (q, k)
            assert mine[f"recall@{k}"] == pytest.approx(theirs.get(f"recall_{k}", 0.0), abs=1e-6), (q, k)
        assert mine["ndcg@10"] == pytest.approx(theirs.get("ndcg_cut_10", 0.0), abs=1e-6), q
        # trec_eval's recip_rank has no cut-off: ours without one, and MRR@10 on the first 10
        assert reciprocal_rank(rank(run[q]), qrels[q], k=100) == pytest.approx(theirs.get("recip_rank", 0.0))
        assert mine["mrr@10"] == pytest.approx(trec_top10.get(q, {}).get("recip_rank", 0.0), abs=1e-6), q


def test_random_cases_really_have_ties_grades_and_empty_questions() -> None:
    qrels, run = random_case(0, ties=True)
    assert any(len(set(scores.values())) < len(scores) for scores in run.values())
    assert {grade for judged in qrels.values() for grade in judged.values()} == {0, 1, 2, 3}
    assert any(not run[q] for q in run) and any(max(qrels[q].values()) == 0 for q in qrels)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
def test_agrees_with_ranx_on_runs_without_ties(seed: int) -> None:
    from ranx import Qrels, Run, evaluate

    qrels, run = random_case(seed, ties=False)
    names = [*(f"hit_rate@{k}" for k in KS), *(f"recall@{k}" for k in KS), "mrr@10", "ndcg@10"]
    theirs = evaluate(Qrels(qrels), Run(run), names, make_comparable=True)
    mine = ours(qrels, run)
    for name in names:
        our_name = name.replace("hit_rate", "hit")
        assert fmean(m[our_name] for m in mine.values()) == pytest.approx(theirs[name], abs=1e-6), name


@pytest.mark.slow
def test_ranx_ties_differ() -> None:
    """Why ranx gets no ties: it keeps insertion order where trec_eval (and we) sort by id."""
    from ranx import Qrels, Run, evaluate

    qrels = {"q": {"a": 2, "b": 1}}
    run = {"q": {"d": 0.9, "a": 0.5, "b": 0.5}}
    ranx_ndcg = evaluate(Qrels(qrels), Run(run), "ndcg@10")
    our_ndcg = question_metrics(rank(run["q"]), qrels["q"], ks=[1])["ndcg@10"]
    assert rank(run["q"]) == ["d", "b", "a"]
    assert ranx_ndcg == pytest.approx(question_metrics(["d", "a", "b"], qrels["q"], ks=[1])["ndcg@10"])
    assert our_ndcg != pytest.approx(ranx_ndcg)
