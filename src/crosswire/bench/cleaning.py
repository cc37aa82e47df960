"""Checks of the cleaner on real text (not a CLI verb):

    .venv/bin/python -m crosswire.bench.cleaning [--file F] [--limit N] [--sample K] [--json]

- on raw web text (Multi-News ``validation.csv``, column ``documents``, a Python-literal list
  of article texts with boilerplate left in): how much is removed, by which rule, and a
  sample of removed pieces to read;
- on ordinary clean articles (ECB+ ``ecbplus.jsonl``): the share of characters removed,
  which should be tiny, and the pieces removed (each one a candidate false positive).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from crosswire.bench.common import require
from crosswire.clean.cleaner import REPAIRS, clean_article
from crosswire.model import Article
from crosswire.settings import bench_root

MULTINEWS = ("summaries", "multinews", "validation.csv")
ECBPLUS = ("stories", "ecbplus.jsonl")


def _texts(file: Path, limit: int | None) -> Iterator[tuple[str, str]]:
    """(id, raw text) pairs from a Multi-News CSV (each document of each row) or a JSON-lines file."""
    if file.suffix == ".csv":
        csv.field_size_limit(sys.maxsize)
        with open(file, newline="", encoding="utf-8") as fh:
            for n, row in enumerate(csv.DictReader(fh)):
                if limit is not None and n >= limit:
                    return
                for k, doc in enumerate(ast.literal_eval(row["documents"])):
                    if doc.strip():
                        yield f"row{n}.doc{k}", doc
    else:
        with open(file, encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if limit is not None and n >= limit:
                    return
                obj = json.loads(line)
                yield str(obj.get("id", n)), obj["text"]


def run(file: str | Path | None = None, limit: int | None = None, sample: int = 10, seed: int = 0) -> dict:
    """Clean every text of ``file``; return counts, the share of characters removed and a sample."""
    path = require(file or bench_root().joinpath(*ECBPLUS), "cleaning check data")
    docs = chars = removed_chars = touched = 0
    by_reason: Counter[str] = Counter()
    chars_by_reason: Counter[str] = Counter()
    pieces: list[dict] = []
    t0 = time.perf_counter()
    for doc_id, raw in _texts(path, limit):
        a = clean_article(Article(id=Article.make_id(raw), text=raw, raw=raw))
        docs += 1
        chars += len(raw)
        junk = [r for r in a.removed if r.reason not in REPAIRS]
        touched += bool(junk)
        for r in a.removed:
            by_reason[r.reason] += 1
            if r.reason not in REPAIRS:
                removed_chars += len(r.text)
                chars_by_reason[r.reason] += len(r.text)
                pieces.append({"doc": doc_id, "reason": r.reason, "text": r.text.strip()[:300]})
    seconds = time.perf_counter() - t0
    rng = random.Random(seed)
    return {
        "file": str(path),
        "documents": docs,
        "characters": chars,
        "removed_characters": removed_chars,
        "removed_share": removed_chars / chars if chars else 0.0,
        "documents_with_removals": touched,
        "removals_by_reason": dict(by_reason.most_common()),
        "removed_characters_by_reason": dict(chars_by_reason.most_common()),
        "docs_per_second": docs / seconds if seconds else 0.0,
        "sample": rng.sample(pieces, min(sample, len(pieces))),
    }


def gold(seeds: str | Path, gold_file: str | Path) -> dict:
    """Score the cleaner on hand-marked articles (tests/fixtures/clean/seeds_gold.json), next to
    the raw text as the baseline: junk lines left and article sentences lost."""
    spec = json.loads(Path(gold_file).read_text(encoding="utf-8"))["articles"]

    def score(text: str, g: dict) -> dict:
        lines = {ln.strip() for ln in text.split("\n")}
        flat = " ".join(text.split())
        return {
            "junk_left": sum(1 for j in g["junk_lines"] if j in lines or (len(j) > 20 and j in text)),
            "headlines_not_once": sum(1 for o in g["once"] if text.count(o) != 1),
            "sentences_lost": sum(1 for k in g["keep"] if " ".join(k.split()) not in flat),
        }

    zero = {"junk_left": 0, "headlines_not_once": 0, "sentences_lost": 0}
    out = {
        "articles": len(spec),
        "junk_total": 0,
        "headlines": 0,
        "keep_total": 0,
        "cleaned": dict(zero),
        "raw_baseline": dict(zero),
    }
    for name, g in spec.items():
        raw = (Path(seeds) / name).read_text(encoding="utf-8")
        a = clean_article(Article(id=Article.make_id(raw), text=raw, raw=raw))
        out["junk_total"] += len(g["junk_lines"])
        out["headlines"] += len(g["once"])
        out["keep_total"] += len(g["keep"])
        for key, text in (("cleaned", a.text), ("raw_baseline", raw)):
            for k, v in score(text, g).items():
                out[key][k] += v
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crosswire.bench.cleaning", description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", action="append", help="a Multi-News CSV or a JSON-lines file (default: both bench files)")
    ap.add_argument("--limit", type=int, default=None, help="rows (CSV) or lines (JSON lines) to read")
    ap.add_argument("--sample", type=int, default=10, help="removed pieces to show")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument(
        "--gold", default="tests/fixtures/clean/seeds_gold.json", help="hand-marked junk/sentences of the seeds"
    )
    ap.add_argument("--seeds", default="examples/seeds", help="folder of the articles the gold file names")
    args = ap.parse_args(argv)
    files = args.file or [str(bench_root().joinpath(*MULTINEWS)), str(bench_root().joinpath(*ECBPLUS))]
    results: dict = {Path(f).name: run(f, limit=args.limit, sample=args.sample) for f in files}
    if Path(args.gold).exists():
        results["seeds_gold"] = gold(args.seeds, args.gold)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    g = results.pop("seeds_gold", None)
    if g:
        print(
            f"== seeds gold: {g['articles']} articles, {g['junk_total']} junk lines, {g['headlines']} headlines, "
            f"{g['keep_total']} sentences"
        )
        for key in ("cleaned", "raw_baseline"):
            print(
                f"   {key:<13} junk left {g[key]['junk_left']}/{g['junk_total']}, headlines not exactly once "
                f"{g[key]['headlines_not_once']}/{g['headlines']}, "
                f"sentences lost {g[key]['sentences_lost']}/{g['keep_total']}"
            )
    for name, r in results.items():
        print(f"== {name}: {r['documents']} documents, {r['characters']} characters")
        print(
            f"   removed {r['removed_characters']} characters = {100 * r['removed_share']:.3f}% "
            f"({r['documents_with_removals']} documents touched), {r['docs_per_second']:.0f} docs/s"
        )
        for reason, n in r["removals_by_reason"].items():
            print(f"   {n:6d}  {reason}  ({r['removed_characters_by_reason'].get(reason, 0)} chars)")
        for p in r["sample"]:
            print(f"   - [{p['doc']}] {p['reason']}: {p['text'][:160]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
