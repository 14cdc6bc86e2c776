"""Spelling: question words neither the guides nor the model know, corrected to guide words (a real
English word only where it is another spelling of one)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable

from advisor.language.lexicon import SIBILANTS
from advisor.language.terms import content_stopwords, stem

WORD = re.compile(r"[^\W\d_]{4,}")  # letters only, at least 4 of them: short words are too ambiguous


class Speller:
    """Corrects a word to the guide word meant: a clipped word to the word it clips ("algo" ->
    "algorithms"), two run-together guide words apart ("nodejs" -> "node js"), else the closest guide
    word by optimal string alignment distance ("comand" -> "command").

    Only words found neither in the guides nor in the model's own vocabulary are touched, so real words
    such as "bread" or "nursing" are never bent into guide words; they stay and count as off-topic. A
    word of `english` (a general word list) that the model does not know whole ("login", "rung", "bake",
    "grad") is a real word too, not a typo or a clipping of a guide word ("logic", "range", "based",
    "gradually"): it is only respelt ("practise" -> "practice").
    """

    def __init__(
        self, guide_words: Counter[str], known_words: Iterable[str] = (), english: Container[str] = ()
    ) -> None:
        self.counts = guide_words
        self.by_initial: dict[str, list[str]] = {}
        # what a misspelt word is compared with: each guide word, and each word's stem standing for the
        # commonest guide word with that stem ("framwork" is one edit from "framework", two from the
        # guide's "frameworks")
        self.forms: dict[str, str] = {}
        for word, _ in sorted(guide_words.items(), key=lambda item: -item[1]):
            if len(word) >= 3 and word.isalpha():
                self.by_initial.setdefault(word[0], []).append(word)
                self.forms[word] = word
        for word in list(self.forms):
            root = stem(word)
            if root not in self.forms and len(root) >= 3:
                self.forms[root] = word
                self.by_initial.setdefault(root[0], []).append(root)
        self.known = frozenset(known_words)
        self.english = english

    @staticmethod
    def max_edits(word: str) -> int:
        return 1 if len(word) <= 8 else 2

    def correct_word(self, word: str) -> str | None:
        """The guide word(s) meant by a misspelt word, or None when the word is fine or too far off."""
        lower = word.lower()
        if lower in self.counts or lower in self.known or self.inflected(lower):
            return None
        if self.real(lower):
            return self.respelt(lower)
        return self.unclipped(lower) or self.split(lower) or self.closest(lower)

    def real(self, word: str) -> bool:
        """Whether a word is in the general word list; a stop word with an s ("whats") is taken as the
        stop word it stands for, as in `inflected`."""
        return word in self.english and not (word.endswith("s") and word[:-1] in content_stopwords())

    def respelt(self, word: str) -> str | None:
        """The guide word a real word is another spelling of: one of c, s, z traded for another
        ("practise" -> "practice", "licence" -> "license")."""
        for i, letter in enumerate(word):
            if letter in SIBILANTS:
                for other in SIBILANTS.replace(letter, ""):
                    form = self.forms.get(f"{word[:i]}{other}{word[i + 1 :]}")
                    if form is not None:
                        return form
        return None

    def inflected(self, word: str) -> bool:
        """Whether a word is a known word with an s added ("docs", "slows", "pros"): a plural or a verb
        the model's vocabulary lists only bare, not a typo one edit from another word ("does", "shows").
        A stop word with an s ("whats") is not one: correcting it drops it."""
        bare = word[:-1]
        known = bare in self.counts or bare in self.known
        return word.endswith("s") and known and bare not in content_stopwords()

    def unclipped(self, word: str) -> str | None:
        """The guide word a clipped word stands for, when all guide words it begins share one stem.

        "algo" begins "algorithms" and "algorithmic" (one stem): it means them. "conf" begins
        "configuration" and "conferences": it is left to the edit distance.
        """
        words = (w for w in self.by_initial.get(word[0], []) if w in self.counts)  # not the stems
        longer = [w for w in words if w.startswith(word) and w != word]
        if not longer or len({stem(w) for w in longer}) != 1:
            return None
        return max(longer, key=lambda w: (self.counts[w], -len(w)))

    def split(self, word: str) -> str | None:
        """Two guide words written as one ("nodejs" -> "node js"), the most common pair if several."""
        stop = content_stopwords()
        pairs = [
            (word[:i], word[i:])
            for i in range(2, len(word) - 1)
            if all(part in self.counts and part not in stop for part in (word[:i], word[i:]))
        ]
        if not pairs:
            return None
        best = max(pairs, key=lambda pair: min(self.counts[pair[0]], self.counts[pair[1]]))
        return " ".join(best)

    def closest(self, word: str) -> str | None:
        """The guide word fewest edits away from it or from its stem; typos rarely change the first
        letter."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        choices = self.by_initial.get(word[0], [])
        found = process.extract(
            word, choices, scorer=OSA.distance, score_cutoff=self.max_edits(word), limit=10
        )
        if not found:
            return None
        best = min(found, key=lambda f: (f[1], -self.counts[self.forms[f[0]]], f[0]))
        return self.forms[str(best[0])]

    def correct(self, text: str, *, keep: Container[str] = ()) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The text with misspelt words replaced, and the (wrong, right) pairs; words in `keep` (lower
        case: the synonym table's own words) and words written in capitals, acronyms and names such as
        "CORS" or "MERN" (no correction of one in 1,557 eval questions was right), are left as they are."""
        fixes: list[tuple[str, str]] = []

        def fix(match: re.Match[str]) -> str:
            if match.group(0).lower() in keep or match.group(0).isupper():  # capitals: a name ("CORS")
                return match.group(0)
            right = self.correct_word(match.group(0))
            if right is None:
                return match.group(0)
            fixes.append((match.group(0), right))
            return right

        return WORD.sub(fix, text), tuple(fixes)
