"""Our metrics on hand-worked cases, one per trec_eval rule the docs promise."""

import math
import random

import pytest

from advisor.evals.metrics import (
    first_relevant,
    hit,
    metric_names,
    ndcg,
    question_metrics,
    rank,
    recall,
    reciprocal_rank,
)

QRELS = {"a": 2, "b": 1, "c": 0, "z": 1}  # z is relevant but never retrieved below


def test_hit_and_recall_count_grade_zero_as_not_relevant() -> None:
    ranking = ["c", "x", "b", "a"]
    assert hit(ranking, QRELS, 1) == 0.0 and hit(ranking, QRELS, 3) == 1.0
    # recall divides by all three relevant documents, retrieved or not
    assert recall(ranking, QRELS, 3) == pytest.approx(1 / 3)
    assert recall(ranking, QRELS, 10) == pytest.approx(2 / 3)


def test_reciprocal_rank_has_a_cut_off() -> None:
    ranking = [f"n{i}" for i in range(10)] + ["a"]
    assert first_relevant(ranking, QRELS) == 11
    assert reciprocal_rank(ranking, QRELS, 10) == 0.0
    assert reciprocal_rank(ranking, QRELS, 11) == pytest.approx(1 / 11)
    assert reciprocal_rank(["x", "b"], QRELS) == 0.5


def test_ndcg_gain_is_the_grade_and_the_ideal_uses_every_judged_relevant_document() -> None:
    ranking = ["b", "a"]
    dcg = 1 / math.log2(2) + 2 / math.log2(3)
    ideal = 2 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)  # a, then b and z: z was not retrieved
    assert ndcg(ranking, QRELS, 10) == pytest.approx(dcg / ideal)
    assert ndcg(["a", "b", "z"], QRELS, 10) == pytest.approx(1.0)
    assert ndcg(["a"], {"c": 0}, 10) == 0.0  # nothing relevant: 0, not a division by zero


def test_a_repeated_document_counts_once_and_takes_no_place() -> None:
    assert question_metrics(["a", "a", "b"], QRELS, ks=[2]) == question_metrics(["a", "b"], QRELS, ks=[2])
    assert recall(["b", "b", "b", "a"], QRELS, 2) == pytest.approx(2 / 3)


def test_ties_are_broken_by_descending_id_whatever_the_insertion_order() -> None:
    scores = {"d1": 0.5, "d3": 0.5, "d2": 0.9, "d0": 0.1}
    expected = ["d2", "d3", "d1", "d0"]
    for seed in range(5):
        items = list(scores.items())
        random.Random(seed).shuffle(items)
        assert rank(dict(items)) == expected


def test_rank_refuses_nan() -> None:
    with pytest.raises(ValueError, match="NaN"):
        rank({"a": float("nan")})


def test_question_metrics_names_every_cut_off() -> None:
    names = metric_names([1, 3])
    assert names == ["hit@1", "hit@3", "recall@1", "recall@3", "mrr@10", "ndcg@10"]
    assert list(question_metrics(["a"], QRELS, ks=[1, 3])) == names
