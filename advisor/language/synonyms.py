"""Synonyms: the corpus's table of acronyms and synonyms, applied to questions before searching."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from advisor.errors import CorpusError
from advisor.language.terms import stem

SYNONYMS_FILE = "synonyms.toml"  # kept beside the guides in the corpus folder


def load_synonyms(corpus_dir: Path) -> dict[str, str]:
    """The `[terms]` table of corpus_dir/synonyms.toml (lower-cased keys), or {} when there is none."""
    path = corpus_dir / SYNONYMS_FILE
    if not path.is_file():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("terms", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: not a valid TOML synonyms table ({exc})") from exc
    if not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in table.items()):
        raise CorpusError(f"{path}: every entry of [terms] must map a word to a non-empty string")
    return {key.lower().strip(): value.strip() for key, value in table.items()}


def expand(question: str, synonyms: dict[str, str], *, keep: bool = True) -> str:
    """Each known term followed by its expansion, 'k8s' -> 'k8s (kubernetes)', or replaced by it.

    A one-word key also matches its other forms, compared by stem: "paying" is "pay", "certs" "cert".
    """
    if not synonyms:
        return question
    keys = sorted(synonyms, key=len, reverse=True)  # longest first: "ci cd" before "ci"
    by_stem = {stem(key): key for key in reversed(keys) if key.isalpha()}  # the shortest key of a stem
    alternatives = "|".join(re.escape(k) for k in keys)
    pattern = re.compile(rf"(?<!\w)({alternatives}|[^\W\d_]+)(?!\w)", re.IGNORECASE)

    def sub(match: re.Match[str]) -> str:
        word = match.group(0)
        key = word.lower() if word.lower() in synonyms else by_stem.get(stem(word.lower()))
        if key is None:
            return word
        return f"{word} ({synonyms[key]})" if keep else synonyms[key]

    return pattern.sub(sub, question)
