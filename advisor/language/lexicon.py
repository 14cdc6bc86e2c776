"""Lexicon: every English word list and phrase pattern the advisor reads questions and guides with, as data.

The mechanisms that use them (understand/, guides/, language/spelling.py) import them from here, so the
language lives in one place: a guide in another language needs another lexicon, not other logic.
"""

from __future__ import annotations

import re
from functools import lru_cache

# ==================== Places in a guide's order: "step 4", "the first stage", "where do I start"

UNITS = r"steps?|phases?|stages?|levels?|parts?|weeks?|months?|days?|modules?|chapters?|lessons?"

# up to twenty: guides rarely have more steps than that (the shipped one has twenty)
NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)  # fmt: skip

ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip

ORDINAL = rf"{'|'.join(ORDINALS)}|last|final|\d+(?:st|nd|rd|th)"

# "step 4", "stage two"
UNIT_NUMBER = re.compile(rf"\b({UNITS})\s+(\d+|{'|'.join(NUMBER_WORDS)})\b", re.IGNORECASE)

# "the first step", "the 3rd stage", "the last step"
ORDINAL_UNIT = re.compile(rf"\b({ORDINAL})\s+({UNITS})\b", re.IGNORECASE)

# where one sentence of a question ends and the next begins
SENTENCE = re.compile(r"(?<=[.?!;])\s+")

# "where do I start", "how should I even begin", "how to get started", "which step do I begin with",
# "a starting point", "square one"
START = re.compile(
    r"\b(?:(?:where|how|(?:which|what)\s+(?:step|stage|phase|part))\s+"
    r"(?:(?:do|should|can|could|would|shall)\s+(?:i|you|we|one)(?:\s+(?:even|actually|really|best))?|to)\s+"
    r"(?:start|begin|get\s+started)|starting\s+point|getting\s+started|square\s+one)\b",
    re.IGNORECASE,
)

# "tell me about step 17", "explain step 3", "what does step 5 say", "more details on the last step":
# words that ask about a place without naming anything else
ASKING = re.compile(
    r"\b(?:tell|telling|explain|explaining|describe|describing|say|says|said|details?|detailed|info|"
    r"information|more|summary|summari[sz]e|overview|please|pls|again)\b",
    re.IGNORECASE,
)

# "total beginner", "complete newbie here": how a visitor at the very start describes themself
NEWCOMER = re.compile(
    r"\b(?:total|absolute|complete|completely|beginners?|newbies?|noobs?|novices?|newcomers?|"
    r"starting\s+out|scratch)\b",
    re.IGNORECASE,
)


# ==================== Roadmaps: numbered headings, sequence words, and questions that ask what comes next

# a heading that carries its place: "Step 3: ...", "3. ...", "Phase one: ...", "Part II -" is not read
NUMBERED = re.compile(
    rf"^\s*(?:(?:{UNITS})\s+(\d+|{'|'.join(NUMBER_WORDS)})|(\d+))\s*[.:)\-–—]",
    re.IGNORECASE,
)

SEQUENCE_WORDS = re.compile(
    r"\b(steps?|path|progression|roadmap|stages?|phases?|levels?|ladder|journey|timeline|sequence)\b",
    re.IGNORECASE,
)

CONTRACTION = re.compile(r"(?<!\w)['’](?:s|m|ve|re|ll|d)\b", re.IGNORECASE)

# "next month", "next spring": a time, not what comes next
TIMES = (
    r"week|weekend|month|year|semester|term|quarter|spring|summer|fall|autumn|winter|morning|day|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)

# "after 3 years", "after about a month": a time, not what comes next ("after a year of python" is)
LATER = (
    r"(?:about\s+|around\s+|roughly\s+)?(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    rf"a\s+couple\s+of|a\s+few|several)\s+(?:{TIMES})s?\b(?!\s+of\b)"
)

# "what comes after X", "I know X, what next?", "I finished X, now what", "next step after X", "I've
# applied for X, what should I do in the meantime / while I wait" ...
NEXT_INTENT = re.compile(
    rf"\b(after(?!\s+{LATER})|now what|then what|what now|beyond|above|follows?|following|once i|"
    rf"finished|completed|from here|from there|where\s+(?:do|should|can|could)\s+i\s+go|move up|step up|"
    rf"in\s+the\s+meantime|meanwhile|while\s+(?:i(?:\s+am|['’]m)?\s+)?wait(?:ing)?)\b|"
    rf"\bnext\b(?!\s+(?:{TIMES})\b)",
    re.IGNORECASE,
)

# "what title should I aim for next", "what's the next role up", "the next promotion", "how do I move
# up": the visitor asks for the next rung of a ladder, not the next thing to learn
ASKS_ROLE = re.compile(
    r"\b(?:(?:what|which)(?:['’]s|\s+is)?|next)\s+(?:(?:the|my|a|next)\s+)*"
    r"(?:positions?|roles?|titles?|levels?|ranks?|promotions?)\b|"
    r"\b(?:move|moving|step|stepping)\s+up\b|\brungs?\b|\bladder\b",
    re.IGNORECASE,
)

SCAFFOLD = re.compile(
    r"\b(what|which|where|whats|what's|should|shall|could|would|do|does|did|can|i|i'm|im|i've|ive|me|my|we|"
    r"you|is|are|the|a|an|to|then|now|next|step|steps|after|comes?|coming|follows?|following|beyond|above|"
    r"once|have|has|had|covers?|covered|involves?|entails?|includes?|means?|about|"
    r"know|known|knew|learn|learned|learnt|learning|study|studied|studying|master|"
    r"mastered|mastering|finish|finished|finishing|complete|completed|completing|done|with|got|"
    r"get|go|move|on|from|there|here|already|so|and|or|of|it|that|this|thing|things|being|as|a|want|wanna|"
    r"up|guide|article|roadmap|page)\b",  # "move up"; the last four name the guide itself
    re.IGNORECASE,
)

UNIT_PREFIX = re.compile(rf"^\s*([^\W\d_]+)\s+(?:\d+|{'|'.join(NUMBER_WORDS)})\s*[.:)\-–—]", re.IGNORECASE)


# ==================== Pay, as passages state its ranges

DASH = r"\s*(?:-|–|—|to)\s*"

# in a passage: "$75,000 – $105,000", "$90k-$120k"
PAY_RANGE = re.compile(rf"\$\s?(\d[\d,]*)\s*(k)?\b{DASH}\$?\s?(\d[\d,]*)\s*(k)?\b", re.IGNORECASE)


# ==================== Spelling: English words, and the letters English spellings trade

SIBILANTS = "csz"  # the letters English spellings trade: practise/practice, licence/license, analyse/analyze


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """A general English word list: pyspellchecker's words seen at least 50 times in its corpus
    (OpenSubtitles and others), those of four letters or more (127,000 of 160,000: about 19 MB), loaded once
    (a quarter of a second)."""
    from spellchecker import SpellChecker

    words = SpellChecker(language="en", distance=1).word_frequency.keys()
    return frozenset(w for w in words if len(w) >= 4 and w.isalpha())


# ==================== Highlights: a question asking about pay is shown the pay

PAID = r"(?:pay\w*|paid|salar\w*|income|earn\w*|money|compensation|wages?)"

# "salary", "paid", "how much does an entry level backend engineer make": a question about pay, the role
# between its words (not "make the jump into management")
PAY_WORDS = re.compile(rf"\b{PAID}\b|\bhow\s+much\s+(?:\S+\s+){{0,8}}?(?:mak(?:e|es|ing)|get\s+paid)\b", re.I)
