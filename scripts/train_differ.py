"""Train the claim-difference model shipped in src/crosswire/data/differ/.

Two stages. The long one goes through the training lane, the short one through the heavy lane:

    # 1. NLI pre-training of a MiniLM cross-encoder on public NLI pairs (CSV: premise,hypothesis,label),
    #    time-boxed: the learning rate decays to zero by --max-minutes, whatever the machine's load
    /work/tools/train .venv/bin/python scripts/train_differ.py nli --out /work/data/differ/nli.pt \
        --epochs 1 --max-minutes 30 --source "REPO@COMMIT" NLI.csv...
    # (the shipped model: mnli/dev.csv, snli/dev.csv, sick/train.csv, sick/dev.csv of the public
    #  repository felipessalvatore/NLI_datasets at 9551b739, kept outside this repository)
    # 2. export the encoder to ONNX in the package, then choose and fit the "B weakens A" head by
    #    group k-fold over the topics of the ClaimDiff train split; writes differ.json
    /work/tools/heavy .venv/bin/python scripts/train_differ.py head --init /work/data/differ/nli.pt

Only the ClaimDiff *train* file is read (default ../shared/bench/differ/ClaimDiff-weak-train.json);
the split the benchmark scores is never used. Stage 2 needs the ``onnx`` and ``onnx-ir`` packages
(export and 8-bit quantisation only; the product needs onnxruntime alone).
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
    model = dm.PairModel(path)
    cfg = dm.TrainConfig(epochs=args.epochs, lr=args.lr, batch=args.batch, seed=args.seed)
    deadline = args.max_minutes * 60 if args.max_minutes else None
    stats = dm.train(model, tok, train, cfg, log_every=100, deadline_s=deadline)
    probs = dm.predict(model, tok, held)
    acc = float(np.mean(probs.argmax(1) == np.array([p.nli for p in held])))
    print(f"held-out MNLI accuracy {acc:.4f}", flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out)
    record = {
        "files": [str(f) for f in args.files],
        "source": args.source,
        "train_pairs": len(train),
        "heldout_mnli_pairs": len(held),
        "heldout_mnli_accuracy": round(acc, 4),
        "config": asdict(cfg),
        "max_len": args.max_len,
        "max_minutes": args.max_minutes,
        "epochs_done": round(stats["pairs_seen"] / len(train), 3),
        **stats,
    }
    out.with_suffix(".json").write_text(json.dumps(record, indent=1))
    heldout = [{"premise": p.a, "hypothesis": p.b, "label": dm.NLI_LABELS[p.nli]} for p in held]
    out.with_suffix(".heldout.json").write_text(json.dumps(heldout))
    print(json.dumps(record), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="stage", required=True)
    a = sub.add_parser("nli", help="pre-train the cross-encoder on NLI pairs")
    a.add_argument("files", nargs="+", help="CSV files with premise,hypothesis,label")
    a.add_argument("--out", required=True)
    a.add_argument("--epochs", type=float, default=1.0)
    a.add_argument("--lr", type=float, default=4e-5)
    a.add_argument("--batch", type=int, default=32)
    a.add_argument("--max-len", type=int, default=128)
    a.add_argument("--holdout", type=int, default=1000, help="MNLI pairs kept out to report accuracy")
    a.add_argument("--seed", type=int, default=13)
    a.add_argument("--max-minutes", type=float, help="time box: the schedule decays and training ends by then")
    a.add_argument("--source", default="", help="where the NLI files came from (repository and commit), recorded")
    h = sub.add_parser("head", help="export the encoder and fit the 'B weakens A' head by topic CV")
    h.add_argument("--init", required=True, help="the NLI checkpoint of stage 1")
    h.add_argument("--weak", default=str(BENCH / "ClaimDiff-weak-train.json"))
    h.add_argument("--package", default=str(ROOT / "src" / "crosswire" / "data" / "differ"))
    h.add_argument("--folds", type=int, default=5)
    h.add_argument("--max-len", type=int, default=128)
    h.add_argument("--seed", type=int, default=13)
    h.add_argument("--limit", type=int, help="only the first N pairs (a smoke run of the stage)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.stage == "nli":
        stage_nli(args)
    else:
        from differ_head import stage_head

        stage_head(args, ROOT)
    print(f"done in {time.perf_counter() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
