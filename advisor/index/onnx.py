"""Index encoder on ONNX Runtime: questions turned into vectors by the exported model, without torch.

A build's ``encoder/`` folder (written by `export.py`)::

    model.onnx                  the transformer: ids, attention mask, token types -> last_hidden_state
    tokenizer.json              the model's own tokenizer (its fixed 128 padding and truncation replaced)
    sentence_bert_config.json   max_seq_length: where sentence-transformers truncates (256)
    export.json                 sha256 of every file above, opset, library versions

Serving needs numpy, onnxruntime and tokenizers only. Every file is checked against its hash on load:
the build's check against sentence-transformers cannot see damage in embedding rows no text uses.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from advisor.errors import ModelError, reason

if TYPE_CHECKING:
    from tokenizers import Tokenizer

ENCODER_DIR = "encoder"
MODEL_FILE = "model.onnx"
EXPORT_MANIFEST = "export.json"
TOKENIZER_FILES = ("tokenizer.json", "sentence_bert_config.json")
REBUILD = "run `advisor build` to export it again"


def read_export(folder: Path, *, model_sha256: str | None = None) -> dict[str, Any]:
    """The folder's export.json, every file checked against its hash (and model.onnx against
    `model_sha256`, the index manifest's record); ModelError naming the damaged file otherwise."""
    try:
        export = json.loads((folder / EXPORT_MANIFEST).read_text())
        files = dict(export["files"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"{folder / EXPORT_MANIFEST} is missing or unreadable ({reason(exc)}); {REBUILD}"
        ) from exc
    if model_sha256 is not None and files.get(MODEL_FILE) != model_sha256:
        raise ModelError(f"{folder / MODEL_FILE} is not the model the index was built with; {REBUILD}")
    for name, expected in files.items():
        if not (folder / name).is_file() or sha256(folder / name) != expected:
            raise ModelError(f"{folder / name} is missing or damaged (its hash changed); {REBUILD}")
    return dict(export)


class OnnxEncoder:
    """The exported model on onnxruntime: the same vectors and token counts as SentenceEmbedder."""

    def __init__(
        self, folder: Path, *, model_id: str, threads: int = 0, model_sha256: str | None = None
    ) -> None:
        self.model_id = model_id
        self.model_sha256 = read_export(folder, model_sha256=model_sha256)["files"][MODEL_FILE]
        config = json.loads((folder / "sentence_bert_config.json").read_text())
        max_seq_length = int(config["max_seq_length"])
        self.max_tokens = max_seq_length - 2  # [CLS] and [SEP]
        self._counter = _tokenizer(folder, None)
        self._tokenizer = _tokenizer(folder, max_seq_length)
        self.vocabulary = frozenset(w for w in self._counter.get_vocab() if w.isalpha())
        self._session = _session(folder / MODEL_FILE, threads)
        self._inputs = [i.name for i in self._session.get_inputs()]
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """(len(texts), dimension) float32 rows of unit length, in the order given."""
        # Longest first, as sentence-transformers does: batches of like lengths pad little.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._encode_batch([texts[i].strip() for i in rows])
        return out

    def count_tokens(self, text: str) -> int:
        """Word pieces the model reads for this text, special tokens excluded, before truncation."""
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {name: feeds[name] for name in self._inputs})[0]
        return mean_pool_normalise(hidden, mask)


def mean_pool_normalise(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' Pooling(mean) then Normalize: padding excluded, rows of unit length."""
    weights = mask[:, :, None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def _tokenizer(folder: Path, max_length: int | None) -> Tokenizer:
    """The model's tokenizer, truncating where sentence-transformers does and padding to the batch's
    longest: tokenizer.json itself pads every text to 128 and truncates at 128."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    saved = tokenizer.padding or {"pad_id": 0, "pad_token": "[PAD]"}
    tokenizer.no_truncation()
    tokenizer.no_padding()
    if max_length is not None:
        tokenizer.enable_truncation(max_length=max_length)
        tokenizer.enable_padding(pad_id=saved["pad_id"], pad_token=saved["pad_token"], length=None)
    return tokenizer


def _session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads  # 0: onnxruntime's default, one per physical core
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own types, all meaning "this file is no model"
        raise ModelError(f"{path}: onnxruntime cannot load it ({reason(exc)}); {REBUILD}") from exc


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
