#!/usr/bin/env python3
"""Experiment (not shipped): does MiniLM fine-tuned on the labelled same-fact pairs make a better sentence
encoder for the same-fact model than the packaged MiniLM?

usage:
  .venv/bin/python scripts/tune_pairing_encoder.py ARTICLES.jsonl GOLD.json [ARTICLES.jsonl GOLD.json ...]
        [--epochs 1] [--cache /tmp/pairing_cache_71.pkl] [--arm both|base|tuned]

The units, labels, folds (5, seed 7), model fitting and threshold grid are ``scripts/train_pairing.py``'s.
Two arms are cross-validated over the same folds:
- base: the packaged MiniLM (fp32) embeds every unit;
- tuned: for each outer fold, the training stories are split in two halves; an encoder tuned on one half
  embeds the other (cross-fitting, so that the logistic model is fitted on similarities the encoder was not
  trained on), and an encoder tuned on all the training stories embeds the fold's test stories.
Tuning: contrastive loss over in-batch negatives plus one labelled hard negative a pair (both orders of every
positive pair; batch 32, lr 2e-5 with 10 % warm-up, scale 20), ``--epochs`` passes.
The sealed check sets are refused, as in train_pairing.py.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np

import train_pairing as tp
from crosswire.nlp import Language
from crosswire.nlp.encoders import EMBED_PACKAGE


def _log(*parts: object) -> None:
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def _load():
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(resources.files(EMBED_PACKAGE) / "model"), device="cpu")


def _triples(stories: list[dict], rng: random.Random) -> list[tuple[str, str, str | None]]:
    """(anchor, positive, hard negative or None) for both orders of every labelled positive pair."""
    out = []
    for st in stories:
        pairs, _, y = st["data"]
        texts = st["texts"]
        negatives: dict[int, list[int]] = {}
        for (i, j), label in zip(pairs.tolist(), y.tolist()):
            if label == 0:
                negatives.setdefault(i, []).append(j)
                negatives.setdefault(j, []).append(i)
        for (i, j), label in zip(pairs.tolist(), y.tolist()):
            if label == 1:
                for a, b in ((i, j), (j, i)):
                    neg = negatives.get(a)
                    out.append((texts[a], texts[b], texts[rng.choice(neg)] if neg else None))
    rng.shuffle(out)
    return out


def tune(stories: list[dict], epochs: float, seed: int):
    import torch

    rng = random.Random(seed)
    torch.manual_seed(seed)
    model = _load()
    model.train()
    data = _triples(stories, rng)
    batch = 32
    steps = max(1, int(len(data) / batch * epochs))
    opt = torch.optim.AdamW(model.parameters(), lr=2e-5)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / max(1, steps // 10)))

    def encode(texts: list[str]) -> torch.Tensor:
        features = getattr(model, "preprocess", model.tokenize)(texts)
        return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)

    t0 = time.time()
    loss = torch.zeros(())
    for s in range(steps):
        rows = [data[(s * batch + k) % len(data)] for k in range(batch)]
        anchors = encode([r[0] for r in rows])
        hard = [r[2] for r in rows if r[2]]
        cands = encode([r[1] for r in rows] + hard)
        loss = torch.nn.functional.cross_entropy(20 * anchors @ cands.T, torch.arange(len(rows)))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    _log(f"  tuned on {len(stories)} stories: {len(data)} triples, {steps} steps, {time.time() - t0:.0f} s")
    model.eval()
    return model


def embed(model, stories: list[dict]) -> None:
    for st in stories:
        st["emb"] = model.encode(st["texts"], batch_size=64, normalize_embeddings=True).astype(np.float32)
        st["data"] = tp.dataset(st)


def cross_validate(stories: list[dict], sets: list[tuple[str, str]], tuned: bool, epochs: float) -> dict:
    tag = "tuned" if tuned else "base"

    def tune_fold(k: int, train: list[dict], tests: list[dict]) -> None:
        halves = [train[0::2], train[1::2]]
        for a, b in ((0, 1), (1, 0)):
            embed(tune(halves[a], epochs, seed=10 * k + a), halves[b])
        embed(tune(train, epochs, seed=10 * k + 2), tests)

    if not tuned:
        embed(_load(), stories)
    held = tp.held_out_grouping(stories, tp.story_folds(len(stories), 5, 7), tune_fold if tuned else None)
    out = {"all": tp.figures(stories, [held[i] for i in range(len(stories))])}
    _log(tag, "cross-validated:", tp._short(out["all"]))
    for g, idx in tp.stories_by_set(stories, sets).items():
        out[Path(g).name] = tp.figures([stories[i] for i in idx], [held[i] for i in idx])
        _log(tag, "   ", Path(g).name, tp._short(out[Path(g).name]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="+", help="ARTICLES.jsonl GOLD.json pairs")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--cache", default="/tmp/pairing_cache_71.pkl")
    ap.add_argument("--arm", choices=("both", "base", "tuned"), default="both")
    args = ap.parse_args(argv)
    if len(args.sets) % 2:
        ap.error("give ARTICLES.jsonl GOLD.json pairs")
    sets = list(zip(args.sets[::2], args.sets[1::2]))
    if any(Path(g).name in tp.SEALED for _, g in sets):
        ap.error(f"the sealed check sets ({', '.join(sorted(tp.SEALED))}) are never used here")
    cache, key = Path(args.cache), json.dumps(sets)
    saved = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    stories = saved.get("stories") if saved.get("key") == key else None
    if stories is None:
        stories = tp.build_stories(sets, Language())
        cache.write_bytes(pickle.dumps({"key": key, "stories": stories}))
    for st in stories:
        st["texts"] = [u.embed_text or u.text for u in st["units"]]
    result = {}
    for arm in ("base", "tuned"):
        if args.arm in ("both", arm):
            result[arm] = cross_validate(stories, sets, arm == "tuned", args.epochs)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
