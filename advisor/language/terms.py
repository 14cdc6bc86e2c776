"""Lexical terms: the words BM25 indexes and matches, stemmed the same way for guides and questions."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Collection
from functools import lru_cache
from types import ModuleType

# The same token pattern, stop words and stemmer that bm25s uses by default.
TOKEN = re.compile(r"(?u)\b\w\w+\b")


@lru_cache(maxsize=1)
def bm25s() -> ModuleType:
    """bm25s, imported on first use and without numba.

    bm25s imports numba whenever it is installed (the test extra brings it, for ranx), which costs
    every serving process half a second and 50 MB, though the advisor uses bm25s's numpy backend.
    numba stays importable for everything else.
    """
    if "bm25s" in sys.modules or "numba" in sys.modules:
        return importlib.import_module("bm25s")
    sys.modules["numba"] = None  # type: ignore[assignment]  # makes `import numba` fail, inside bm25s only
    try:
        return importlib.import_module("bm25s")
    finally:
        del sys.modules["numba"]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(bm25s().stopwords.STOPWORDS_EN)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer  # PyStemmer: the Snowball stemmer bm25s recommends

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def content_stopwords() -> frozenset[str]:
    """A fuller English list (bm25s's STOPWORDS_EN_PLUS): words that carry no topic of their own."""
    return frozenset(bm25s().stopwords.STOPWORDS_EN_PLUS) | stopwords()


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
    return matched_in(question, frozenset(terms(text)))


def matched_in(question: str, present: Collection[str]) -> list[str]:
    """Words of the question whose stem is one of the `present` terms, each once, in question order."""
    seen: list[str] = []
    for word in words(question):
        if stem(word) in present and word not in seen:
            seen.append(word)
    return seen
