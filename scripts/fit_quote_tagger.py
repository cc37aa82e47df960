"""Fit the quote tagger's weights from a pack of ``scripts/quote_tagger_pack.py``: torch and transformers only.

    python3 fit_quote_tagger.py /tmp/qt_pack --out /tmp/qt_fit [--heldout 140] [--budget 300]

The same network and training as ``train_quote_tagger.py`` (MiniLM + one linear layer, O/B/I per
role on each token's first word piece, cross-entropy averaged over the roles, AdamW, linear warm-up
and decay, gradient clipping at 1.0, batches of similar length), so it runs where crosswire does not
(a GPU machine, say). Two steps:

1. **Design**: for each (learning rate, epochs, annotators) in ``--grid``, train on every article but
   the last ``--heldout`` (the same split as ``train_quote_tagger.py --heldout``) and score those
   held-out articles: exact-match F1 of each role's token spans against the first annotator file, spans
   read by a BIO-constrained Viterbi over the token positions. Grid points are run in order until
   ``--budget`` seconds are spent.
2. **Final**: the grid point with the best mean F1 of the three roles, trained again on all articles.

Writes ``weights.safetensors`` (fp16, the compact vocabulary's rows; ``train_quote_tagger.py
--weights`` puts them back in the full table, exports and quantises) and ``fit.json`` (every grid point's
figures, the choice, the settings, the device, the times). Nothing here reads a dev or test split.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch

GRID = "1e-4:3:first,1e-4:6:first,2e-4:6:first,1e-4:10:first,5e-5:10:first,2e-4:10:first,1e-4:6:all,3e-4:6:first"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Pack:
    def __init__(self, folder: Path) -> None:
        d = np.load(folder / "data.npz")
        self.ids = d["ids"].astype(np.int64)
        self.labels = d["labels"].astype(np.int64)
        self.start = d["win_start"]
        self.article = d["win_article"]
        self.annotator = d["win_annotator"]
        self.meta = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
        self.n_articles = len(self.meta["articles"])
        self.ignore = int(self.meta["ignore"])

    def windows(self, articles: set[int], annotators: str) -> list[int]:
        keep = np.isin(self.article, list(articles))
        if annotators == "first":
            keep &= self.annotator == 0
        return [int(k) for k in np.nonzero(keep)[0]]

    def window(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        s, e = self.start[k], self.start[k + 1]
        return self.ids[s:e], self.labels[s:e]


def build(folder: Path, dropout: float, device: str):
    from safetensors.torch import load_file
    from transformers import BertConfig, BertModel

    cfg = BertConfig.from_json_file(str(folder / "config.json"))

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel(cfg, add_pooling_layer=False)
            self.drop = torch.nn.Dropout(dropout)
            self.head = torch.nn.Linear(cfg.hidden_size, 9)

        def forward(self, input_ids, attention_mask):
            h = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(self.drop(h))

    net = Net()
    base = {k: v.float() for k, v in load_file(str(folder / "base.safetensors")).items()}
    missing, unexpected = net.bert.load_state_dict(base, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit(f"base weights do not fit: missing {missing}, unexpected {unexpected}")
    return net.to(device)


def batch_arrays(pack: Pack, idx: list[int], device: str):
    wins = [pack.window(k) for k in idx]
    n = max(len(w[0]) for w in wins)
    ids = np.zeros((len(wins), n), dtype=np.int64)
    mask = np.zeros((len(wins), n), dtype=np.int64)
    lab = np.full((len(wins), n, 3), pack.ignore, dtype=np.int64)
    for r, (i, lb) in enumerate(wins):
        ids[r, : len(i)] = i
        mask[r, : len(i)] = 1
        lab[r, : len(i)] = lb
    return (torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device), torch.from_numpy(lab).to(device))


def chunks_of(pack: Pack, wins: list[int], size: int, rng: random.Random) -> list[list[int]]:
    order = sorted(wins, key=lambda k: (pack.start[k + 1] - pack.start[k], rng.random()))
    out = [order[s : s + size] for s in range(0, len(order), size)]
    rng.shuffle(out)
    return out


def train(pack, folder, wins, lr, epochs, args, device) -> torch.nn.Module:
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    net = build(folder, args.dropout, device)
    steps_per_epoch = math.ceil(len(wins) / args.batch)
    total = steps_per_epoch * epochs
    warm = int(args.warmup * total)
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in net.named_parameters() if not any(x in n for x in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in net.named_parameters() if any(x in n for x in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: s / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm))
    )
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=pack.ignore)
    amp = device.startswith("cuda")
    for epoch in range(epochs):
        net.train()
        run = 0.0
        chunks = chunks_of(pack, wins, args.batch, rng)
        for idx in chunks:
            ids, mask, lab = batch_arrays(pack, idx, device)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
                logits = net(ids, mask)
            logits = logits.float().view(ids.shape[0], ids.shape[1], 3, 3)
            loss = sum(loss_fn(logits[:, :, r].reshape(-1, 3), lab[:, :, r].reshape(-1)) for r in range(3)) / 3
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            run += float(loss.detach())
        log(f"  lr {lr} epoch {epoch + 1}/{epochs} loss {run / len(chunks):.4f}")
    return net


_NEG = -1e9
_TRANS = np.array([[0.0, 0.0, _NEG], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
_START = np.array([0.0, 0.0, _NEG])


def viterbi(logp: np.ndarray) -> list[int]:  # the same BIO rule as crosswire.analysis.quotes.neural
    if len(logp) == 0:
        return []
    score = _START + logp[0]
    back = np.zeros((len(logp), 3), dtype=np.int64)
    for t in range(1, len(logp)):
        cand = score[:, None] + _TRANS
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + logp[t]
    path = [int(score.argmax())]
    for t in range(len(logp) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def spans(path) -> set[tuple[int, int]]:
    out, start = set(), None
    for t, lab in enumerate(list(path) + [0]):
        if lab == 1 or (lab == 2 and start is None) or lab == 0:
            if start is not None:
                out.add((start, t))
                start = None
            if lab in (1, 2):
                start = t
    return out


def evaluate(pack: Pack, net, wins: list[int], device: str) -> dict[str, float]:
    net.eval()
    tp = np.zeros(3)
    n_pred = np.zeros(3)
    n_gold = np.zeros(3)
    with torch.no_grad():
        for s in range(0, len(wins), 64):
            idx = wins[s : s + 64]
            ids, mask, lab = batch_arrays(pack, idx, device)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.startswith("cuda")):
                logits = net(ids, mask)
            logp = torch.log_softmax(logits.float().view(ids.shape[0], ids.shape[1], 3, 3), -1).cpu().numpy()
            lab = lab.cpu().numpy()
            for r in range(len(idx)):
                pos = np.nonzero(lab[r, :, 0] != pack.ignore)[0]
                for role in range(3):
                    pred = spans(viterbi(logp[r, pos, role]))
                    gold = spans(lab[r, pos, role])
                    tp[role] += len(pred & gold)
                    n_pred[role] += len(pred)
                    n_gold[role] += len(gold)
    out = {}
    for role, name in enumerate(pack.meta["roles"]):
        p = tp[role] / max(1, n_pred[role])
        rc = tp[role] / max(1, n_gold[role])
        out[name + "_f1"] = round(2 * p * rc / max(1e-9, p + rc), 4)
    out["mean_f1"] = round(sum(out[n + "_f1"] for n in pack.meta["roles"]) / 3, 4)
    return out


def save(net, pack: Pack, path: Path) -> None:
    from safetensors.torch import save_file

    sd = {k: v.detach().to("cpu", torch.float16).contiguous() for k, v in net.state_dict().items()}
    sd = {k: v for k, v in sd.items() if not k.endswith("position_ids")}
    save_file(sd, str(path))


def save_int8(state: dict, path: Path) -> None:
    """A compact copy for transport (design models): int8 rows with one fp32 scale each, fp16 vectors."""
    from safetensors.torch import save_file

    out = {}
    for k, v in state.items():
        if k.endswith("position_ids"):
            continue
        v = v.detach().float().cpu()
        if v.dim() == 2:
            scale = v.abs().amax(dim=1, keepdim=True).clamp(min=1e-8) / 127.0
            out[k] = torch.round(v / scale).to(torch.int8).contiguous()
            out[k + "::scale"] = scale.contiguous()
        else:
            out[k] = v.to(torch.float16).contiguous()
    save_file(out, str(path))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pack")
    ap.add_argument("--out", required=True)
    ap.add_argument("--heldout", type=int, default=140)
    ap.add_argument("--grid", default=GRID, help="lr:epochs:annotators(first|all), comma separated, in order")
    ap.add_argument("--budget", type=float, default=300.0, help="seconds for the design grid")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--save-design", action="store_true", help="also write the best design model (design.safetensors, int8 rows)"
    )
    ap.add_argument("--limit-articles", type=int, default=0, help="smoke runs: use only the first N articles")
    args = ap.parse_args(argv)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.backends.cuda.matmul.allow_tf32 = True
    folder, out = Path(args.pack), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pack = Pack(folder)
    n = args.limit_articles or pack.n_articles
    train_arts, held = set(range(n - args.heldout)), set(range(n - args.heldout, n))
    held_wins = pack.windows(held, "first")
    report: dict = {
        "pack": pack.meta["split_dir"],
        "articles": n,
        "heldout_first": pack.meta["articles"][n - args.heldout],
        "device": torch.cuda.get_device_name(0) if device == "cuda" else "cpu",
        "torch": torch.__version__,
        "settings": {k: v for k, v in vars(args).items() if k not in ("pack", "out")},
        "metric": "held-out exact F1 of token spans per role (first annotator file), BIO Viterbi",
        "design": [],
    }
    t0 = time.time()
    best_state, best_mean = None, -1.0
    for point in args.grid.split(","):
        if time.time() - t0 > args.budget:
            log(f"design budget spent: {point} and later not run")
            break
        lr_s, ep_s, ann = point.split(":")
        t1 = time.time()
        wins = pack.windows(train_arts, ann)
        net = train(pack, folder, wins, float(lr_s), int(ep_s), args, device)
        figs = evaluate(pack, net, held_wins, device)
        row = {"lr": float(lr_s), "epochs": int(ep_s), "annotators": ann, "windows": len(wins), **figs}
        row["seconds"] = round(time.time() - t1, 1)
        report["design"].append(row)
        log(f"design {point}: {figs} ({row['seconds']} s)")
        (out / "fit.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
        if args.save_design and figs["mean_f1"] > best_mean:
            best_mean = figs["mean_f1"]
            best_state = {k: v.detach().cpu().clone() for k, v in net.state_dict().items()}
    if best_state is not None:
        save_int8(best_state, out / "design.safetensors")
    best = max(report["design"], key=lambda r: r["mean_f1"])
    report["chosen"] = {k: best[k] for k in ("lr", "epochs", "annotators")}
    log(f"chosen on held-out train: {report['chosen']}")
    t1 = time.time()
    wins = pack.windows(set(range(n)), best["annotators"])
    net = train(pack, folder, wins, best["lr"], best["epochs"], args, device)
    report["final"] = {"articles": n, "windows": len(wins), "seconds": round(time.time() - t1, 1)}
    save(net, pack, out / "weights.safetensors")
    report["design_seconds"] = round(t1 - t0, 1)
    (out / "fit.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    log(f"done: {out / 'weights.safetensors'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
