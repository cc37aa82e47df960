"""Story clustering. Placeholder: all articles of one run form one story."""

from __future__ import annotations

from .model import Article, Story, stable_id


def cluster_articles(articles: list[Article], lang, settings) -> list[Story]:
    if not articles:
        return []
    ids = sorted(a.id for a in articles)
    title = next((a.title for a in articles if a.title), "Untitled story")
    return [Story(id=stable_id("s_", *ids), title=title, articles=[a.id for a in articles])]
