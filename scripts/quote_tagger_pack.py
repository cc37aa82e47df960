"""Pack PolNeAR ``train`` into arrays for ``scripts/fit_quote_tagger.py`` (which needs torch alone).

    .venv/bin/python scripts/quote_tagger_pack.py ../shared/bench/quotes/polnear/train --out /tmp/qt_pack

The fitting step can then run on any machine with torch and transformers (a GPU one, say) without
spaCy, crosswire or the corpus. Writes to ``--out``:

- ``data.npz``: every window of every article, cut exactly as ``train_quote_tagger.py`` and the
  shipped tagger cut them (``neural.windows``): word-piece ids renumbered to a compact vocabulary,
  and O/B/I labels per role at each token's first piece (``IGNORE`` elsewhere), once per annotator
  file of the article (``annotator`` 0 is the first by name, the one ``train_quote_tagger.py`` uses);
- ``base.safetensors``: the packaged MiniLM's weights in fp16, its word-embedding table cut to the
  compact vocabulary (the rows no PolNeAR window uses are never trained and come back from the package);
- ``config.json`` (the encoder's) and ``pack.json`` (articles in order, the compact vocabulary's ids).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import numpy as np  # noqa: E402

from crosswire.analysis.quotes import neural  # noqa: E402
from crosswire.bench.polnear import load_split  # noqa: E402
from crosswire.nlp import _find_embedding_model_dir  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train_dir")
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--work", default="/tmp/quote_tagger_work", help="parse cache (train_quote_tagger.py's)")
    args = ap.parse_args(argv)
    if "dev" in Path(args.train_dir).name or "test" in Path(args.train_dir).name:
        raise SystemExit(f"{args.train_dir}: refusing to pack a dev/test split")
    from safetensors.numpy import load_file, save_file
    from tokenizers import Tokenizer

    from train_quote_tagger import parse, token_roles

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    enc_dir = _find_embedding_model_dir()
    pdocs = load_split(args.train_dir)
    docs = parse(pdocs, Path(args.work) / "train.spacy")
    pieces = neural.Pieces(Tokenizer.from_file(str(enc_dir / "tokenizer.json")))

    ids_flat: list[int] = []
    lab_rows: list[np.ndarray] = []
    win_art, win_ann, win_start = [], [], []
    for a, (doc, pdoc) in enumerate(zip(docs, pdocs)):
        labels = [token_roles(doc, pdoc.spans[ann]) for ann in sorted(pdoc.spans)]
        for w in neural.windows(doc, pieces, args.max_len):
            for k, lab_tok in enumerate(labels):
                lab = np.full((len(w.ids), len(neural.ROLES)), neural.IGNORE, dtype=np.int8)
                lab[w.positions] = lab_tok[w.tokens]
                win_art.append(a)
                win_ann.append(k)
                win_start.append(len(ids_flat))
                ids_flat.extend(w.ids)
                lab_rows.append(lab)
    ids = np.asarray(ids_flat, dtype=np.int64)
    vocab = np.unique(np.concatenate([ids, [0, pieces.cls, pieces.sep, pieces.unk]]))
    remap = np.full(int(vocab.max()) + 1, -1, dtype=np.int64)
    remap[vocab] = np.arange(len(vocab))
    np.savez_compressed(
        out / "data.npz",
        ids=remap[ids].astype(np.int32),
        labels=np.concatenate(lab_rows),
        win_start=np.asarray(win_start + [len(ids_flat)], dtype=np.int64),
        win_article=np.asarray(win_art, dtype=np.int32),
        win_annotator=np.asarray(win_ann, dtype=np.int8),
    )
    weights = load_file(str(enc_dir / "model.safetensors"))
    base = {}
    for name, arr in weights.items():
        key = name.removeprefix("bert.")
        if key.startswith("pooler.") or arr.dtype.kind != "f":
            continue
        if key == "embeddings.word_embeddings.weight":
            arr = arr[vocab]
        base[key] = arr.astype(np.float16)
    save_file(base, str(out / "base.safetensors"))
    cfg = json.loads((enc_dir / "config.json").read_text(encoding="utf-8"))
    cfg_vocab = cfg["vocab_size"]
    cfg["vocab_size"] = len(vocab)
    (out / "config.json").write_text(json.dumps(cfg, indent=1), encoding="utf-8")
    (out / "pack.json").write_text(
        json.dumps(
            {
                "split_dir": args.train_dir,
                "articles": [p.name for p in pdocs],
                "max_len": args.max_len,
                "roles": list(neural.ROLES),
                "labels": list(neural.LABELS),
                "ignore": neural.IGNORE,
                "vocab": vocab.tolist(),
                "full_vocab_size": int(cfg_vocab),
            }
        ),
        encoding="utf-8",
    )
    print(f"{len(pdocs)} articles, {len(win_art)} windows (all annotators), {len(ids)} pieces, vocab {len(vocab)}")
    for f in sorted(out.iterdir()):
        print(f"{f.name}: {f.stat().st_size / 2**20:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
