"""Story clustering and storylines.

``cluster_articles`` groups a run's articles into stories with the online
clusterer (``online.py``), in publication order (undated articles last, in input
order), gives each story a topic, a title from its own text and its storyline
events (``events.py``). ``crosswire ingest`` drives the same clusterer
incrementally with its state kept in the store (``crosswire.run.ingest``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import numpy as np

from crosswire.group.dedup import mark_duplicates
from crosswire.group.events import story_events, story_title
from crosswire.group.features import Features, article_embedding_text
from crosswire.group.online import OnlineClusterer, Params
from crosswire.model import Article, Story
from crosswire.settings import Settings

__all__ = [
    "Placement",
    "place",
    "place_all",
    "params_from_settings",
    "build_stories",
    "cluster_articles",
    "article_embedding_text",
    "arrival_order",
    "OnlineClusterer",
    "Params",
    "Features",
    "story_events",
    "story_title",
    "make_story",
]


def arrival_order(articles: list[Article]) -> list[int]:
    """Indexes of ``articles`` in the order the clusterer sees them: dated first by date, then undated."""
    return sorted(
        range(len(articles)), key=lambda i: (articles[i].published is None, (articles[i].published or "")[:10], i)
    )


def make_story(sid: str, topic: str | None, members: list[Article], vectors: dict[str, np.ndarray]) -> Story:
    """A Story with its title and events, built from its member articles (copies included)."""
    title = story_title(members, vectors)
    return Story(
        id=sid, title=title, articles=[a.id for a in members], topic=topic, events=story_events(members, vectors)
    )


@dataclass(frozen=True)
class Placement:
    """Where one article went: its story, and what the clusterer saw of it (None for a copy)."""

    article: Article
    story: str
    opened: bool
    features: Features | None


def place(clusterer: OnlineClusterer, a: Article, vector: np.ndarray, story_of: Mapping[str, str]) -> Placement:
    """A copy joins its original's story; any other article (or a copy whose original has no story
    yet) goes to the clusterer, which adds it to the best story or opens one."""
    if a.duplicate_of:
        sid = story_of.get(a.duplicate_of)
        if sid is not None:
            return Placement(a, sid, False, None)
    f = Features.of(a, vector)
    sid, _tid, opened = clusterer.add(f)
    return Placement(a, sid, opened, f)


def place_all(
    clusterer: OnlineClusterer, articles: list[Article], vectors: Mapping[str, np.ndarray], story_of: dict[str, str]
) -> Iterator[Placement]:
    """Place articles in arrival order, yielding each placement as it is made (the clusterer's state is
    then that of this step); a copy whose original comes later in ``articles`` waits for it.
    ``story_of`` (article id -> story id) is read and updated."""
    ids = {a.id for a in articles}
    waiting: list[Article] = []
    for i in arrival_order(articles):
        a = articles[i]
        if a.duplicate_of in ids and a.duplicate_of not in story_of:
            waiting.append(a)
            continue
        p = place(clusterer, a, vectors[a.id], story_of)
        story_of[a.id] = p.story
        yield p
    for a in waiting:
        p = place(clusterer, a, vectors[a.id], story_of)
        story_of[a.id] = p.story
        yield p


def cluster_articles(
    articles: list[Article], lang, settings, embeddings: np.ndarray | None = None, params: Params | None = None
) -> list[Story]:
    """Group articles into stories. ``embeddings`` (rows aligned with ``articles``) skips embedding.

    Near-copies (``duplicate_of`` set) follow their canonical article's story.
    """
    if not articles:
        return []
    if embeddings is None:
        embeddings = lang.embed([article_embedding_text(a) for a in articles])
    vectors = {a.id: np.asarray(embeddings[i], dtype=np.float32) for i, a in enumerate(articles)}
    clusterer = OnlineClusterer(params or params_from_settings(settings))
    story_of: dict[str, str] = {}
    for _ in place_all(clusterer, articles, vectors, story_of):
        pass
    members: dict[str, list[Article]] = {}
    for i in arrival_order(articles):
        members.setdefault(story_of[articles[i].id], []).append(articles[i])
    return [make_story(sid, clusterer.topic_of(sid), arts, vectors) for sid, arts in members.items()]


def build_stories(articles: list[Article], lang, settings, embeddings: np.ndarray | None = None) -> list[Story]:
    """Mark near-copies, then group the articles into stories (copies follow their original)."""
    mark_duplicates(articles)
    return cluster_articles(articles, lang, settings, embeddings=embeddings)


def params_from_settings(settings: Settings | None) -> Params:
    """The code defaults, with the two knobs Settings exposes (story_threshold, story_window_days)."""
    p = Params()
    if settings is None:
        return p
    return replace(p, threshold=float(settings.story_threshold), window_days=float(settings.story_window_days))
