"""Excerpts: a hit as the ask page shows it: its best stretch, matched words marked, a link to it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from markupsafe import Markup, escape

from advisor.guides.sections import Guide, Section
from advisor.guides.windows import sentence_spans
from advisor.language.terms import TOKEN, stem, stopwords
from advisor.search.retrieve import Hit

MAX_EXCERPT = 600  # characters of a section shown under a result; the link leads to the rest
LIST_MARKER = re.compile(r"^(?:- |\d+\. )")  # what passages put before list items; not on the page
BULLET = re.compile(r"^- ")


@dataclass(frozen=True)
class Excerpt:
    """One result on the ask page."""

    section: Section
    answers: tuple[Markup, ...]  # the sentences that best answer the question, shown first
    paragraphs: tuple[Markup, ...]  # escaped text, matched words in <mark>
    cut_before: bool  # text of the section precedes the excerpt
    cut_after: bool  # text of the section follows it
    href: str  # the section's url, with a text fragment on the best sentence where one is safe
    reason: str | None = None  # for a next step: why it follows
    fragment_text: str = ""  # the section's sentence the href's text fragment marks ("": none)


def highlight(text: str, words: Iterable[str]) -> Markup:
    """`text` escaped, with every word whose stem is a matched word's stem wrapped in <mark>.

    Escaping comes first, piece by piece, so nothing in `text` can become markup."""
    stems = {stem(w.lower()) for w in words}
    stop = stopwords()
    out, last = [], 0
    for match in TOKEN.finditer(text):
        word = match.group().lower()
        if word in stop or stem(word) not in stems:
            continue
        out.append(escape(text[last : match.start()]))
        out.append(Markup("<mark>%s</mark>") % match.group())
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def excerpt(hit: Hit, guide: Guide) -> Excerpt:
    """The hit's best window, from its start, cut to MAX_EXCERPT characters around its best sentence
    (the model's first highlight, else the one with most matched words): a short section is shown whole.
    The highlight sentences come first, as the answer."""
    text = hit.section.text
    spans = sentence_spans(text) or [(0, len(text))]
    best, in_window = _best(hit, spans)
    answers = tuple(highlight(LIST_MARKER.sub("", h.text), hit.matched_terms) for h in hit.highlights)
    first, last = _around(spans, in_window[0], best)
    start, end = spans[first][0], spans[last][1]
    lines = (BULLET.sub("• ", line) for line in text[start:end].split("\n") if line.strip())
    paragraphs = tuple(highlight(line, hit.matched_terms) for line in lines)
    sentence = text[slice(*spans[best])]
    fragment = text_fragment(sentence, guide)
    href = hit.section.url + fragment
    marked = LIST_MARKER.sub("", sentence).strip() if fragment else ""  # as the fragment names it
    return Excerpt(hit.section, answers, paragraphs, start > 0, end < len(text), href, hit.reason, marked)


def fragment(hit: Hit, guide: Guide) -> str:
    """The text fragment of the hit's best sentence, as the ask page links it ("" where none is safe)."""
    text = hit.section.text
    spans = sentence_spans(text) or [(0, len(text))]
    return text_fragment(text[slice(*spans[_best(hit, spans)[0]])], guide)


def unmarked(sentence: str) -> tuple[str, int]:
    """A sentence without the list marker passages put before a list item ("- ", "3. "), which the guide
    page shows as a bullet or a number; and how many characters were cut from its start."""
    marker = LIST_MARKER.match(sentence)
    cut = marker.end() if marker else 0
    return sentence[cut:], cut


def _best(hit: Hit, spans: list[tuple[int, int]]) -> tuple[int, list[int]]:
    """The best sentence (the model's first highlight, else the one of the best window with most
    matched words), and the sentences of the window with it."""
    text = hit.section.text
    in_window = [i for i, s in enumerate(spans) if hit.window[0] <= s[0] and s[1] <= hit.window[1]]
    in_window = in_window or list(range(len(spans)))
    best = max(in_window, key=lambda i: (_marks(text[slice(*spans[i])], hit), -i))
    if hit.highlights:
        best = next((i for i, s in enumerate(spans) if s[0] == hit.highlights[0].start), best)
        in_window = sorted({*in_window, best})
    return best, in_window


def _marks(sentence: str, hit: Hit) -> int:
    return str(highlight(sentence, hit.matched_terms)).count("<mark>")


def _around(spans: list[tuple[int, int]], first: int, best: int) -> tuple[int, int]:
    """Sentences first..last holding `best`: from `first` if they fit, then grown while they fit."""

    def fits(a: int, b: int) -> bool:
        return spans[b][1] - spans[a][0] <= MAX_EXCERPT

    first = min(first, best)
    while first < best and not fits(first, best):
        first += 1
    last = best
    while last + 1 < len(spans) and fits(first, last + 1):
        last += 1
    while first > 0 and fits(first - 1, last):
        first -= 1
    return first, last


def text_fragment(sentence: str, guide: Guide) -> str:
    """`:~:text=...` for a sentence, so browsers highlight it; empty where it could land elsewhere.

    Browsers match the first occurrence in the whole page, within one block of text, ignoring case.
    So the sentence must occur exactly once in the guide, and not span table cells."""
    sentence = LIST_MARKER.sub("", sentence).strip()
    if len(sentence) < 12 or " | " in sentence:
        return ""
    if _guide_text(guide).count(sentence.casefold()) != 1:
        return ""
    return ":~:text=" + quote(sentence, safe="").replace("-", "%2D")


@lru_cache(maxsize=16)
def _guide_text(guide: Guide) -> str:
    return "\n".join(f"{s.heading}\n{s.text}" for s in guide.sections).casefold()
