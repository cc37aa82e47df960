"""Ship weights fitted by ``scripts/fit_quote_tagger.py``: full vocabulary, int8 ONNX, meta.json.

    .venv/bin/python scripts/quote_tagger_unpack.py /tmp/qt_fit --pack /tmp/qt_pack

Puts the fitted word-embedding rows back into the packaged MiniLM's full table (rows no PolNeAR
window uses keep the package's values), exports and quantises exactly as ``train_quote_tagger.py``
does, and writes ``meta.json`` from the pack's and the fit's records. The linking switches are
chosen on held-out train with the fit's design model (``design.safetensors``, written by
``fit_quote_tagger.py --save-design``: the best grid point trained without the held-out articles):
every linking variant of ``train_quote_tagger.py`` is scored on those articles with the bench's
scorer, and the best mean exact F1 wins. Without a design model they are kept from the current
``meta.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from crosswire.analysis.quotes import neural  # noqa: E402
from crosswire.nlp import _find_embedding_model_dir  # noqa: E402


def load_into(net, fitted: dict, vocab) -> None:
    """Fitted weights (compact vocabulary; int8 rows with '::scale' for design models) into ``net``."""
    import torch

    state = {}
    for k, v in fitted.items():
        if k.endswith("::scale"):
            continue
        state[k] = v.float() * fitted[k + "::scale"] if k + "::scale" in fitted else v.float()
    emb = "bert.embeddings.word_embeddings.weight"
    full = net.state_dict()[emb].clone()
    full[torch.tensor(vocab, dtype=torch.long)] = state[emb]
    state[emb] = full
    missing, unexpected = net.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise SystemExit(f"fitted weights do not fit: missing {missing}, unexpected {unexpected}")


def choose_link(torch, design_net, pack: dict, fit: dict, work: Path) -> tuple[dict, dict]:
    """The linking switches with the best mean exact F1 of the design model (int8 ONNX) on held-out train."""
    from tokenizers import Tokenizer

    from crosswire.bench.polnear import load_split
    from quote_tagger_eval import heldout_figures, link_flags
    from train_quote_tagger import export, ort_logits_fn, parse

    pdocs = load_split(pack["split_dir"])
    names = [p.name for p in pdocs]
    if names != pack["articles"]:
        raise SystemExit(f"{pack['split_dir']}: not the articles the pack was made from")
    docs = parse(pdocs, work / "train.spacy")
    n_train = fit["articles"] - fit["settings"]["heldout"]
    ho_d, ho_p = docs[n_train : fit["articles"]], pdocs[n_train : fit["articles"]]
    _, int8 = export(torch, design_net, work, work / "design")
    pieces = neural.Pieces(Tokenizer.from_file(str(_find_embedding_model_dir() / "tokenizer.json")))
    lexicon = json.loads((ROOT / "src/crosswire/data/quotes_cue_lexicon.json").read_text(encoding="utf-8"))
    figs = heldout_figures(ho_d, ho_p, pieces, pack["max_len"], ort_logits_fn(int8), lexicon)
    best = max(
        (v for v in figs if not v.startswith("_")),
        key=lambda v: sum(figs[v][r + "_f1"] for r in neural.ROLES),
    )
    print(f"linking chosen on held-out train ({len(ho_p)} articles from {ho_p[0].name}): {best}")
    for v in figs:
        if not v.startswith("_"):
            print(f"  {v}: " + " / ".join(f"{figs[v][r + '_f1']:.3f}" for r in neural.ROLES))
    return link_flags(best), {"chosen": best, "figures": figs}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("fit_dir")
    ap.add_argument("--pack", required=True)
    ap.add_argument("--out", default=str(neural.MODEL_DIR))
    ap.add_argument("--work", default="/tmp/quote_tagger_work")
    args = ap.parse_args(argv)
    import torch
    from safetensors.torch import load_file

    from train_quote_tagger import TaggerNet, export, meta_head

    fit_dir, pack_dir, out = Path(args.fit_dir), Path(args.pack), Path(args.out)
    pack = json.loads((pack_dir / "pack.json").read_text(encoding="utf-8"))
    fit = json.loads((fit_dir / "fit.json").read_text(encoding="utf-8"))
    encoder_dir = _find_embedding_model_dir()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    design_heldout = None
    if (fit_dir / "design.safetensors").exists():
        design_net = TaggerNet.build(torch, encoder_dir, 0.1)
        load_into(design_net, load_file(str(fit_dir / "design.safetensors")), pack["vocab"])
        link, design_heldout = choose_link(torch, design_net, pack, fit, work)
        link_from = "chosen on held-out train with the design model"
    else:
        meta_path = out / neural.META_FILE
        link = json.loads(meta_path.read_text(encoding="utf-8")).get("link") if meta_path.exists() else None
        link_from = f"kept from the earlier {meta_path}"
    net = TaggerNet.build(torch, encoder_dir, 0.1)
    load_into(net, load_file(str(fit_dir / "weights.safetensors")), pack["vocab"])
    fp32, int8 = export(torch, net, work, out)
    shutil.copy(encoder_dir / "tokenizer.json", out / neural.TOKENIZER_FILE)
    chosen = fit["chosen"]
    meta = {
        **meta_head(),
        "data": {
            "corpus": "PolNeAR",
            "split_dir": pack["split_dir"],
            "articles": len(pack["articles"]),
            "train_articles": fit["final"]["articles"],
            "train_first": pack["articles"][0],
            "train_last": pack["articles"][fit["final"]["articles"] - 1],
            "heldout_articles": 0,
            "annotator_files": "first annotator file (by name) of each article"
            if chosen["annotators"] == "first"
            else "every annotator file of each article",
            "windows": fit["final"]["windows"],
        },
        "settings": {
            "max_len": pack["max_len"],
            "lr": chosen["lr"],
            "epochs": chosen["epochs"],
            **{k: fit["settings"][k] for k in ("batch", "warmup", "dropout", "seed")},
            "weight_decay": 0.01,
        },
        "fit": fit,
        "trained_by": "scripts/quote_tagger_pack.py -> scripts/fit_quote_tagger.py -> scripts/quote_tagger_unpack.py",
        "quantization": "onnxruntime quantize_dynamic, QInt8 weights, per channel, MatMul and Gather",
        "design_heldout_onnx_int8": design_heldout,
        "link": link,
        "link_from": link_from,
    }
    (out / neural.META_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    print(f"{int8} ({int8.stat().st_size / 2**20:.1f} MB), link {link}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
