"""Highlights: the one to three sentences of a passage that best answer the question, word for word.

A highlight is a sentence that says something: never a bare list number ("3.") or a fragment of a few
words. A question that asks about pay is answered by the sentence stating it, so such a sentence leads
whatever its similarity:
"Senior backend engineers possess 5+ years of experience" is closer to "how much does a senior backend
engineer earn" than "Median Salary: $135,000 – $185,000 per year" is, but only the second answers it.
"""

from __future__ import annotations

import re

import numpy as np

from advisor.guides.facts import stated_pay
from advisor.guides.sections import Section
from advisor.language.lexicon import PAY_WORDS
from advisor.search.sentences import Highlight, Sentences

MIN_WORDS = 3  # words of letters: fewer ("3.", "Yes.", "Step 5:") is no answer to show
_WORD = re.compile(r"[^\W\d_]+")


def asks_pay(question: str) -> bool:
    """Whether a question asks about pay ("how much does a senior earn", "what salary can I expect")."""
    return bool(PAY_WORDS.search(question))


def says_something(sentence: str) -> bool:
    """Whether a sentence has at least MIN_WORDS words of letters."""
    return len(_WORD.findall(sentence)) >= MIN_WORDS


def states_pay(sentence: str) -> bool:
    """Whether a sentence states a range of pay (guides/facts.py reads them)."""
    return bool(stated_pay(sentence))


def pick(
    sentences: Sentences,
    number: int,
    section: Section,
    query: np.ndarray | None,
    *,
    most: int,
    margin: float,
    pay: bool = False,
) -> tuple[Highlight, ...]:
    """Up to `most` sentences of section `number` that say something, with offsets into its text: first
    those stating pay when the question asks about it (`pay`), then the rest, each best first by cosine;
    the first always, the others if they state that pay or are within `margin` cosine of the best."""
    lo, hi = sentences.of(number)
    if query is None or lo == hi:
        return ()
    spans = [(int(s), int(e)) for s, e in sentences.rows[lo:hi, 1:3]]
    scores = sentences.vectors[lo:hi] @ query.reshape(-1)
    candidates = [i for i, (s, e) in enumerate(spans) if says_something(section.text[s:e])]
    if not candidates:
        return ()
    stating = {i for i in candidates if pay and states_pay(section.text[slice(*spans[i])])}
    order = sorted(candidates, key=lambda i: (i not in stating, -float(scores[i]), i))[:most]
    top = max(float(scores[i]) for i in candidates)
    chosen = order[:1] + [i for i in order[1:] if i in stating or float(scores[i]) >= top - margin]
    return tuple(
        Highlight(
            start=spans[i][0],
            end=spans[i][1],
            text=section.text[spans[i][0] : spans[i][1]],
            score=round(float(scores[i]), 4),
        )
        for i in chosen
    )
