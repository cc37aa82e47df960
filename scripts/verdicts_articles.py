#!/usr/bin/env python3
"""Build a verdicts-bench ARTICLES.jsonl from Multi-News validation clusters, by row number.

The extra development stories in dev/verdicts/ refer to rows of
../shared/bench/summaries/multinews/validation.csv; the article texts are never copied into the
project: this script rebuilds them, in the same form as ../shared/bench/verdicts/dev_articles.jsonl
(spaces around line breaks dropped, stripped; ids mn<row>-<k>, story mn<row>, source mn<row>-outlet<k>).

usage:
  scripts/verdicts_articles.py ROW [ROW ...] --out FILE.jsonl    rows to build
  scripts/verdicts_articles.py --gold dev/verdicts/GOLD.json --out FILE.jsonl   the rows a gold file names
  scripts/verdicts_articles.py --candidates                      rows with 3-5 documents of >= 150 words each
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import re
import sys
from pathlib import Path

DEFAULT_CSV = Path(os.environ.get("CROSSWIRE_BENCH_DATA", "../shared/bench")) / "summaries/multinews/validation.csv"
SHARED_DEV = Path(os.environ.get("CROSSWIRE_BENCH_DATA", "../shared/bench")) / "verdicts/dev_articles.jsonl"


def load_rows(path: Path) -> list[dict]:
    csv.field_size_limit(10**9)
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def normalise(doc: str) -> str:
    return re.sub(r"[ \t]*\n[ \t]*", "\n", doc).strip()


def articles_of(rows: list[dict], row: int) -> list[dict]:
    docs = ast.literal_eval(rows[row]["documents"])
    return [
        {"id": f"mn{row}-{k}", "story": f"mn{row}", "source": f"mn{row}-outlet{k}", "text": normalise(d)}
        for k, d in enumerate(docs)
        if normalise(d)
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rows", nargs="*", type=int)
    ap.add_argument("--gold", help="build the rows this gold file's stories name (story ids mn<row>)")
    ap.add_argument("--out", help="output JSON-lines file (default: stdout)")
    ap.add_argument("--csv", default=str(DEFAULT_CSV))
    ap.add_argument("--candidates", action="store_true")
    args = ap.parse_args(argv)
    rows = load_rows(Path(args.csv))
    if args.candidates:
        used = set()
        if SHARED_DEV.exists():
            used = {json.loads(line)["story"] for line in open(SHARED_DEV, encoding="utf-8")}
        for i, r in enumerate(rows):
            docs = [normalise(d) for d in ast.literal_eval(r["documents"])]
            if f"mn{i}" in used or not 3 <= len(docs) <= 5:
                continue
            words = [len(d.split()) for d in docs]
            if min(words) >= 150:
                print(i, len(docs), words, docs[0][:90].replace("\n", " "))
        return 0
    wanted = list(args.rows)
    if args.gold:
        gold = json.load(open(args.gold, encoding="utf-8"))
        wanted += [int(s["story"][2:]) for s in gold["stories"]]
    lines = [json.dumps(a, ensure_ascii=False) for row in dict.fromkeys(wanted) for a in articles_of(rows, row)]
    text = "\n".join(lines) + ("\n" if lines else "")
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
