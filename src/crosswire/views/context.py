"""Helpers that turn dossier objects into what templates show (shared by report and web app)."""

from __future__ import annotations

from crosswire.model import Article, Dossier, Span, Story
from crosswire.views.story import helpers


def unknown(value: str | None) -> str:
    return value if value else "unknown"


def cite_text(articles: dict[str, Article], span: Span) -> str:
    a = articles.get(span.article)
    return a.text[span.start : span.end] if a else ""


def outlet(articles: dict[str, Article], article_id: str) -> str:
    a = articles.get(article_id)
    if not a:
        return "unknown"
    return a.outlet


def story_outlets(story: Story, articles: dict[str, Article]) -> list[str]:
    return sorted({outlet(articles, a) for a in story.articles})


def story_dates(story: Story, articles: dict[str, Article]) -> tuple[str | None, str | None]:
    dates = sorted(a.published[:10] for aid in story.articles if (a := articles.get(aid)) and a.published)
    return (dates[0], dates[-1]) if dates else (None, None)


def context(dossier: Dossier) -> dict:
    arts = {a.id: a for a in dossier.articles}
    return {
        "dossier": dossier,
        "articles": arts,
        "unknown": unknown,
        "cite_text": lambda span: cite_text(arts, span),
        "outlet": lambda aid: outlet(arts, aid),
        "story_outlets": lambda s: story_outlets(s, arts),
        "story_dates": lambda s: story_dates(s, arts),
        "removed_chars": sum(len(r.text) for a in dossier.articles for r in a.removed),
        **helpers(arts),  # links, lookups and the time axis (report/storyview.py)
    }
