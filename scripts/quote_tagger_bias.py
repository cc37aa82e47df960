"""Choose the quote tagger's decoding priors on held-out train, and record them in its meta.json.

    .venv/bin/python scripts/quote_tagger_bias.py /tmp/quote_tagger_work/design/model.int8.onnx \
        --split ../shared/bench/quotes/polnear/train

The design model (``fit_quote_tagger.py --save-design``, exported by ``quote_tagger_unpack.py``) was
trained on the split's first articles only; its held-out articles (the last ``--heldout``, 140 as in the
fit) are tagged once, and the content role's O and B log-probabilities are shifted by each point of a
small grid before the BIO Viterbi. Each point is scored with the bench's scorer (exact F1, after the
shipped model's linking switches). The best point goes into ``meta.json`` as ``decode_bias`` with the
whole grid, so the shipped model (trained on all articles) decodes with it. PolNeAR dev is not read.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from crosswire.analysis.quotes import neural  # noqa: E402

O_SHIFTS = (0.0, 0.25, 0.5, 0.75, 1.0)
B_SHIFTS = (0.0, -0.25, -0.5)


def score(docs, pdocs, per_doc, logits, bias, opts) -> dict[str, float]:
    from crosswire.analysis.quotes.attributions import link
    from crosswire.bench.quotes import ROLES, Scorer, _outer, _system_spans

    scorer = Scorer()
    for doc, pdoc, tagged in zip(docs, pdocs, neural.decode_docs(per_doc, logits, bias)):
        pred = _system_spans(link(doc, tagged, opts))
        n = len(pdoc.spans)
        for by_role in pdoc.spans.values():
            scorer.add(pred, {r: {_outer(s) for s in by_role[r]} for r in ROLES}, 1.0 / n)
    res = scorer.result()
    return {r + "_f1": round(res[r + "_f1"], 4) for r in neural.ROLES}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("design_onnx")
    ap.add_argument("--split", default=str(ROOT.parent / "shared/bench/quotes/polnear/train"))
    ap.add_argument("--heldout", type=int, default=140)
    ap.add_argument("--meta", default=str(neural.MODEL_DIR / neural.META_FILE))
    ap.add_argument("--work", default="/tmp/quote_tagger_work")
    ap.add_argument("--dry-run", action="store_true", help="print the grid, leave meta.json alone")
    args = ap.parse_args(argv)
    from tokenizers import Tokenizer

    from crosswire.analysis.quotes.attributions import CRF_LINK
    from crosswire.bench.polnear import load_split
    from crosswire.nlp import _find_embedding_model_dir
    from train_quote_tagger import ort_logits_fn, parse

    meta_path = Path(args.meta)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    pdocs = load_split(args.split)
    docs = parse(pdocs, Path(args.work) / "train.spacy")
    ho_d, ho_p = docs[-args.heldout :], pdocs[-args.heldout :]
    pieces = neural.Pieces(Tokenizer.from_file(str(_find_embedding_model_dir() / "tokenizer.json")))
    max_len = int(meta.get("settings", {}).get("max_len", 256))
    per_doc = [neural.windows(d, pieces, max_len) for d in ho_d]
    logits = ort_logits_fn(Path(args.design_onnx))([w for ws in per_doc for w in ws])
    opts = replace(CRF_LINK, **(meta.get("link") or {}))
    grid = []
    for o, b in itertools.product(O_SHIFTS, B_SHIFTS):
        figs = score(ho_d, ho_p, per_doc, logits, {"content": (o, b, 0.0)}, opts)
        grid.append({"content_o": o, "content_b": b, **figs})
        print(f"content O {o:+.2f} B {b:+.2f}: " + " / ".join(f"{figs[r + '_f1']:.4f}" for r in neural.ROLES))
    best = max(grid, key=lambda g: (g["content_f1"], -abs(g["content_o"]) - abs(g["content_b"])))
    where = f"{len(ho_p)} held-out train articles (from {ho_p[0].name})"
    print(f"chosen on {where}: O {best['content_o']}, B {best['content_b']}")
    if args.dry_run:
        return 0
    meta["decode_bias"] = {"content": [best["content_o"], best["content_b"], 0.0]}
    meta["decode_bias_from"] = {
        "how": "scripts/quote_tagger_bias.py: grid over the content role's O and B log-probability shifts, "
        "design model (int8) on held-out train, the shipped linking switches, the bench's exact F1",
        "design_model_train_articles": len(pdocs) - args.heldout,
        "heldout_articles": len(ho_p),
        "heldout_first": ho_p[0].name,
        "grid": grid,
    }
    meta_path.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    print(f"wrote decode_bias to {meta_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
