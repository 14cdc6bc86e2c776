"""Lexical terms: the words BM25 indexes and matches, stemmed the same way for guides and questions."""

from __future__ import annotations

import re
from functools import lru_cache

# The same token pattern, stop words and stemmer that bm25s uses by default.
TOKEN = re.compile(r"(?u)\b\w\w+\b")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN  # bm25s is slow to import: only when needed

    return frozenset(STOPWORDS_EN)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer  # PyStemmer: the Snowball stemmer bm25s recommends

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def content_stopwords() -> frozenset[str]:
    """A fuller English list (bm25s's STOPWORDS_EN_PLUS): words that carry no topic of their own."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return frozenset(STOPWORDS_EN_PLUS) | stopwords()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def words(text: str) -> list[str]:
    """Lower-cased words of a text, stop words removed, in order."""
    stop = stopwords()
    return [w for w in TOKEN.findall(text.lower()) if w not in stop]


def terms(text: str) -> list[str]:
    """Stemmed terms of a text, as BM25 indexes them."""
    return [stem(w) for w in words(text)]


def content_terms(text: str) -> list[str]:
    """Stemmed terms of a text without any function words: what a question is about."""
    stop = content_stopwords()
    return [stem(w) for w in TOKEN.findall(text.lower()) if w not in stop]


def matched_words(question: str, text: str) -> list[str]:
    """Words of the question whose stem occurs in the text, each once, in question order."""
    present = set(terms(text))
    seen: list[str] = []
    for word in words(question):
        if stem(word) in present and word not in seen:
            seen.append(word)
    return seen
