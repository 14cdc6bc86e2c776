"""Errors: every failure a user can cause or meet, in one tree.

AdvisorError                 base; the CLI prints its message, the API maps it to the error shape
├── CorpusError              a guide cannot be read or parsed (names the file)
├── BadIndexError            base for index problems
│   ├── IndexMissingError    no index built yet (says how to build one)
│   ├── IndexStaleError      corpus, model or build settings changed since the build
│   └── IndexCorruptError    a file is missing, truncated or inconsistent
├── ModelError               the embedding model cannot be loaded (names the setting)
├── InvalidRequestError      a question or parameter the user sent is not acceptable
├── NotFoundError            an unknown guide or section
├── NotReadyError            the server is still loading the index or warming the model
├── StoreError               the insights database cannot be opened, read or written (names it)
└── EvalDataError            an eval question file, benchmark folder or report is unusable
"""

from __future__ import annotations


class AdvisorError(Exception):
    """Base class: a failure with a message meant for the user."""

    code = "advisor_error"
    status = 500

    def __init__(self, message: str, *, details: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class CorpusError(AdvisorError):
    code = "corpus_error"
    status = 500


class BadIndexError(AdvisorError):
    code = "index_error"
    status = 503


class IndexMissingError(BadIndexError):
    code = "index_missing"


class IndexStaleError(BadIndexError):
    code = "index_stale"


class IndexCorruptError(BadIndexError):
    code = "index_corrupt"


class ModelError(AdvisorError):
    code = "model_error"
    status = 503


class InvalidRequestError(AdvisorError):
    code = "invalid_request"
    status = 422


class NotFoundError(AdvisorError):
    code = "not_found"
    status = 404


class NotReadyError(AdvisorError):
    code = "not_ready"
    status = 503


class StoreError(AdvisorError):
    code = "store_error"
    status = 503


class EvalDataError(AdvisorError):
    code = "eval_data_error"
    status = 422


def reason(exc: BaseException, *, limit: int = 300) -> str:
    """Another library's exception as one short line for our messages: its type and its first words."""
    text = " ".join(str(exc).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
