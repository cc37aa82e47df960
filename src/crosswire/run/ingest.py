"""``crosswire ingest``: add articles to a store, one committed step per article.

The run is the store's one writer (``Store.writer``): a second ingest, an upload job or an
``analyze`` saving into the same store waits until this one has finished, so two runs started
together end exactly as if run one after the other.

For each new article (content-hash id not yet stored), in publication order:
one transaction stores the article (and any stored copy whose canonical changed),
its story assignment, the clusterer's updated state (centroids, document
frequencies, the article's vector) and the story's structure (members, title,
topic, events), and marks the story as pending analysis. Then every pending
story is analysed (``run.dossier.analyze_stories``) and stored in a transaction
that also clears its pending mark. A kill at any point loses nothing committed
and leaves no half-written story: re-running skips stored articles, finishes
pending analyses and goes on; the clusterer resumes from the committed state,
so the result equals a single clean run.

The clusterer's state is read lazily (``OnlineClusterer.from_heads``, ``StoredCopies``): the open
stories' heads, then per article only the centroids, term frequencies and copy candidates it
touches, so adding one article costs the same in a store of ten stories or of ten thousand.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from crosswire.group import (
    OnlineClusterer,
    Placement,
    arrival_order,
    article_embedding_text,
    make_story,
    params_from_settings,
    place,
    place_all,
)
from crosswire.group.dedup import DuplicateIndex, band_keys, mark_duplicates, shingles
from crosswire.model import Article, Rejection, RunWarning, Story
from crosswire.nlp import Language
from crosswire.run.analyze import read_articles, run_pool, store_cache
from crosswire.run.dossier import Progress, analyze_stories, utc_now
from crosswire.run.history import record_version
from crosswire.settings import Settings, worker_count
from crosswire.store import Store
from crosswire.store.cluster import PENDING

__all__ = ["PENDING", "ClusterState", "IngestResult", "analyse_pending", "index_unbanded", "ingest", "rebuild"]

# Seconds to wait after each committed article: only for the crash and concurrency tests, which
# must act on a real ingest between two commits. Never set in normal use.
DELAY_ENV = "CROSSWIRE_INGEST_DELAY"


@dataclass
class IngestResult:
    read: int = 0
    new: int = 0
    already: int = 0
    copies: int = 0
    stories_new: list[str] = field(default_factory=list)
    stories_touched: list[str] = field(default_factory=list)
    analysed: int = 0
    warnings: list[RunWarning] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"articles read: {self.read}; new: {self.new}; already stored: {self.already}; copies: {self.copies}; "
            f"rejected: {len(self.rejected)}; stories opened: {len(self.stories_new)}; "
            f"stories updated: {len(set(self.stories_touched) - set(self.stories_new))}; "
            f"stories analysed: {self.analysed}"
        )


class StoredCopies:
    """The copy index (``group.dedup.CopyIndex``) of a store: candidates by band key, articles on demand.

    Band keys of articles added here are written by ``flush`` (after the article itself is stored)."""

    def __init__(self, store: Store):
        self.store = store
        self._arts: dict[str, Article] = {}
        self._keys: dict[str, list[int]] = {}

    def candidates(self, keys: list[int]) -> set[str]:
        return self.store.copy_candidates(keys)

    def shingles_of(self, ids: Iterable[str]) -> dict[str, set[str]]:
        return {i: shingles(a.text) for i, a in self.articles(ids).items()}

    def canonical_of(self, article_id: str) -> str:
        a = self.articles([article_id]).get(article_id)
        return (a.duplicate_of if a else None) or article_id

    def members(self, canonical: str) -> set[str]:
        return set(self.store.copy_group(canonical)) | {canonical}

    def articles(self, ids: Iterable[str]) -> dict[str, Article]:
        ids = list(ids)
        missing = [i for i in ids if i not in self._arts]
        if missing:
            self._arts.update(self.store.get_articles(missing))
        return {i: self._arts[i] for i in ids if i in self._arts}

    def add(self, article: Article, sh: set[str], keys: list[int]) -> None:
        self._arts[article.id] = article
        self._keys[article.id] = keys

    def set_canonical(self, article_id: str, canonical: str) -> None:
        pass  # stored with the article (duplicate_of) by the caller

    def flush(self) -> None:
        for aid, keys in self._keys.items():
            self.store.put_copy_bands(aid, keys)
        self._keys.clear()


class ClusterState:
    """The online clusterer of a store, with what it has read of the store so far."""

    def __init__(self, store: Store, settings: Settings):
        self.store = store
        params = params_from_settings(settings)
        header = store.cluster_header()
        if header is None:
            self.clusterer = OnlineClusterer(params)
        else:
            self.clusterer = OnlineClusterer.from_heads(
                header, store.cluster_heads(), store.cluster_centroid, store.cluster_df, params
            )

    def save(self, p: Placement, vec: np.ndarray) -> None:
        """Write the clusterer's changes for one placed article (inside the caller's transaction)."""
        cl = self.clusterer
        if p.features is not None:
            changed = [cl.centroid(cid) for cid in sorted(cl.take_changes())]
            self.store.save_cluster_step(cl.header_state(), p.features.words, p.features.names, changed)
        self.store.put_article_vector(p.article.id, p.story, cl.seq, vec, clustered=p.features is not None)


def index_unbanded(store: Store) -> None:
    """Put the stored articles that are not in the copy index yet (stored by ``analyze``) into it."""
    todo = store.unbanded_articles()
    if todo:
        with store.transaction():
            for aid, text in todo:
                store.put_copy_bands(aid, band_keys(shingles(text)))


def ingest(
    paths,
    *,
    db: str,
    source: str | None = None,
    published: str | None = None,
    sidecar: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    lang: Language | None = None,
    now: dt.datetime | None = None,
    keep_going: bool = False,
    on_wait: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> IngestResult:
    """Add the articles of ``paths`` to the store ``db``. ``on_wait(holder)`` is called when another
    writer holds the store and this run waits for it (up to ``settings.writer_wait_s``).
    ``workers``: processes for embeddings and story analysis (default one; 0 = every core).
    The store is the run's model cache: vectors and parses it holds are never computed again."""
    settings = settings or Settings.load(db=db)
    lang = lang or Language.for_settings(settings)
    articles, rejected = read_articles(
        paths,
        source=source,
        published=published,
        sidecar=sidecar,
        settings=settings,
        progress=progress,
        timings=lang.timings,
    )
    return ingest_articles(
        articles,
        rejected,
        db=db,
        settings=settings,
        progress=progress,
        lang=lang,
        now=now,
        keep_going=keep_going,
        on_wait=on_wait,
        workers=workers,
    )


def ingest_articles(
    articles: list[Article],
    rejected: list[Rejection],
    *,
    db: str,
    settings: Settings | None = None,
    progress: Progress | None = None,
    lang: Language | None = None,
    now: dt.datetime | None = None,
    keep_going: bool = False,
    on_wait: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> IngestResult:
    """The second half of ``ingest``: store cleaned articles (already read) and analyse their stories.

    ``crosswire follow`` calls it with the articles it fetched, so they are stored exactly as
    ``crosswire ingest`` stores files. An article given twice counts once."""
    settings = settings or Settings.load(db=db)
    lang = lang or Language.for_settings(settings)
    unique: dict[str, Article] = {}
    for a in articles:
        unique.setdefault(a.id, a)
    articles = list(unique.values())
    result = IngestResult(read=len(articles), rejected=list(rejected))
    delay = float(os.environ.get(DELAY_ENV) or 0)
    n = 1 if workers is None else worker_count(workers)
    with (
        Store(db, writer_wait_s=settings.writer_wait_s) as store,
        store.writer(on_wait),
        store_cache(lang, store),
    ):
        for r in rejected:
            store.put_rejection(r)
        stored = store.stored_ids([a.id for a in articles])
        new = [a for a in articles if a.id not in stored]
        result.already = len(articles) - len(new)
        rebuilding = store.cluster_header() is None and store.count("articles") > 0
        work = len(new) + (store.count("articles") if rebuilding else 0) + len(store.pending_stories())
        with run_pool(lang, settings, n, work, db) as pool:
            if rebuilding:
                rebuild(store, settings, lang)
            index_unbanded(store)
            state = ClusterState(store, settings)
            new = [new[i] for i in arrival_order(new)]
            vecs = (
                lang.embed([article_embedding_text(a) for a in new], stage="embed articles")
                if new
                else np.zeros((0, 384), np.float32)
            )
            for i, (a, v) in enumerate(zip(new, vecs)):
                with lang.timings.stage("group"):
                    _add_one(store, state, a, v, result)
                if progress:
                    progress("stories", i + 1, len(new))
                if delay:
                    time.sleep(delay)
            analyse_pending(
                store, settings, lang, result, progress, now=now or utc_now(), keep_going=keep_going, pool=pool
            )
    return result


def rebuild(store: Store, settings: Settings, lang: Language | None, *, stored_order: bool = False) -> list[str]:
    """Replay every stored article through a fresh clusterer, in one transaction, and mark every
    story for analysis; stories that no longer exist are removed. Returns the stories.

    For a store written by ``crosswire analyze`` (stories but no clusterer state) the articles go in
    the order analyze read them, then by date, as analyze did, with the copies analyze found.
    ``stored_order`` (``check --repair``) replays ingest itself: the articles in the order they were
    stored (the order ingest placed them), each first matched against the copies before it, then
    placed; copies found this way are stored, and the copy index is rebuilt. Vectors already stored
    are reused; the others are embedded."""
    ids = store.article_ids()  # insertion order
    by_id = store.get_articles(ids)
    arts = [by_id[i] for i in ids if i in by_id]
    if not stored_order:
        arts = [arts[i] for i in arrival_order(arts)]
    vectors = store.article_vectors(ids)
    todo = [a for a in arts if a.id not in vectors]
    if todo:
        lang = lang or Language.for_settings(settings)
        texts = [article_embedding_text(a) for a in todo]
        vectors.update(zip([a.id for a in todo], lang.embed(texts, stage="embed articles")))
    old = set(store.story_ids())
    with store.transaction():
        store.clear_cluster_state()
        state = ClusterState(store, settings)
        story_of: dict[str, str] = {}
        if stored_order:
            was = {a.id: a.duplicate_of for a in arts}
            index = DuplicateIndex()
            for a in arts:
                a.duplicate_of = None
                mark_duplicates([a], index)  # the copies as ingest saw them when this article came
                p = place(state.clusterer, a, vectors[a.id], story_of)
                story_of[a.id] = p.story
                state.save(p, vectors[a.id])
            for a in arts:
                if a.duplicate_of != was[a.id]:
                    store.put_article(a)
            store.clear_copy_bands()
        else:
            for p in place_all(state.clusterer, arts, vectors, story_of):
                state.save(p, vectors[p.article.id])
        sids = sorted(set(story_of.values()))
        for sid in sorted(old - set(sids)):
            store.delete_story(sid)
        for sid in sids:
            _put_structure(store, state, sid)
        store.set_pending(sids)
    index_unbanded(store)
    return sids


def _add_one(store: Store, state: ClusterState, a: Article, v: np.ndarray, result: IngestResult) -> None:
    with store.transaction():
        copies = StoredCopies(store)
        changed = mark_duplicates([a], copies)
        story_of = store.assigned_stories([a.duplicate_of]) if a.duplicate_of else {}
        p = place(state.clusterer, a, v, story_of)
        store.put_article(a)
        copies.flush()
        for other in changed:
            if other.id != a.id:
                store.put_article(other)
        state.save(p, v)
        _put_structure(store, state, p.story)
        store.set_pending([*store.pending_stories(), p.story])
    if p.opened:
        result.stories_new.append(p.story)
    elif p.features is None:
        result.copies += 1
    result.new += 1
    result.stories_touched.append(p.story)


def _members(store: Store, sid: str) -> tuple[list[Article], dict[str, np.ndarray]]:
    """A story's articles in arrival order, and their clustering vectors."""
    ids = store.assigned_to(sid)
    by_id = store.get_articles(ids)
    arts = [by_id[i] for i in ids if i in by_id]
    return [arts[i] for i in arrival_order(arts)], store.article_vectors(ids)


def _put_structure(store: Store, state: ClusterState, sid: str) -> Story:
    members, vectors = _members(store, sid)
    fresh = make_story(sid, state.clusterer.topic_of(sid), members, vectors)
    story = store.get_story(sid, prefix=False) or fresh
    if set(story.articles) != set(fresh.articles):  # same members: the analysis's title still holds
        story.title = fresh.title
    story.articles, story.topic, story.events = fresh.articles, fresh.topic, fresh.events
    store.put_story(story, {a.id: a for a in members})
    return story


def analyse_pending(
    store: Store,
    settings: Settings,
    lang: Language,
    result: IngestResult,
    progress: Progress | None,
    *,
    now: dt.datetime,
    keep_going: bool,
    pool=None,
) -> None:
    """Analyse every story marked pending (in the pool's worker processes when there is one); each is
    stored with its mark cleared in one transaction as soon as its analysis is done."""
    pending = store.pending_stories()
    stories: list[Story] = []
    members_of: dict[str, list[Article]] = {}
    for sid in pending:
        members, vectors = _members(store, sid)
        stored = store.get_story(sid, prefix=False)
        stories.append(make_story(sid, stored.topic if stored else None, members, vectors))
        members_of[sid] = members
    everyone = [a for sid in pending for a in members_of[sid]]

    def commit(story: Story, timerefs: dict, warnings: list[RunWarning]) -> None:
        result.warnings.extend(warnings)
        with lang.timings.stage("store"), store.transaction():
            by_id = {a.id: a for a in members_of[story.id]}
            store.put_story(story, by_id)
            record_version(store, story, by_id, at=now)  # what changed for a reader (run/history.py)
            for aid, refs in timerefs.items():
                store.put_timerefs(aid, refs)
            store.set_pending(s for s in store.pending_stories() if s != story.id)
        result.analysed += 1

    analyze_stories(
        everyone, stories, lang, settings, now=now, keep_going=keep_going, progress=progress, pool=pool, on_story=commit
    )
