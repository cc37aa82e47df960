"""``crosswire bench stories FILE.jsonl``: story / topic clustering quality and speed.

Reads the JSON-lines format of ``../shared/bench/stories`` (``id, url, source,
date, title, text, story, topic``), streams the articles in a fixed shuffled
order (seed 13; the files are sorted by label, which would flatter any online
clusterer) through crosswire's online clusterer and, in the same run, through
a plain single-pass TF-IDF baseline, and scores both with BCubed and pairwise
P/R/F1 against gold ``story`` (``--level story``) or ``topic`` (``--level topic``,
where crosswire's topic assignment is scored; the baseline has one level only).
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from crosswire.bench.common import bcubed, pairwise, require
from crosswire.errors import BenchDataError
from crosswire.model import Article

SEED = 13
ORDERS = 5  # extra stream orders (seeds 1..5) for a mean: online clustering depends on arrival order


def load(file: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The rows of a stories JSON-lines file, in the benchmark's fixed stream order."""
    p = require(file, "stories JSON-lines file")
    rows = []
    with open(p, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BenchDataError(f"{p}:{n}: not JSON ({exc})") from exc
            if not isinstance(row, dict) or "text" not in row or "story" not in row:
                raise BenchDataError(f"{p}:{n}: needs `text` and `story`")
            rows.append(row)
    random.Random(SEED).shuffle(rows)
    return rows[:limit] if limit else rows


def to_articles(rows: list[dict[str, Any]]) -> list[Article]:
    return [
        Article(
            id=str(r.get("id") or i),
            text=r["text"],
            title=r.get("title"),
            source=r.get("source"),
            published=(r.get("date") or None),
        )
        for i, r in enumerate(rows)
    ]


def scores(pred: list, gold: list) -> dict[str, Any]:
    bp, br, bf = bcubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    return {
        "bcubed_p": bp,
        "bcubed_r": br,
        "bcubed_f1": bf,
        "pairwise_p": pp,
        "pairwise_r": pr,
        "pairwise_f1": pf,
        "clusters": len(set(pred)),
    }


def crosswire_labels(articles: list[Article], vectors: np.ndarray, params=None) -> tuple[list[str], list[str]]:
    """(story id, topic id) per article, in stream order."""
    from crosswire.group import Features, OnlineClusterer

    c = OnlineClusterer(params)
    stories, _topics = [], []
    story_topic: dict[str, str] = {}
    for a, v in zip(articles, vectors):
        sid, tid, _ = c.add(Features.of(a, v))
        stories.append(sid)
        story_topic[sid] = tid
    return stories, [story_topic[s] for s in stories]


def run(file: str, level: str = "story", limit: int | None = None, lang=None) -> dict[str, Any]:
    from crosswire.group import article_embedding_text
    from crosswire.group.baseline import tfidf_single_pass
    from crosswire.nlp import Language

    if level not in ("story", "topic"):
        raise BenchDataError(f"--level must be story or topic, not {level!r}")
    rows = load(file, limit)
    if not rows:
        raise BenchDataError(f"{file}: no articles")
    gold = [str(r.get(level) if r.get(level) is not None else r["story"]) for r in rows]
    articles = to_articles(rows)
    lang = lang or Language()
    _ = lang.encoder  # load the model outside the timed part

    t0 = time.perf_counter()
    vectors = lang.embed([article_embedding_text(a) for a in articles])
    t1 = time.perf_counter()
    stories, topics = crosswire_labels(articles, vectors)
    t2 = time.perf_counter()
    pred = stories if level == "story" else topics
    result = scores(pred, gold)
    result["articles_per_s"] = len(rows) / (t2 - t0)
    result["clustering_articles_per_s"] = len(rows) / (t2 - t1)
    if level == "topic":
        result["stories"] = len(set(stories))

    t0 = time.perf_counter()
    base = tfidf_single_pass([f"{a.title or ''}\n{a.text}" for a in articles])
    t1 = time.perf_counter()
    result["baseline"] = {
        **scores(base, gold),
        "articles_per_s": len(rows) / (t1 - t0),
        "name": "single-pass TF-IDF centroid",
    }
    result.update({"file": str(file), "level": level, "articles": len(rows), "gold_clusters": len(set(gold))})
    result["order_mean"], result["baseline"]["order_mean"] = _order_means(articles, vectors, gold, level)
    return result


def _order_means(articles, vectors, gold, level) -> tuple[dict, dict]:
    """BCubed F1 over ORDERS other shuffles of the same articles (vectors reused), for both systems."""
    from crosswire.group.baseline import tfidf_single_pass

    ours, base = [], []
    for seed in range(1, ORDERS + 1):
        idx = list(range(len(articles)))
        random.Random(seed).shuffle(idx)
        arts = [articles[i] for i in idx]
        g = [gold[i] for i in idx]
        stories, topics = crosswire_labels(arts, vectors[idx])
        ours.append(bcubed(stories if level == "story" else topics, g)[2])
        base.append(bcubed(tfidf_single_pass([f"{a.title or ''}\n{a.text}" for a in arts]), g)[2])

    def summary(xs):
        return {"orders": len(xs), "bcubed_f1": sum(xs) / len(xs), "bcubed_f1_min": min(xs), "bcubed_f1_max": max(xs)}

    return summary(ours), summary(base)
