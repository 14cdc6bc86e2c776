"""Embeddings: the sentence-transformers model, loaded from disk only, turning texts into unit vectors."""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from advisor.errors import ModelError, reason

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class Embedder(Protocol):
    """What the index and retrieval need of a model."""

    model_id: str
    dimension: int
    max_tokens: int
    vocabulary: frozenset[str]  # whole words the model knows: never "corrected" as misspellings

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dimension) float32 rows of unit length."""
        ...

    def count_tokens(self, text: str) -> int:
        """Word pieces the model reads for this text, special tokens excluded."""
        ...


def resolve_model(model: str) -> str:
    """A model setting as a local path: a folder, or the folder an installed package bundles."""
    path = Path(model).expanduser()
    if path.is_dir():
        return str(path)
    if model.isidentifier() and importlib.util.find_spec(model) is not None:
        package = importlib.import_module(model)
        folder = getattr(package, "MODEL_DIR", None)
        if folder is not None and Path(folder).is_dir():
            return str(folder)
        raise ModelError(f"package {model!r} bundles no model folder (MODEL_DIR); check ADVISOR_MODEL")
    return model  # a name, found only in the local Hugging Face cache since the hub is offline


class SentenceEmbedder:
    """A sentence-transformers model read from disk, never from the network."""

    def __init__(self, model: str, *, device: str = "cpu", threads: int = 0) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self.model_id = model
        self._model = _load(model, device)
        if threads:
            import torch

            torch.set_num_threads(threads)
        self.dimension = int(self._model.get_embedding_dimension() or 0)
        self.max_tokens = int(self._model.max_seq_length or 256) - 2  # [CLS] and [SEP]
        self._tokenizer = self._model.tokenizer
        vocab = getattr(self._tokenizer, "vocab", {}) or {}
        self.vocabulary = frozenset(w for w in vocab if w.isalpha())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(
            list(texts), batch_size=32, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])


def _load(model: str, device: str) -> SentenceTransformer:
    path = resolve_model(model)
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(path, device=device)
    except Exception as exc:  # any failure here means the same thing to the user
        found = path != model or Path(model).expanduser().is_dir()
        why = (
            reason(exc)
            if found
            else "no such folder, no installed package of that name, and not in the local "
            "Hugging Face cache; models are never downloaded"
        )
        raise ModelError(
            f"cannot load the embedding model {model!r} ({why}). "
            "Set ADVISOR_MODEL to a model folder or an installed model package."
        ) from exc
