"""Roadmap questions: what a visitor asking "what comes next" has reached, and whether they ask for the
next role rather than the next thing to learn."""

from __future__ import annotations

import re

from advisor.language.lexicon import ASKS_ROLE, CONTRACTION, NEXT_INTENT, SCAFFOLD


def asks_for_role(question: str) -> bool:
    """Whether a question asks for the next role rather than the next thing to learn."""
    return ASKS_ROLE.search(question) is not None


def roadmap_topic(question: str) -> str | None:
    """What the visitor has reached, when the question asks what comes next; else None."""
    if not NEXT_INTENT.search(question):
        return None
    # the words that ask what comes next ("in the meantime") are no topic, and neither is the scaffold
    topic = SCAFFOLD.sub(" ", NEXT_INTENT.sub(" ", re.sub(r"[?!.,;:]", " ", question)))
    topic = CONTRACTION.sub(" ", topic)  # what scaffold words leave: "what's" → "'s"
    topic = " ".join(topic.split())
    return topic or None
