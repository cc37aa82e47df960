"""``crosswire bench differ``: does claim B weaken or dispute claim A? (ClaimDiff)

FILE is a ClaimDiff file: ``{"data": [{"topic", "pair_id", "claim_a", "claim_b", "relation" (0/1),
...}]}``, label 1 when claim B weakens claim A. crosswire's figure is precision / recall / F1 of
label 1 from ``analysis.compare.differ`` at its fixed operating point ``THRESHOLD`` (chosen by
cross-validation over the topics of the train split; nothing is chosen on FILE).
Baselines in the same run:
- ``all_positive``: every pair labelled 1;
- ``minilm_lr``: logistic regression on MiniLM pair features [u, v, |u-v|, u*v], trained in this run
  on ``--train`` (default: the ClaimDiff train split), balanced class weights, decision at 0.5.
When FILE is the train file itself, both crosswire's model and the baseline were trained on what
is scored; the result says so (``scored_on_training_data``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from crosswire.bench.common import Timer, prf, require
from crosswire.errors import BenchDataError
from crosswire.settings import bench_root

TRAIN_FILE = ("differ", "ClaimDiff-weak-train.json")
FIELDS = ("claim_a", "claim_b", "relation")


def load(file: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    path = require(file, "ClaimDiff JSON")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BenchDataError(f"{path}: not readable JSON ({exc})") from exc
    rows = data.get("data") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise BenchDataError(f"{path}: expected an object with a `data` list of claim pairs")
    out = []
    for k, row in enumerate(rows):
        if not isinstance(row, dict) or any(f not in row for f in FIELDS):
            raise BenchDataError(f"{path}: pair {k} lacks one of {', '.join(FIELDS)}")
        if not all(isinstance(row[f], str) and row[f].strip() for f in ("claim_a", "claim_b")):
            raise BenchDataError(f"{path}: pair {k}: claim_a and claim_b must be non-empty strings")
        if row["relation"] not in (0, 1):
            raise BenchDataError(f"{path}: pair {k}: relation must be 0 or 1, got {row['relation']!r}")
        out.append(row)
        if limit is not None and len(out) >= limit:
            break
    if not out:
        raise BenchDataError(f"{path}: no claim pairs")
    return out


def scores(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    p, r, f = prf(float(np.sum(pred & gold)), float(pred.sum()), float(gold.sum()))
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def pair_features(lang, rows: list[dict]) -> np.ndarray:
    """MiniLM pair features [u, v, |u-v|, u*v] (u, v: normalised sentence embeddings of A and B)."""
    texts = sorted({t for r in rows for t in (r["claim_a"], r["claim_b"])})
    emb = dict(zip(texts, lang.embed(texts)))
    u = np.stack([emb[r["claim_a"]] for r in rows])
    v = np.stack([emb[r["claim_b"]] for r in rows])
    return np.hstack([u, v, np.abs(u - v), u * v])


def minilm_lr(lang, train_rows: list[dict], test_rows: list[dict]) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    y = np.array([r["relation"] for r in train_rows])
    if len(set(y.tolist())) < 2:
        raise BenchDataError("the --train file needs pairs of both labels for the logistic-regression baseline")
    clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
    clf.fit(pair_features(lang, train_rows), y)
    return clf.predict_proba(pair_features(lang, test_rows))[:, 1] >= 0.5


def run(file: str, train: str | None = None, limit: int | None = None, lang=None) -> dict[str, Any]:
    from crosswire.analysis.compare import differ as model
    from crosswire.nlp import Language

    rows = load(file, limit)
    train_path = Path(train) if train else bench_root().joinpath(*TRAIN_FILE)
    train_rows = load(train_path)
    gold = np.array([r["relation"] == 1 for r in rows])
    lang = lang or Language()
    d = model.Differ()
    with Timer() as t_load:
        rec = d.record  # loads the model, so that the timing below is scoring only
    with Timer() as t_model:
        p = d.score([(r["claim_a"], r["claim_b"]) for r in rows])
    with Timer() as t_base:
        base = minilm_lr(lang, train_rows, rows)
    train_ids = {r.get("pair_id") for r in train_rows} | {(r["claim_a"], r["claim_b"]) for r in train_rows}
    overlap = sum(1 for r in rows if r.get("pair_id") in train_ids or (r["claim_a"], r["claim_b"]) in train_ids)
    if hashlib.sha256(Path(file).read_bytes()).hexdigest() == rec.get("trained_on", {}).get("weak_sha256"):
        overlap = len(rows)  # the file crosswire's model was trained on
    result: dict[str, Any] = {
        "pairs": len(rows),
        "positives": int(gold.sum()),
        **scores(p >= model.THRESHOLD, gold),
        "threshold": model.THRESHOLD,
        "model": {
            "file": model.ONNX_FILE,
            "head_features": rec.get("head", {}).get("features"),
            "trained_on": rec.get("trained_on", {}).get("weak"),
            "cv_nested_f1_train_split": rec.get("cv", {}).get("nested", {}).get("f1"),
        },
        "baselines": {
            "all_positive": scores(np.ones_like(gold), gold),
            "minilm_lr": {**scores(base, gold), "trained_on": train_path.name, "train_pairs": len(train_rows)},
        },
        "scored_on_training_data": overlap,
        "pairs_per_second": round(len(rows) / max(t_model.seconds, 1e-9), 1),
        "model_load_seconds": round(t_load.seconds, 2),
        "seconds": round(t_load.seconds + t_model.seconds + t_base.seconds, 2),
    }
    if overlap:
        result["warning"] = (
            f"{overlap} of {len(rows)} scored pairs are in the training data of crosswire's model "
            "or the baseline: not a held-out figure"
        )
    return result
