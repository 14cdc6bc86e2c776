"""Leave one source out: evals never let a question be answered with the help of its own confirmation.

The dev split of the real questions is also the shipped site's confirmed questions (corpus/confirmed.jsonl),
so asked as it is, a dev question would find itself among the confirmed ones and be judged by its own
label. Asked through `LeaveSourceOut`, the confirmations asked at the same source (the same thread) are
left out of the vote first, as for a visitor whose question nobody has confirmed yet.
"""

from __future__ import annotations

import dataclasses

from advisor.answer.advisor import Advisor, Answer
from advisor.answer.confirmed import Votes
from advisor.errors import EvalDataError


class LeaveSourceOut:
    """Asks like the advisor, with the asked question's own source left out of the confirmed votes."""

    def __init__(self, advisor: Advisor, *, min_similarity: float | None = None) -> None:
        if advisor.settings.cache_size:
            raise EvalDataError(
                "leaving a source out needs an advisor without an answer cache (cache_size 0)"
            )
        self.advisor = advisor
        votes = advisor.votes
        if min_similarity is not None:
            votes = dataclasses.replace(votes, min_similarity=min_similarity)
        self.votes = votes
        self.sources: dict[str, set[str]] = {}  # confirmed question (case-blind) -> where it was asked
        for item in votes.confirmed:
            self.sources.setdefault(item.question.casefold(), set()).add(item.source or item.question)

    def ask(
        self, question: str, *, k: int | None = None, mode: str = "hybrid", guide: str | None = None
    ) -> Answer:
        held = self.advisor.votes
        self.advisor.votes = self.votes_for(question)
        try:
            return self.advisor.ask(question, k=k, mode=mode, guide=guide)
        finally:
            self.advisor.votes = held

    def votes_for(self, question: str) -> Votes:
        """The votes a question is asked with: without those of its own source."""
        own = self.sources.get(question.strip().casefold(), set())
        return self.votes.without(own) if own else self.votes
