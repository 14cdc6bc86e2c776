"""Career Advisor: cited answers to career questions, taken word for word from career guides."""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> module that defines it; imported on first use so `advisor --help` stays fast.
_EXPORTS = {
    "Advisor": "advisor.answer.advisor",
    "Answer": "advisor.answer.advisor",
    "Hit": "advisor.search.retrieve",
    "Guide": "advisor.guides.sections",
    "Section": "advisor.guides.sections",
    "load_corpus": "advisor.guides.sections",
    "parse_guide": "advisor.guides.sections",
    "Settings": "advisor.settings",
    "get_settings": "advisor.settings",
    "AdvisorError": "advisor.errors",
    "CorpusError": "advisor.errors",
    "IndexCorruptError": "advisor.errors",
    "IndexMissingError": "advisor.errors",
    "IndexStaleError": "advisor.errors",
    "InvalidRequestError": "advisor.errors",
    "ModelError": "advisor.errors",
    "NotFoundError": "advisor.errors",
    "EvalDataError": "advisor.errors",
    "EvalQuestion": "advisor.evals.questions",
    "load_questions": "advisor.evals.questions",
    "load_beir": "advisor.evals.beir",
    "question_metrics": "advisor.evals.metrics",
    "run_questions": "advisor.evals.evaluate",
    "summarise": "advisor.evals.evaluate",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'advisor' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
