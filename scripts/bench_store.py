"""How long `crosswire ingest` of ONE new article takes in a store of many stories (issue 13: 10,000 stories,
under 1 s), against how long loading the clusterer's state alone took before ingest read it lazily.

    /work/tools/heavy .venv/bin/python scripts/bench_store.py [--stories 10000] [--db PATH] [--json]

1. The store: --stories synthetic stories of one to four articles (each story its own names and words
   drawn from the stories bench corpora's vocabulary, dated over a year) go through ingest's own
   per-article step (copies, clusterer, article, story structure) 512 articles to a transaction. The
   stories are not analysed (their structure is stored; analysis is per story and does not depend on
   the store's size). Kept at --db and reused when it holds that many stories.
2. The store's part of ingesting one new article, in a file, into a copy of that store: reading, the
   clusterer's state, copy detection, placement, the article, the story's structure and the clusterer's
   changes, all committed. Embeddings come from a hashing encoder here (words hashed to fixed random
   vectors, summed, normalised), so that the figure is the store's and not the model's; the MiniLM
   embedding of the article and the analysis of its story are timed apart with the real models. Once for
   an article that opens a story and once for one that joins a story.
3. The same store's clusterer loaded as ingest loaded it before (every article and its copy-detection
   shingles, every centroid, every document frequency, every membership): what each ingest paid before
   it touched anything.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

import crosswire.run.ingest as ingest_mod
from crosswire.bench.stories_scale import _root, base_corpus
from crosswire.group import article_embedding_text
from crosswire.group.dedup import DuplicateIndex, band_keys, shingles
from crosswire.model import Article
from crosswire.nlp import Language
from crosswire.nlp.timings import Timings
from crosswire.run.ingest import ClusterState, IngestResult, _add_one, ingest
from crosswire.settings import Settings
from crosswire.store import Store

CLOCK = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
FRESH = (
    "Lighthouse keepers return to Skerry Point\n"
    "The last lighthouse on the Skerry Point headland will be staffed again from March, the coastal "
    "authority said on Thursday, after automated lamps failed twice during winter storms. Two keepers "
    "will live on site, the authority's director Maren Solberg told reporters in Vardo.\n"
)


class HashingEncoder:
    """A cheap deterministic stand-in for MiniLM: texts sharing words get near vectors (384 dims)."""

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self.timings = Timings()  # what ingest records its stages in, as on a Language
        self.cache = None  # ingest lends a Language the store as its model cache; unused here

    def _word(self, w: str) -> np.ndarray:
        v = self._cache.get(w)
        if v is None:
            seed = int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "big")
            v = self._cache[w] = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
        return v

    def embed(self, texts, stage: str = "embed") -> np.ndarray:
        out = []
        for t in texts:
            v = sum((self._word(w) for w in re.findall(r"\w+", t.lower())), np.zeros(384, np.float32))
            out.append(v / (np.linalg.norm(v) or 1.0))
        return np.asarray(out, dtype=np.float32).reshape(len(out), 384)


def synthetic(n_stories: int, seed: int = 7) -> Iterator[Article]:
    """Articles of n_stories distinct stories, one to four articles each, dated over a year in order.

    Each story draws its own names and words from the stories bench corpora's vocabulary; its articles
    are sentences of those (and common words), so they share a story's terms but are never copies."""
    rng = random.Random(seed)
    text = " ".join(r["text"] for r in base_corpus(_root()))
    tokens = re.findall(r"[A-Za-z][a-z]{3,}", text)
    names = sorted({t for t in tokens if t[0].isupper()})
    words = sorted({t for t in tokens if t.islower()})
    common = ["the", "said", "on", "in", "and", "of", "a", "to", "was", "that", "for", "with", "after"]
    start = dt.date(2024, 1, 1)
    for s in range(n_stories):
        day = start + dt.timedelta(days=s * 365 // n_stories)
        own_names, own_words = rng.sample(names, 6), rng.sample(words, 40)
        for j in range(rng.choice([1, 2, 2, 3, 3, 4])):
            title = " ".join([*rng.sample(own_names, 2), *rng.sample(own_words, 3)]).capitalize()
            body = []
            for _ in range(rng.randint(14, 22)):
                pool = [own_names, own_words, own_words, common, common]
                body.append(" ".join(rng.choice(rng.choice(pool)) for _ in range(rng.randint(12, 22))).capitalize())
            raw = title + "\n" + ". ".join(body) + ".\n"
            yield Article(
                id=Article.make_id(raw),
                text=raw,
                raw=raw,
                path=f"synthetic/{s}-{j}.txt",
                source=f"Outlet {j + 1}",
                published=(day + dt.timedelta(days=j)).isoformat(),
                published_from="user",
            )


def build(db: Path, stories: int, settings: Settings) -> dict:
    """The store, through ingest's per-article step, 512 articles to a transaction."""
    t0 = time.perf_counter()
    enc = HashingEncoder()
    arts = list(synthetic(stories))
    with Store(db) as store, store.writer():
        state = ClusterState(store, settings)
        result = IngestResult()
        for i in range(0, len(arts), 512):
            chunk = arts[i : i + 512]
            vecs = enc.embed([article_embedding_text(a) for a in chunk])
            with store.transaction():
                for a, v in zip(chunk, vecs):
                    _add_one(store, state, a, v, result)
        with store.transaction():
            store.set_pending([])
        out = {"articles": store.count("articles"), "stories": store.count("stories")}
    out["build_s"] = round(time.perf_counter() - t0, 1)
    return out


def old_state_load(db: Path) -> float:
    """The clusterer's state loaded as ingest loaded it before: everything, before the first article."""
    t0 = time.perf_counter()
    with Store(db) as store:
        known = {a.id: a for a in store.articles()}
        index = DuplicateIndex()
        for a in known.values():
            sh = shingles(a.text)
            index.add(a, sh, band_keys(sh))
        words, names = store.cluster_df_all("words"), store.cluster_df_all("names")
        centroids = store.cluster_centroids()
        members = {sid: store.assigned_to(sid) for sid in store.story_ids()}
    assert known and words and names and centroids and members
    return time.perf_counter() - t0


def store_part(db: Path, text: str, published: str, label: str) -> dict:
    """One article ingested into a copy of the store, embeddings hashed, its story's analysis left out."""
    work = Path(tempfile.mkdtemp(prefix="cw-bench-store-"))
    copy = work / "s.db"
    shutil.copy(db, copy)
    f = work / "new.txt"
    f.write_text(text, encoding="utf-8")
    skipped = ingest_mod.analyse_pending
    ingest_mod.analyse_pending = lambda *a, **k: None
    try:
        t0 = time.perf_counter()
        res = ingest([str(f)], db=str(copy), lang=HashingEncoder(), published=published, now=CLOCK)  # type: ignore[arg-type]
        seconds = time.perf_counter() - t0
    finally:
        ingest_mod.analyse_pending = skipped
    assert res.new == 1, res.describe()
    with Store(copy) as s:
        size = len(s.assigned_to(res.stories_touched[0]))
    shutil.rmtree(work, ignore_errors=True)
    return {"case": label, "store_s": round(seconds, 3), "opened": bool(res.stories_new), "story_articles": size}


def models_part(db: Path, text: str, published: str) -> dict:
    """The same article with the real models, end to end (into a copy; the store is MiniLM-free, so
    only the time counts): MiniLM on the article, and the analysis of the story it lands in."""
    lang = Language()
    lang.embed(["warm up"])
    lang.spacy("Warm up the parser.")
    t0 = time.perf_counter()
    lang.embed([text])
    embed_s = time.perf_counter() - t0
    work = Path(tempfile.mkdtemp(prefix="cw-bench-store-"))
    shutil.copy(db, work / "s.db")
    (work / "new.txt").write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    res = ingest([str(work / "new.txt")], db=str(work / "s.db"), lang=lang, published=published, now=CLOCK)
    total = time.perf_counter() - t0
    shutil.rmtree(work, ignore_errors=True)
    return {"embed_one_article_s": round(embed_s, 3), "ingest_with_models_s": round(total, 3), "analysed": res.analysed}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stories", type=int, default=10_000)
    ap.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "crosswire-bench-store.db"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    settings = Settings.load()
    db = Path(args.db)
    built: dict = {}
    if not db.exists() or Store(db).count("stories") < args.stories:
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        built = build(db, args.stories, settings)
    with Store(db) as store:
        n_articles, n_stories = store.count("articles"), store.count("stories")
        newest = next(iter(store.get_articles(store.article_ids()[-1:]).values()))
        open_stories = len([c for c in store.cluster_heads() if c.id.startswith("s_")])
    day = (dt.date.fromisoformat((newest.published or "2024-12-31")[:10]) + dt.timedelta(days=1)).isoformat()
    # the newest stored article's first half with new sentences after it: the same story, not a copy
    sentences = newest.text.split(". ")
    follow_up = ". ".join(sentences[: max(2, len(sentences) // 2)]) + ". " + FRESH.split("\n", 1)[1]
    result = {
        "store_articles": n_articles,
        "store_stories": n_stories,
        "open_stories": open_stories,
        **({"build": built} if built else {}),
        "cases": [
            store_part(db, FRESH, day, "opens a story"),
            store_part(db, follow_up, day, "joins a story"),
        ],
        "old_state_load_s": round(old_state_load(db), 3),
        "with_models": models_part(db, FRESH, day),
    }
    if args.json:
        print(json.dumps(result))
    else:
        json.dump(result, sys.stdout, indent=2)
        print()


if __name__ == "__main__":
    main()
