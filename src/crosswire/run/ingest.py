"""``crosswire ingest``: add articles to a store, one committed step per article.

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
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass, field

import numpy as np

from crosswire.group import Features, OnlineClusterer, arrival_order, article_embedding_text, make_story
from crosswire.group import _params as params_from_settings
from crosswire.group.dedup import DuplicateIndex, mark_duplicates
from crosswire.model import Article, Rejection, RunWarning, Story
from crosswire.run.analyze import read_articles
from crosswire.run.dossier import Progress, analyze_stories, utc_now
from crosswire.run.history import record_version
from crosswire.settings import Settings
from crosswire.store.db import Store

HEADER = "stories.clusterer"
PENDING = "stories.pending"
# Seconds to wait after each committed article: only for the crash test, which must
# kill a real ingest between two commits. Never set in normal use.
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


class ClusterState:
    """The online clusterer and the copy index, loaded from and saved into a store."""

    def __init__(self, store: Store, settings: Settings):
        self.store = store
        params = params_from_settings(settings)
        header = store.get_state(HEADER)
        c = store.conn
        if header is None:
            self.clusterer = OnlineClusterer(params)
        else:
            state = dict(header)
            state["df_words"] = {t: n for t, n in c.execute("SELECT term, df FROM cluster_df WHERE kind='words'")}
            state["df_names"] = {t: n for t, n in c.execute("SELECT term, df FROM cluster_df WHERE kind='names'")}
            rows = c.execute("SELECT kind, data FROM cluster_centroids").fetchall()
            state["stories"] = [json.loads(r[1]) for r in rows if r[0] == "story"]
            state["topics"] = [json.loads(r[1]) for r in rows if r[0] == "topic"]
            self.clusterer = OnlineClusterer.from_state(state, params)
        self.known: dict[str, Article] = {a.id: a for a in store.articles()}
        self.index = DuplicateIndex()
        for a in self.known.values():
            self.index.add(a)
            if a.duplicate_of:
                self.index.canonical[a.id] = a.duplicate_of
                self.index.canonical.setdefault(a.duplicate_of, a.duplicate_of)
        self.story_of: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        for aid, sid in c.execute("SELECT article_id, story_id FROM story_articles"):
            self.assign(aid, sid)

    def assign(self, article_id: str, sid: str) -> None:
        old = self.story_of.get(article_id)
        if old is not None and old != sid:
            self.members.get(old, set()).discard(article_id)
        self.story_of[article_id] = sid
        self.members.setdefault(sid, set()).add(article_id)

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        out = {}
        for aid in ids:
            row = self.store.conn.execute("SELECT data FROM article_vectors WHERE article_id=?", (aid,)).fetchone()
            if row:
                out[aid] = np.frombuffer(row[0], dtype=np.float32)
        return out

    def save_step(self, f: Features | None, article: Article, vec: np.ndarray, sid: str) -> None:
        """Write the clusterer's changes for one article (inside the caller's transaction)."""
        c = self.store.conn
        cl = self.clusterer
        if f is not None:
            c.executemany(
                "INSERT INTO cluster_df(kind, term, df) VALUES (?,?,1) ON CONFLICT(kind, term) DO UPDATE SET df=df+1",
                [("words", t) for t in f.words] + [("names", t) for t in f.names],
            )
            for cid in sorted(cl.take_changes()):
                kind = "story" if cid in cl.stories else "topic"
                c.execute(
                    "INSERT OR REPLACE INTO cluster_centroids(id, kind, data) VALUES (?,?,?)",
                    (cid, kind, json.dumps(cl.centroid(cid).to_state())),
                )
            c.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?,?)", (HEADER, json.dumps(cl.header_state())))
        c.execute(
            "INSERT OR REPLACE INTO article_vectors(article_id, story_id, seq, data) VALUES (?,?,?,?)",
            (article.id, sid, cl.seq, np.asarray(vec, dtype=np.float32).tobytes()),
        )


def ingest(
    paths,
    *,
    db: str,
    source: str | None = None,
    published: str | None = None,
    sidecar: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    lang=None,
    now: dt.datetime | None = None,
    keep_going: bool = False,
) -> IngestResult:
    settings = settings or Settings.load(db=db)
    articles, rejected = read_articles(
        paths, source=source, published=published, sidecar=sidecar, settings=settings, progress=progress
    )
    return ingest_articles(
        articles, rejected, db=db, settings=settings, progress=progress, lang=lang, now=now, keep_going=keep_going
    )


def ingest_articles(
    articles: list[Article],
    rejected: list[Rejection],
    *,
    db: str,
    settings: Settings | None = None,
    progress: Progress | None = None,
    lang=None,
    now: dt.datetime | None = None,
    keep_going: bool = False,
) -> IngestResult:
    """The second half of ``ingest``: store cleaned articles (already read) and analyse their stories.

    ``crosswire follow`` calls it with the articles it fetched, so they are stored exactly as
    ``crosswire ingest`` stores files. An article given twice counts once."""
    from crosswire.nlp import Language

    settings = settings or Settings.load(db=db)
    unique: dict[str, Article] = {}
    for a in articles:
        unique.setdefault(a.id, a)
    articles = list(unique.values())
    result = IngestResult(read=len(articles), rejected=list(rejected))
    delay = float(os.environ.get(DELAY_ENV) or 0)
    with Store(db) as store:
        for r in rejected:
            store.put_rejection(r)
        state = ClusterState(store, settings)
        lang = lang or Language(embed_batch=settings.embed_batch)
        if store.get_state(HEADER) is None and state.known:
            _adopt(store, state, lang)
        new = [a for a in articles if a.id not in state.known]
        result.already = len(articles) - len(new)
        new = [new[i] for i in arrival_order(new)]
        vecs = lang.embed([article_embedding_text(a) for a in new]) if new else np.zeros((0, 384), np.float32)
        for i, (a, v) in enumerate(zip(new, vecs)):
            _add_one(store, state, a, v, result)
            if progress:
                progress("stories", i + 1, len(new))
            if delay:
                time.sleep(delay)
        _analyse_pending(store, state, lang, settings, result, progress, now=now or utc_now(), keep_going=keep_going)
    return result


def _adopt(store: Store, state: ClusterState, lang) -> None:
    """A store written by ``crosswire analyze`` has stories but no clusterer state: replay its
    articles through the clusterer (the same procedure ``analyze`` used), in one transaction,
    and mark every story for analysis. Stories that no longer exist are removed."""
    # insertion order (rowid) is the order analyze read its inputs; arrival_order then sorts by date
    ids = [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY rowid")]
    arts = [state.known[i] for i in ids if i in state.known]
    arts = [arts[i] for i in arrival_order(arts)]
    vecs = lang.embed([article_embedding_text(a) for a in arts])
    old = {r["id"] for r in store.list_stories()}
    state.story_of, state.members = {}, {}
    with store.transaction():
        for a, v in zip(arts, vecs):
            f = None
            sid = state.story_of.get(a.duplicate_of) if a.duplicate_of else None
            if sid is None:
                f = Features.of(a, v)
                sid = state.clusterer.add(f)[0]
            state.assign(a.id, sid)
            state.save_step(f, a, v, sid)
        sids = sorted(set(state.story_of.values()))
        for sid in sorted(old - set(sids)):
            store.delete_story(sid)
        for sid in sids:
            _put_structure(store, state, sid)
        store.set_state(PENDING, sids)


def _add_one(store: Store, state: ClusterState, a: Article, v: np.ndarray, result: IngestResult) -> None:
    changed = mark_duplicates([a], state.index, state.known)
    with store.transaction():
        if a.duplicate_of:
            sid = state.story_of.get(a.duplicate_of)
            f = None
        else:
            sid = None
        if sid is None:
            f = Features.of(a, v)
            sid, _tid, opened = state.clusterer.add(f)
            if opened:
                result.stories_new.append(sid)
        else:
            result.copies += 1
        store.put_article(a)
        for other in changed:
            if other.id != a.id:
                store.put_article(other)
        state.known[a.id] = a
        state.assign(a.id, sid)
        state.save_step(f, a, v, sid)
        _put_structure(store, state, sid)
        pending = set(store.get_state(PENDING, []))
        pending.add(sid)
        store.set_state(PENDING, sorted(pending))
    result.new += 1
    result.stories_touched.append(sid)


def _members(state: ClusterState, sid: str) -> list[Article]:
    ids = sorted(state.members.get(sid, ()))
    arts = [state.known[i] for i in ids if i in state.known]
    return [arts[i] for i in arrival_order(arts)]


def _put_structure(store: Store, state: ClusterState, sid: str) -> Story:
    members = _members(state, sid)
    vectors = state.vectors([a.id for a in members])
    topic = state.clusterer.stories[sid].topic if sid in state.clusterer.stories else None
    fresh = make_story(sid, topic, members, vectors)
    old = store.get_story(sid) if store.conn.execute("SELECT 1 FROM stories WHERE id=?", (sid,)).fetchone() else None
    story = old or fresh
    story.title, story.articles, story.topic, story.events = fresh.title, fresh.articles, fresh.topic, fresh.events
    store.put_story(story, {a.id: a for a in members})
    return story


def _analyse_pending(
    store: Store,
    state: ClusterState,
    lang,
    settings: Settings,
    result: IngestResult,
    progress: Progress | None,
    *,
    now: dt.datetime,
    keep_going: bool,
) -> None:
    pending = list(store.get_state(PENDING, []))
    for i, sid in enumerate(pending):
        members = _members(state, sid)
        vectors = state.vectors([a.id for a in members])
        topic = state.clusterer.stories[sid].topic if sid in state.clusterer.stories else None
        story = make_story(sid, topic, members, vectors)
        timerefs, warnings = analyze_stories(members, [story], lang, settings, now=now, keep_going=keep_going)
        result.warnings.extend(warnings)
        with store.transaction():
            by_id = {a.id: a for a in members}
            store.put_story(story, by_id)
            record_version(store, story, by_id, at=now)  # what changed for a reader (run/history.py)
            for aid, refs in timerefs.items():
                store.put_timerefs(aid, refs)
            left = [s for s in store.get_state(PENDING, []) if s != sid]
            store.set_state(PENDING, left)
        result.analysed += 1
        if progress:
            progress("analyze", i + 1, len(pending))
