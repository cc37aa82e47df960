"""The article page: cleaned text with marks, the highlighted citation, the original, copies, junk."""

from __future__ import annotations

from typing import Any

from crosswire.model import Article, Story
from crosswire.store.db import Store
from crosswire.views.labels import display_name, file_name, original_href
from crosswire.views.markup import Mark, marks_for, parse_hl, pieces


def articles_by_id(store: Store, ids: list[str]) -> dict[str, Article]:
    """The stored articles with these ids, without their raw text (pages never show it)."""
    return store.get_articles(ids, raw=False)


def article_brief(a: Article) -> dict[str, Any]:
    """An article in a list (the API's ArticleBrief): who published it, when, and where the original is."""
    return {
        "id": a.id,
        "title": a.title,
        "source": a.source,
        "outlet": a.outlet,
        "outlet_display": display_name(a.outlet),
        "published": a.published,
        "url": a.url,
        "original": original_href(a),
        "file": file_name(a),
        "duplicate_of": a.duplicate_of,
    }


def load_story(store: Store, story_id: str) -> tuple[Story, dict[str, Article]] | None:
    story = store.get_story(story_id)
    if story is None:
        return None
    return story, articles_by_id(store, story.articles)


def load_article(store: Store, article_id: str, hl: str | None = None) -> dict[str, Any] | None:
    a = store.get_article(article_id)
    if a is None:
        return None
    stories = [s for sid in store.stories_of_article(a.id) if (s := store.get_story(sid))]
    marks = marks_for(a, stories)
    span = parse_hl(hl, len(a.text))
    all_marks = marks + ([Mark(span[0], span[1], "hl", "cited")] if span else [])
    original = store.get_article(a.duplicate_of) if a.duplicate_of else None
    return {
        "article": a,
        "brief": article_brief(a),
        "stories": stories,
        "marks": marks,
        "hl": span,
        "hl_words": len(a.text[span[0] : span[1]].split()) if span else 0,
        "pieces": pieces(a.text, all_marks),
        "copies": store.copies_of(a.id),
        "original": article_brief(original) if original else None,
        "counts": {k: sum(1 for m in marks if m.kind == k) for k in ("entity", "quote", "speaker", "claim")},
    }
