"""How the story clusterer's defaults were chosen (run by hand, not a CLI verb).

    python -m crosswire.bench.stories_tune ../shared/bench/stories/ecbplus.jsonl            # the grid
    python -m crosswire.bench.stories_tune --report ECBPLUS.jsonl WIKIREF220.jsonl         # the defaults, per half

Grid search on the ODD-numbered ECB+ topics only (story- and topic-level BCubed
F1, averaged). The even-numbered topics and WikiRef220 are never looked at here;
they are what the defaults are reported on.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import replace

import numpy as np

from crosswire.bench.common import bcubed
from crosswire.bench.stories import crosswire_labels, load, to_articles
from crosswire.group import Params, article_embedding_text
from crosswire.group.baseline import tfidf_single_pass
from crosswire.nlp import Language


def tuning_half(rows):
    return [r for r in rows if int(str(r["topic"])) % 2 == 1]


def main(file: str) -> None:
    rows = tuning_half(load(file))
    arts = to_articles(rows)
    vecs = Language().embed([article_embedding_text(a) for a in arts])
    gs, gt = [r["story"] for r in rows], [r["topic"] for r in rows]
    for th in (0.15, 0.2, 0.25, 0.3, 0.35):
        b = tfidf_single_pass([a.text for a in arts], th)
        print(f"baseline th={th} story F1 {bcubed(b, gs)[2]:.4f}")
    grid = itertools.product(
        (0.3, 0.4, 0.5), (0.2, 0.3, 0.4), (0.2, 0.3, 0.4), np.arange(0.25, 0.5, 0.025), np.arange(0.1, 0.35, 0.025)
    )
    results = []
    for ww, wn, we, th, tt in grid:
        if tt >= th:
            continue
        p = replace(Params(), w_words=ww, w_names=wn, w_embed=we, threshold=float(th), topic_threshold=float(tt))
        s, t = crosswire_labels(arts, vecs, p)
        fs, ft = bcubed(s, gs)[2], bcubed(t, gt)[2]
        results.append(((fs + ft) / 2, fs, ft, p))
    results.sort(key=lambda r: -r[0])
    for r in results[:10]:
        print(f"{r[0]:.4f} story {r[1]:.4f} topic {r[2]:.4f} {r[3]}")


def report(ecb: str, wikiref: str) -> None:
    """Story/topic BCubed F1 of the code defaults on the tuning half, the held-out half, all of
    ECB+, and WikiRef220 (stream order as in ``crosswire bench stories``)."""
    lang = Language()
    ecb_rows, wr_rows = load(ecb), load(wikiref)
    ecb_vecs = lang.embed([article_embedding_text(a) for a in to_articles(ecb_rows)])
    wr_vecs = lang.embed([article_embedding_text(a) for a in to_articles(wr_rows)])
    odd = [i for i, r in enumerate(ecb_rows) if int(str(r["topic"])) % 2 == 1]
    even = [i for i, r in enumerate(ecb_rows) if int(str(r["topic"])) % 2 == 0]
    parts = {
        "ecb+ odd topics (tuning half)": ([ecb_rows[i] for i in odd], ecb_vecs[odd]),
        "ecb+ even topics (held out)": ([ecb_rows[i] for i in even], ecb_vecs[even]),
        "ecb+ all": (ecb_rows, ecb_vecs),
        "wikiref220 (held out)": (wr_rows, wr_vecs),
    }
    for name, (rows, vecs) in parts.items():
        arts = to_articles(rows)
        s, t = crosswire_labels(arts, vecs)
        b = tfidf_single_pass([f"{a.title or ''}\n{a.text}" for a in arts])
        gs, gt = [r["story"] for r in rows], [r["topic"] for r in rows]
        print(
            f"{name:32} n={len(rows):4}  story F1 {bcubed(s, gs)[2]:.4f}  topic F1 {bcubed(t, gt)[2]:.4f}  "
            f"baseline story {bcubed(b, gs)[2]:.4f} topic {bcubed(b, gt)[2]:.4f}"
        )


if __name__ == "__main__":
    if sys.argv[1] == "--report":
        report(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1])
