"""Train the claim-difference model shipped in src/crosswire/data/differ/.

Three stages, each run under the CPU lock (``/work/tools/heavy nice -n 10 ...``):

    # 1. NLI pre-training of a MiniLM cross-encoder on public NLI pairs (CSV: premise,hypothesis,label)
    .venv/bin/python scripts/train_differ.py nli --out /work/data/differ/nli.pt NLI.csv...
    # 2. cross-validation over the topics of the ClaimDiff train split (group k-fold by `topic`)
    .venv/bin/python scripts/train_differ.py cv --init /work/data/differ/nli.pt --out RUN.json [settings]
    # 3. the final model on the whole train split, exported to int8 ONNX in the package
    .venv/bin/python scripts/train_differ.py final --init /work/data/differ/nli.pt --cv RUN.json [settings]

Only the ClaimDiff *train* files are ever read (default ../shared/bench/differ/); the split the
benchmark scores is never used. The settings and the operating threshold come from stage 2.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import differ_model as dm  # noqa: E402
from differ_cv import add_diff_args, run_cv, run_final  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench" / "differ"


def stage_nli(args) -> None:
    torch.manual_seed(args.seed)
    path = dm.encoder_dir()
    tok = dm.load_tokenizer(path, args.max_len)
    pairs: list[dm.Pair] = []
    for f in args.files:
        pairs += dm.read_nli_csv(Path(f))
    rng = random.Random(args.seed)
    rng.shuffle(pairs)
    held = [p for p in pairs if p.group.startswith("mnli")][: args.holdout]
    held_ids = {id(p) for p in held}
    train = [p for p in pairs if id(p) not in held_ids]
    print(f"NLI: {len(train)} training pairs, {len(held)} held-out MNLI pairs", flush=True)
    model = dm.PairModel(path, n_diff=1)
    cfg = dm.TrainConfig(epochs=args.epochs, lr=args.lr, batch=args.batch, seed=args.seed)
    stats = dm.train(model, tok, train, cfg, log_every=100)
    nli, _ = dm.predict(model, tok, held)
    acc = float(np.mean(nli.argmax(1) == np.array([p.nli for p in held])))
    print(f"held-out MNLI accuracy {acc:.4f}", flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out)
    record = {"files": [str(f) for f in args.files], "train_pairs": len(train), "heldout_mnli_pairs": len(held),
              "heldout_mnli_accuracy": round(acc, 4), "config": asdict(cfg), "max_len": args.max_len, **stats}
    out.with_suffix(".json").write_text(json.dumps(record, indent=1))
    print(json.dumps(record), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="stage", required=True)
    a = sub.add_parser("nli", help="pre-train the cross-encoder on NLI pairs")
    a.add_argument("files", nargs="+", help="CSV files with premise,hypothesis,label")
    a.add_argument("--out", required=True)
    a.add_argument("--epochs", type=float, default=2.0)
    a.add_argument("--lr", type=float, default=4e-5)
    a.add_argument("--batch", type=int, default=32)
    a.add_argument("--max-len", type=int, default=128)
    a.add_argument("--holdout", type=int, default=1000, help="MNLI pairs kept out to report accuracy")
    a.add_argument("--seed", type=int, default=13)
    for name, hlp in (("cv", "group k-fold by topic on the ClaimDiff train split"),
                      ("final", "train on the whole train split and export the package model")):
        s = sub.add_parser(name, help=hlp)
        s.add_argument("--weak", default=str(BENCH / "ClaimDiff-weak-train.json"))
        s.add_argument("--strength", default=str(BENCH / "ClaimDiff-strength-train.json"))
        add_diff_args(s)
    args = ap.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    t0 = time.perf_counter()
    if args.stage == "nli":
        stage_nli(args)
    elif args.stage == "cv":
        run_cv(args)
    else:
        run_final(args, ROOT)
    print(f"done in {time.perf_counter() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
