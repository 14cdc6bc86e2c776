"""Spelling: question words the guides and the model both do not know, corrected to guide words."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

WORD = re.compile(r"[^\W\d_]{4,}")  # letters only, at least 4 of them: short words are too ambiguous


class Speller:
    """Corrects a word to the closest guide word (optimal string alignment distance).

    Only words found neither in the guides nor in the model's own vocabulary are touched, so real words
    such as "bread" or "nursing" are never bent into guide words; they stay and count as off-topic.
    """

    def __init__(self, guide_words: Counter[str], known_words: Iterable[str] = ()) -> None:
        self.counts = guide_words
        self.by_initial: dict[str, list[str]] = {}
        for word in guide_words:
            if len(word) >= 3 and word.isalpha():
                self.by_initial.setdefault(word[0], []).append(word)
        self.known = frozenset(known_words)

    @staticmethod
    def max_edits(word: str) -> int:
        return 1 if len(word) <= 8 else 2

    def correct_word(self, word: str) -> str | None:
        """The guide word meant by a misspelt word, or None when the word is fine or too far off."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        lower = word.lower()
        if lower in self.counts or lower in self.known:
            return None
        choices = self.by_initial.get(lower[0], [])  # typos rarely change the first letter
        found = process.extract(
            lower, choices, scorer=OSA.distance, score_cutoff=self.max_edits(lower), limit=10
        )
        if not found:
            return None
        best = min(found, key=lambda f: (f[1], -self.counts[f[0]], f[0]))
        return str(best[0])

    def correct(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The text with misspelt words replaced, and the (wrong, right) pairs."""
        fixes: list[tuple[str, str]] = []

        def fix(match: re.Match[str]) -> str:
            right = self.correct_word(match.group(0))
            if right is None:
                return match.group(0)
            fixes.append((match.group(0), right))
            return right

        return WORD.sub(fix, text), tuple(fixes)
