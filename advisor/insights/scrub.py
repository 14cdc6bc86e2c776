"""Scrub: a visitor's question with e-mail addresses, URLs, phone numbers and long digit runs removed.

Runs before anything is recorded, so the insights store never holds contact details or account,
card or ID numbers a visitor typed into the ask box. Years ("2024"), salaries ("120,000") and short
numbers ("5 years") are kept: they are what career questions are about.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]{0,20}://|\bwww\.)[^\s<>\"']+", re.IGNORECASE)
# Groups of digits joined by one space, dot, dash or slash, maybe a +country and an (area code).
# Each join is a single separator, so a match can be split only one way: no catastrophic backtracking.
PHONE = re.compile(r"(?<![\w.,/-])(?:\+|00)?(?:\(\d+\)[ .-]?)?\d+(?:[ ./-]\(?\d+\)?)*(?![\w,])")
DIGITS = re.compile(r"\d{7,}")
YEAR_RANGE = re.compile(r"(?:19|20)\d\d ?[-/] ?(?:19|20)\d\d")
DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")

PLACEHOLDERS = {"email": "<email>", "url": "<url>", "phone": "<phone>", "number": "<number>"}


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    if YEAR_RANGE.fullmatch(text) or DATE.fullmatch(text):
        return text
    if sum(ch.isdigit() for ch in text) < 7:
        return text
    return PLACEHOLDERS["number"] if text.isdigit() else PLACEHOLDERS["phone"]


def scrub(text: str) -> str:
    """The text with personal details replaced by `<email>`, `<url>`, `<phone>` and `<number>`."""
    text = EMAIL.sub(PLACEHOLDERS["email"], text)
    text = URL.sub(PLACEHOLDERS["url"], text)
    text = PHONE.sub(_phone, text)
    return DIGITS.sub(PLACEHOLDERS["number"], text)
