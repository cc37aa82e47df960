"""Story clustering and storylines.

``cluster_articles`` groups a run's articles into stories with the online
clusterer (``online.py``), in publication order (undated articles last, in input
order), gives each story a topic, a title from its own text and its storyline
events (``events.py``). ``crosswire ingest`` drives the same clusterer
incrementally with its state kept in the store (``crosswire.run.ingest``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from crosswire.group.dedup import mark_duplicates
from crosswire.group.events import story_events, story_title
from crosswire.group.features import Features, article_embedding_text
from crosswire.group.online import OnlineClusterer, Params
from crosswire.model import Article, Story

__all__ = [
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
    clusterer = OnlineClusterer(params or _params(settings))
    story_of: dict[str, str] = {}
    topic_of: dict[str, str] = {}
    by_id = {a.id: a for a in articles}
    copies = []
    for i in arrival_order(articles):
        a = articles[i]
        if a.duplicate_of and a.duplicate_of in by_id:
            copies.append(a)
            continue
        sid, tid, _ = clusterer.add(Features.of(a, vectors[a.id]))
        story_of[a.id], topic_of[sid] = sid, tid
    for a in copies:
        story_of[a.id] = story_of[a.duplicate_of]
    members: dict[str, list[Article]] = {}
    for i in arrival_order(articles):
        members.setdefault(story_of[articles[i].id], []).append(articles[i])
    return [make_story(sid, topic_of[sid], arts, vectors) for sid, arts in members.items()]


def build_stories(articles: list[Article], lang, settings, embeddings: np.ndarray | None = None) -> list[Story]:
    """Mark near-copies, then group the articles into stories (copies follow their original)."""
    mark_duplicates(articles)
    return cluster_articles(articles, lang, settings, embeddings=embeddings)


def _params(settings) -> Params:
    """The code defaults, with the two knobs Settings exposes (story_threshold, story_window_days)."""
    p = Params()
    if settings is None:
        return p
    return replace(
        p,
        threshold=float(getattr(settings, "story_threshold", p.threshold)),
        window_days=float(getattr(settings, "story_window_days", p.window_days)),
    )
