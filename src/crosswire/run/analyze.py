"""``crosswire analyze``: one run over a set of inputs (the CLI stores the dossier).

paths -> read -> clean -> copies and stories (group) -> per story: components -> Dossier

With ``workers`` > 1 (default: every core) and enough articles, the clustering embeddings
and the per-story analysis run in worker processes (``crosswire.run.workers``); the
result is the same as in one process. With ``db``, the store there is the run's model
cache: vectors and parses computed by this run are kept in it and nothing it holds is
computed again (the dossier itself is stored by the caller).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from crosswire.clean import clean_article, page_rejection
from crosswire.group import article_embedding_text, build_stories
from crosswire.model import Article, Dossier, Rejection
from crosswire.nlp import Language, Timings
from crosswire.read import read_paths
from crosswire.run.dossier import Progress, analyze_stories, make_dossier, utc_now
from crosswire.settings import Settings, worker_count

__all__ = ["Progress", "analyze", "read_articles", "PARALLEL_MIN_ARTICLES"]

# Below this many articles a run stays in one process: starting workers (each loads spaCy and
# the encoder, about 2 s) costs more than they save.
PARALLEL_MIN_ARTICLES = 12
EMBED_STEP = 64  # articles per progress update while embedding


def read_articles(
    paths: Sequence[str],
    *,
    source: str | None = None,
    published: str | None = None,
    sidecar: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    timings: Timings | None = None,
) -> tuple[list[Article], list[Rejection]]:
    """Read and clean every path; bad inputs become rejections, the rest go on. Each article once."""
    settings = settings or Settings.load()
    timings = timings or Timings()
    articles: list[Article] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    items = read_paths(paths, source=source, published=published, sidecar=sidecar, settings=settings, progress=progress)
    while True:
        with timings.stage("read"):
            item = next(items, None)
        if item is None:
            break
        if isinstance(item, Rejection):
            rejected.append(item)
            continue
        with timings.stage("clean"):
            art = clean_article(item)
            no = page_rejection(art)
        if no is not None:  # a crawl notice, a sign-in form ... where an article should be
            rejected.append(no)
            continue
        if art.id in seen:
            continue
        seen.add(art.id)
        articles.append(art)
    return articles, rejected


@contextlib.contextmanager
def run_pool(lang: Language, settings: Settings, workers: int, n_articles: int, db: str | None) -> Iterator:
    """Worker processes for a run (None when one process is enough); the language's encoder goes through them."""
    if workers <= 1 or n_articles < PARALLEL_MIN_ARTICLES:
        yield None
        return
    from crosswire.run.workers import PoolEncoder, StoryPool, WorkerConfig

    with StoryPool(workers, WorkerConfig(settings=settings, encoder=lang.encoder_kind, db=db)) as pool:
        with lang.encoder_override(PoolEncoder(pool, lang.encoder_name)):
            yield pool


@contextlib.contextmanager
def store_cache(lang: Language, db: Any) -> Iterator[None]:
    """The store (an open Store, or the path of one) as the language's model cache for the duration,
    unless the language has a cache already."""
    if db is None or lang.cache is not None:
        yield
        return
    if not isinstance(db, str):
        lang.cache = db
        try:
            yield
        finally:
            lang.cache = None
        return
    from crosswire.store import Store

    with Store(db) as store:
        lang.cache = store
        try:
            yield
        finally:
            lang.cache = None


def embed_articles(lang: Language, articles: list[Article], progress: Progress | None = None) -> np.ndarray:
    """The clustering vectors of the articles (``article_embedding_text``), in steps that report progress."""
    texts = [article_embedding_text(a) for a in articles]
    parts = []
    for i in range(0, len(texts), EMBED_STEP):
        parts.append(lang.embed(texts[i : i + EMBED_STEP], stage="embed articles"))
        if progress:
            progress("embed", min(i + EMBED_STEP, len(texts)), len(texts))
    return np.concatenate(parts, axis=0) if parts else np.zeros((0, 384), dtype=np.float32)


def analyze(
    paths: Sequence[str],
    *,
    source: str | None = None,
    published: str | None = None,
    sidecar: str | None = None,
    settings: Settings | None = None,
    lang: Language | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    keep_going: bool = False,
    workers: int | None = None,
    db: str | None = None,
) -> Dossier:
    """Read, clean, group and analyse articles; return the dossier (the dossier is not stored).

    A story component that fails raises ``ComponentError`` unless ``keep_going``, in which case the
    failure is listed in ``dossier.warnings``. ``now`` is the run's clock (default: the current time).
    ``workers``: processes (default one; 0 = every core; more than one starts worker processes,
    so a script that asks for them needs the usual ``if __name__ == "__main__":`` guard). ``db``: the
    store used as model cache. Seconds per stage are in ``lang.timings``."""
    settings = settings or Settings.load()
    lang = lang or Language.for_settings(settings)
    now = now or utc_now()
    n = 1 if workers is None else worker_count(workers)
    timings = lang.timings
    articles, rejected = read_articles(
        paths,
        source=source,
        published=published,
        sidecar=sidecar,
        settings=settings,
        progress=progress,
        timings=timings,
    )
    with store_cache(lang, db), run_pool(lang, settings, n, len(articles), db) as pool:
        embeddings = embed_articles(lang, articles, progress)
        with timings.stage("group"):
            stories = build_stories(articles, lang, settings, embeddings=embeddings)
        vectors = {a.id: embeddings[i] for i, a in enumerate(articles)}
        timerefs, warnings = analyze_stories(
            articles,
            stories,
            lang,
            settings,
            now=now,
            keep_going=keep_going,
            progress=progress,
            pool=pool,
            vectors=vectors,
        )
    return make_dossier(articles, stories, rejected, timerefs, warnings, now=now)
