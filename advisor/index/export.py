"""Index export: the sentence-transformers model exported once to ONNX, checked against it, put in a build.

Exports are cached in ``index_dir/.models/<hash of the model's files>/``: the export is deterministic,
so a rebuild with the same model reuses it (after checking its hashes). Each build then holds its own
``encoder/`` folder, hard links to the cached files, checked against the build's vectors: the build
fails if any text embeds below MIN_COSINE against sentence-transformers.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import numpy as np

from advisor.errors import ModelError, reason
from advisor.index.embed import resolve_model
from advisor.index.onnx import EXPORT_MANIFEST, MODEL_FILE, TOKENIZER_FILES, OnnxEncoder, read_export, sha256

CACHE_DIR = ".models"
MIN_COSINE = 0.99999
OPSET = 18  # the dynamo exporter's lowest native opset; 17 is reached only by down-conversion
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export_encoder(
    model: str, cache_dir: Path, target: Path, texts: Sequence[str], reference: np.ndarray
) -> str:
    """Put the model's ONNX export in `target`, verified on `texts` against `reference` (their
    sentence-transformers vectors); the sha256 of model.onnx. ModelError if they differ."""
    cached = cached_export(Path(resolve_model(model)), cache_dir)
    target.mkdir()
    for name in (MODEL_FILE, *TOKENIZER_FILES, EXPORT_MANIFEST):
        _link(cached / name, target / name)
    encoder = OnnxEncoder(target, model_id=model)
    verify(encoder, texts, reference)
    return encoder.model_sha256


def cached_export(model_dir: Path, cache_dir: Path) -> Path:
    """The export of `model_dir` from the cache, exported (again) when missing or damaged."""
    if not model_dir.is_dir():
        raise ModelError(f"no model folder {model_dir} to export; set ADVISOR_ENCODER=torch for this model")
    folder = cache_dir / folder_sha256(model_dir)[:16]
    try:
        read_export(folder)
        return folder
    except ModelError:
        return export_onnx(model_dir, folder)


def verify(
    encoder: OnnxEncoder, texts: Sequence[str], reference: np.ndarray, min_cosine: float = MIN_COSINE
) -> float:
    """The lowest cosine between the encoder's vectors and the reference; ModelError below `min_cosine`."""
    vectors = encoder.encode(texts)
    if vectors.shape != reference.shape:
        raise ModelError(f"the ONNX export makes vectors of {vectors.shape}, the build {reference.shape}")
    if not len(texts):
        return 1.0
    cosines = np.sum(vectors * reference, axis=1)
    worst = int(np.argmin(cosines))
    if not cosines[worst] >= min_cosine:  # `not >=` so that NaN fails too
        raise ModelError(
            f"the ONNX export of {encoder.model_id} does not match sentence-transformers: "
            f"{int((~(cosines >= min_cosine)).sum())} of {len(texts)} texts embed below cosine {min_cosine}, "
            f"worst {cosines[worst]:.6f} on {texts[worst][:60]!r}; set ADVISOR_ENCODER=torch for this model"
        )
    return float(cosines[worst])


def export_onnx(model_dir: Path, out_dir: Path) -> Path:
    """Export the transformer of a sentence-transformers folder to `out_dir`, written atomically."""
    import torch  # build time only: serving never calls this module

    logging.getLogger("torch.onnx").setLevel(logging.ERROR)  # "torchvision is not installed" and such
    from sentence_transformers import SentenceTransformer

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        transformer: Any = SentenceTransformer(str(model_dir), device="cpu")[0].auto_model
        _write_onnx(torch, transformer.eval(), staging / MODEL_FILE)
        for name in TOKENIZER_FILES:
            shutil.copy2(model_dir / name, staging / name)
        export = {
            "source": str(model_dir),
            "opset": OPSET,
            "files": {name: sha256(staging / name) for name in (MODEL_FILE, *TOKENIZER_FILES)},
            "libraries": {n: package_version(n) for n in ("torch", "sentence-transformers", "onnx")},
        }
        (staging / EXPORT_MANIFEST).write_text(json.dumps(export, indent=2))
        staging.chmod(0o755)  # mkdtemp makes it private
        shutil.rmtree(out_dir, ignore_errors=True)
        staging.rename(out_dir)
    except ModelError:
        raise
    except Exception as exc:  # the exporter fails in many ways, all meaning "this model cannot be exported"
        raise ModelError(
            f"cannot export {model_dir} to ONNX ({reason(exc)}); set ADVISOR_ENCODER=torch for this model"
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir


def _write_onnx(torch: Any, transformer: Any, path: Path) -> None:
    """One traced forward pass with dynamic batch and sequence axes; last_hidden_state only."""

    class Hidden(torch.nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.inner = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    # Three distinct tensors: the exporter merges inputs passed as one object into one graph input.
    ids = torch.randint(1000, 2000, (2, 8), dtype=torch.int64)
    mask = torch.ones_like(ids)
    mask[1, 5:] = 0  # a padded row, so that nothing specialised to an all-ones mask is traced
    sample = (ids, mask, torch.zeros_like(ids))
    batch, seq = torch.export.Dim("batch", min=1, max=1024), torch.export.Dim("sequence", min=1, max=512)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on axis names, not for the user
        program = torch.onnx.export(
            Hidden().eval(),
            sample,
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_shapes={name: {0: batch, 1: seq} for name in INPUTS},
            opset_version=OPSET,
            dynamo=True,
            external_data=False,  # one file, one hash
            verbose=False,  # no "[torch.onnx] ..." progress lines in `advisor build`'s output
        )
    program.save(str(path), external_data=False)


def folder_sha256(folder: Path) -> str:
    """One hash over every file's relative name and bytes: the source model's identity."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f"{path.relative_to(folder)}\0{sha256(path)}\0".encode())
    return digest.hexdigest()


def _link(source: Path, target: Path) -> None:
    """A hard link (no second copy of the model on disk), a copy across file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
