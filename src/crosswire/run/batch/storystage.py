"""The story stage of a batch run: Parquet output -> stories -> per-story analysis -> store.

Articles go to the online story clusterer in input order (shard, then record),
which it streams in publication order, exactly as for ``crosswire analyze``, with the embeddings the Ray stage computed
(of exactly ``crosswire.group.article_embedding_text``). Per-story analysis
is ``crosswire.run.dossier.analyze_stories``, as in ``crosswire analyze`` (in worker
processes on a big enough batch); the spaCy Docs parsed by the language stage go into
the store's model cache, where the analysis finds them, so that no article is parsed
twice, and the stage's article vectors stand for this encoder's when they are its own.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

import numpy as np

from crosswire.group import article_embedding_text, build_stories
from crosswire.model import Article, Rejection
from crosswire.nlp import Language, text_key
from crosswire.run.analyze import run_pool, store_cache
from crosswire.run.batch.output import read_table
from crosswire.run.dossier import analyze_stories, make_dossier, utc_now
from crosswire.settings import Settings, worker_count
from crosswire.store import Store


def load_articles(out_dir: str, shard_ids: list[str]) -> tuple[list[Article], np.ndarray, dict[str, bytes]]:
    """Articles of the finished shards, each once, in input order; their embeddings (same order) and Doc bytes."""
    t = read_table(out_dir, "articles", shard_ids, columns=["shard_id", "seq", "id", "published", "raw", "data"])
    order = {sid: i for i, sid in enumerate(shard_ids)}
    rows = sorted(t.to_pylist(), key=lambda r: (order[r["shard_id"]], r["seq"]))
    seen: set[str] = set()
    articles = []
    for r in rows:  # input order, as `crosswire analyze` reads them; the clusterer streams them by date
        if r["id"] in seen:  # the same article in two shards (or twice in one): keep the first
            continue
        seen.add(r["id"])
        a = Article.from_dict(json.loads(r["data"]))
        a.raw = r["raw"] or ""
        articles.append(a)
    emb = read_table(out_dir, "embeddings", shard_ids)
    vecs = {aid: v for aid, v in zip(emb.column("article_id").to_pylist(), emb.column("vector").to_pylist())}
    matrix = np.asarray([vecs[a.id] for a in articles], dtype=np.float32).reshape(len(articles), -1)
    docs_t = read_table(out_dir, "docs", shard_ids)
    docs = dict(zip(docs_t.column("article_id").to_pylist(), docs_t.column("doc").to_pylist()))
    return articles, matrix, docs


def revive_docs(lang, blobs: dict[str, bytes], articles: list[Article]) -> dict[str, Any]:
    from spacy.tokens import Doc

    vocab = lang.spacy.vocab
    docs = {}
    for a in articles:
        b = blobs.get(a.id)
        if b:
            doc = Doc(vocab).from_bytes(b)
            if doc.text == a.text:
                docs[a.id] = doc
    return docs


def seed_cache(lang: Language, blobs: dict[str, bytes], articles: list[Article], embeddings: np.ndarray) -> bool:
    """Put the language stage's parses into the model cache (the store) so the story analysis reads them
    instead of parsing again. Returns whether the stage's vectors are this encoder's (checked on one
    article: an int8 vector is a function of its text), so that they may stand for it."""
    if lang.cache is None:
        return False
    by_id = {a.id: a for a in articles}
    docs = revive_docs(lang, blobs, articles)  # (only Docs of exactly the article's text)
    lang.cache.put_parses(lang.parser_name, {text_key(by_id[aid].text): lang.pack_doc(d) for aid, d in docs.items()})
    if not articles or lang.encoder_kind != "int8":
        return False
    probe = article_embedding_text(articles[0])
    return bool(np.array_equal(lang.embed([probe], stage="embed articles")[0], embeddings[0]))


def build_and_store(
    out_dir: str,
    shard_ids: list[str],
    *,
    db: str,
    settings: Settings,
    lang=None,
    problems: dict[str, list[list[str]]] | None = None,
    now: _dt.datetime | None = None,
    keep_going: bool = False,
    workers: int | None = None,
) -> dict[str, int]:
    """Cluster and analyse every article of the given shards and save the dossier in the store.

    The store is the model cache: the language stage's parses are put there and read back by the
    story analysis (in ``workers`` processes; default one, 0 = every core)."""
    now = now or utc_now()
    lang = lang or Language.for_settings(settings)
    n = 1 if workers is None else worker_count(workers)
    articles, embeddings, blobs = load_articles(out_dir, shard_ids)
    with Store(db) as cache, store_cache(lang, cache):
        same_encoder = seed_cache(lang, blobs, articles, embeddings)
        del blobs
        vectors = {a.id: embeddings[i] for i, a in enumerate(articles)} if same_encoder else None
        if vectors:
            lang.remember([article_embedding_text(a) for a in articles], embeddings)
        with run_pool(lang, settings, n, len(articles), db) as pool:
            with lang.timings.stage("group"):
                stories = build_stories(articles, lang, settings, embeddings=embeddings) if articles else []
            timerefs, warnings = analyze_stories(
                articles, stories, lang, settings, now=now, keep_going=keep_going, pool=pool, vectors=vectors
            )
    rejected = [
        Rejection(where, reason)
        for ps in (problems or {}).values()
        for where, reason, *kind in ps
        if not kind or kind[0] != "out_of_range"
    ]
    dossier = make_dossier(articles, stories, rejected, timerefs, warnings, now=now)
    with Store(db) as store:
        counts = store.save_dossier(dossier)
        store.set_state(
            f"batch:{out_dir}",
            {"shards": shard_ids, "articles": len(articles), "stories": len(stories), "at": dossier.generated},
        )
    return {
        "articles": len(articles),
        "articles_new": counts["articles_new"],
        "stories": len(stories),
        "warnings": len(warnings),
    }
