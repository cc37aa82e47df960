"""``crosswire bench stories-scale``: online clustering throughput and peak memory at growing sizes.

The stream is built from the stories bench corpora (ECB+ and WikiRef220, under
``<bench data>/stories``): the base articles are embedded ONCE with MiniLM
(embedding 100k texts is too slow here); replica ``r`` of the base corpus is a
new "month" of news: every base article reappears with light text variation
(about one sentence in ten dropped, at random) and its vector perturbed by
small Gaussian noise (re-normalised), dated 30 days after replica ``r-1`` with
each gold story spread over a few days. Articles arrive in date order.

Timed: the clustering step alone, i.e. ``Features.of`` (tokens, names) plus
``OnlineClusterer.add`` per article; embeddings are precomputed. Peak memory is
the process's peak resident set (it includes the loaded MiniLM model and the
base corpus, so it is an upper bound for the clusterer).
"""

from __future__ import annotations

import datetime as _dt
import random
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from crosswire.bench.common import peak_rss_mb, require
from crosswire.bench.stories import load, to_articles
from crosswire.model import Article
from crosswire.settings import bench_root

SEED = 7


def base_corpus(root: Path, limit: int | None = None) -> list[dict[str, Any]]:
    rows = []
    for name in ("ecbplus.jsonl", "wikiref220.jsonl"):
        p = root / "stories" / name
        if p.exists():
            rows += load(p)
    require(root / "stories" / "ecbplus.jsonl", "stories bench data")
    random.Random(SEED).shuffle(rows)
    return rows[:limit] if limit else rows


def stream(rows: list[dict[str, Any]], vecs: np.ndarray, n: int) -> Iterator[tuple[Article, np.ndarray]]:
    """n synthetic dated articles built from the base rows, in date order."""
    rng = np.random.default_rng(SEED)
    prng = random.Random(SEED)
    day0 = 738000
    made = 0
    r = 0
    while made < n:
        batch = []
        for i, row in enumerate(rows):
            key = zlib.crc32(f"{row['story']}|{r}".encode())
            day = day0 + 30 * r + key % 20 + prng.randrange(4)
            batch.append((day, i))
        batch.sort()
        for day, i in batch:
            if made >= n:
                return
            row = rows[i]
            sents = row["text"].split(". ")
            kept = [s for s in sents if prng.random() > 0.1] or sents
            text = ". ".join(kept)
            v = vecs[i] + rng.normal(scale=0.02, size=vecs.shape[1]).astype(np.float32)
            v /= np.linalg.norm(v)
            pub = _dt.date.fromordinal(day).isoformat()
            yield Article(id=f"r{r}_{i}", text=text, published=pub), v
            made += 1
        r += 1


def run(sizes: list[int], base_limit: int | None = None, lang=None) -> dict[str, Any]:
    from crosswire.group import Features, OnlineClusterer, article_embedding_text
    from crosswire.nlp import Language

    rows = base_corpus(_root(), base_limit)
    lang = lang or Language()
    t0 = time.perf_counter()
    vecs = lang.embed([article_embedding_text(a) for a in to_articles(rows)])
    embed_s = time.perf_counter() - t0
    out: dict[str, Any] = {"base_articles": len(rows), "base_embed_s": round(embed_s, 1), "sizes": {}}
    for n in sizes:
        c = OnlineClusterer()
        busy = 0.0
        count = 0
        for art, v in stream(rows, vecs, n):
            t = time.perf_counter()
            c.add(Features.of(art, v))
            busy += time.perf_counter() - t
            count += 1
        out["sizes"][str(n)] = {
            "articles": count,
            "articles_per_s": count / busy if busy else 0.0,
            "seconds": round(busy, 2),
            "stories": len(c.stories),
            "topics": len(c.topics),
            "open_stories": len(c._open.ids),
            "peak_mb": round(peak_rss_mb(), 1),
        }
    last = out["sizes"][str(sizes[-1])] if sizes else {}
    out["articles_per_s"] = last.get("articles_per_s")
    out["peak_mb"] = last.get("peak_mb")
    return out


def _root() -> Path:
    """$CROSSWIRE_BENCH_DATA, else ../shared/bench from the working directory, else beside the repository."""
    root = bench_root(None)
    if root.exists():
        return root
    return Path(__file__).resolve().parents[4] / "shared" / "bench"
