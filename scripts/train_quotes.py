"""Train the attribution tagger shipped in crosswire/data/ from PolNeAR ``train`` only.

    .venv/bin/python scripts/train_quotes.py ../shared/bench/quotes/polnear/train [--limit N]

The shipped model was made with ``--limit 700`` (the first 700 of the 840 train articles, sorted
by name); the other 140 train articles were the held-out set for the linking and repair choices in
``attributions.py``. About 45 minutes on 2 busy cores.

Builds the cue lexicon (how often each lemma is inside a gold cue span) and one
CRF per role (source, cue, content) over paragraph sequences. Every annotator file
of an article is a training example of its own. Never point this at ``dev``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from crosswire.analysis.quotes import tagger  # noqa: E402
from crosswire.analysis.quotes.features import cue_features, doc_features, sequences, token_labels  # noqa: E402
from crosswire.bench.polnear import load_split  # noqa: E402
from crosswire.nlp import Language  # noqa: E402


def build_lexicon(pairs) -> dict[str, float]:
    inside: Counter = Counter()
    total: Counter = Counter()
    for doc, pdoc in pairs:
        cue_tokens: set[int] = set()
        for by_role in pdoc.spans.values():
            for span in by_role["cue"]:
                for s, e in span:
                    for tok in doc.char_span(s, e, alignment_mode="expand") or []:
                        cue_tokens.add(tok.i)
        for tok in doc:
            lem = tok.lemma_.lower()
            total[lem] += 1
            if tok.i in cue_tokens:  # once per token, whatever the number of annotators
                inside[lem] += 1
    lex = {}
    for lem, n in total.items():
        if n >= 3 and inside[lem] >= 2:
            lex[lem] = round(min(1.0, inside[lem] / n), 4)
    return lex


def _runs(labels: list[str]) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, lab in enumerate(labels + ["O"]):
        if lab != "I" and start is not None:
            runs.append((start, i))
            start = None
        if lab == "B":
            start = i
    return runs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("train_dir")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", default=str(tagger.DATA_DIR))
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--roles", default="source,cue,content")
    ap.add_argument(
        "--no-stack", dest="stack", action="store_false", help="source/content models without the cue-relative features"
    )
    ap.add_argument(
        "--docbin", default=None, help="spaCy DocBin of the same split, parsed earlier (saves parsing time)"
    )
    args = ap.parse_args(argv)
    if "dev" in Path(args.train_dir).name:
        raise SystemExit("refusing to train on a dev split")
    import pycrfsuite

    t0 = time.time()
    pdocs = load_split(args.train_dir, args.limit)
    lang = Language()
    if args.docbin:
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(args.docbin).get_docs(lang.spacy.vocab))[: len(pdocs)]
        assert all(d.text == p.text for d, p in zip(docs, pdocs)), "DocBin does not match the split"
    else:
        docs = lang.parse_many([d.text for d in pdocs])
    pairs = list(zip(docs, pdocs))
    print(f"parsed {len(docs)} articles in {time.time() - t0:.0f}s", flush=True)
    lex = build_lexicon(pairs)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / tagger.LEXICON).write_text(json.dumps(lex, sort_keys=True, indent=0), encoding="utf-8")
    feats = [doc_features(doc, lex) for doc, _ in pairs]
    (out / tagger.META).write_text(json.dumps({"stacked": args.stack, "train_articles": len(pdocs)}), encoding="utf-8")
    print(f"features in {time.time() - t0:.0f}s; lexicon {len(lex)} lemmas", flush=True)
    for role in args.roles.split(","):
        trainer = pycrfsuite.Trainer(verbose=False)
        trainer.set_params(
            {"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations, "feature.possible_transitions": True}
        )
        n = 0
        for (doc, pdoc), f in zip(pairs, feats):
            for _annotator, by_role in pdoc.spans.items():
                frags = [fr for span in by_role[role] for fr in span]
                labels = token_labels(doc, frags)
                ff = f
                if args.stack and role != "cue":
                    # teacher forcing: features relative to this annotator's gold cues
                    cue_frags = [fr for span in by_role["cue"] for fr in span]
                    cue_labels = token_labels(doc, cue_frags)
                    cues = _runs(cue_labels)
                    ff = [a + b for a, b in zip(f, cue_features(doc, cues))]
                for s, e in sequences(doc):
                    trainer.append(ff[s:e], labels[s:e])
                    n += 1
        path = out / tagger.MODEL_FILES[role]
        trainer.train(str(path))
        print(
            f"{role}: trained on {n} sequences, {time.time() - t0:.0f}s, {path.stat().st_size // 1024} KB", flush=True
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
