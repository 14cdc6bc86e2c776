"""Metrics: hit, recall, reciprocal rank and nDCG of one ranked list, as trec_eval defines them.

- A judgment's grade is its gain; grade 0 means judged and not relevant, so a question is relevant
  to the documents graded 1 or more.
- Recall divides by every relevant document, retrieved or not.
- Ideal DCG is built from every judged relevant document (best grades first), not from the list.
- Reciprocal rank has a cut-off: a first relevant document below it scores 0.
- A document repeated in a ranking counts once, at its first place; later copies take no place.
- Ranking scores breaks ties the way trec_eval does (higher score first, then the larger id by
  string order), so that a ranking never depends on the order the scores were inserted in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

Qrels = Mapping[str, int]  # one question's judged documents -> grade
CUTOFF = 10  # of MRR@10 and nDCG@10


def rank(scores: Mapping[str, float]) -> list[str]:
    """Ids by score, highest first; equal scores by id in descending string order, as trec_eval sorts."""
    if any(math.isnan(s) for s in scores.values()):
        raise ValueError("a score is NaN")
    by_id = sorted(scores, reverse=True)
    return sorted(by_id, key=lambda doc: -scores[doc])  # stable: ties keep descending id order


def unique(ranking: Iterable[str]) -> list[str]:
    """The ranking with each id kept once, at its first place."""
    return list(dict.fromkeys(ranking))


def relevant(qrels: Qrels) -> set[str]:
    return {doc for doc, grade in qrels.items() if grade > 0}


def first_relevant(ranking: Sequence[str], qrels: Qrels) -> int | None:
    """1-based place of the first relevant document, or None when none was retrieved."""
    wanted = relevant(qrels)
    return next((place for place, doc in enumerate(unique(ranking), start=1) if doc in wanted), None)


def hit(ranking: Sequence[str], qrels: Qrels, k: int) -> float:
    """1.0 when a relevant document is among the first k (trec_eval's success@k), else 0.0."""
    wanted = relevant(qrels)
    return float(any(doc in wanted for doc in unique(ranking)[:k]))


def recall(ranking: Sequence[str], qrels: Qrels, k: int) -> float:
    """Relevant documents among the first k, over all relevant documents (0.0 when there are none)."""
    wanted = relevant(qrels)
    if not wanted:
        return 0.0
    return len(wanted.intersection(unique(ranking)[:k])) / len(wanted)


def reciprocal_rank(ranking: Sequence[str], qrels: Qrels, k: int = CUTOFF) -> float:
    """1 / place of the first relevant document, 0.0 when there is none in the first k."""
    place = first_relevant(unique(ranking)[:k], qrels)
    return 0.0 if place is None else 1.0 / place


def ndcg(ranking: Sequence[str], qrels: Qrels, k: int = CUTOFF) -> float:
    """DCG of the first k (gain = grade, discount log2(place + 1)) over the ideal DCG of all judgments."""
    gains = [max(qrels.get(doc, 0), 0) for doc in unique(ranking)[:k]]
    ideal = sorted((g for g in qrels.values() if g > 0), reverse=True)[:k]
    best = _dcg(ideal)
    return _dcg(gains) / best if best > 0 else 0.0


def _dcg(gains: Sequence[int]) -> float:
    return sum(gain / math.log2(place + 1) for place, gain in enumerate(gains, start=1))


def metric_names(ks: Sequence[int]) -> list[str]:
    """The names `question_metrics` returns, in report order."""
    return [
        *(f"hit@{k}" for k in ks),
        *(f"recall@{k}" for k in ks),
        f"mrr@{CUTOFF}",
        f"ndcg@{CUTOFF}",
    ]


def question_metrics(ranking: Sequence[str], qrels: Qrels, *, ks: Sequence[int]) -> dict[str, float]:
    """Every metric of one ranked list: hit@k and recall@k for each k, MRR@10 and nDCG@10."""
    ranked = unique(ranking)
    return {
        **{f"hit@{k}": hit(ranked, qrels, k) for k in ks},
        **{f"recall@{k}": recall(ranked, qrels, k) for k in ks},
        f"mrr@{CUTOFF}": reciprocal_rank(ranked, qrels, CUTOFF),
        f"ndcg@{CUTOFF}": ndcg(ranked, qrels, CUTOFF),
    }
