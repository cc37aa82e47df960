"""What the reports show: one StoryPage per story (links inside the file), and the lookups the
Markdown report uses."""

from __future__ import annotations

from typing import Any

from crosswire.model import Article, Dossier, Story
from crosswire.views.cards import static_links
from crosswire.views.page import story_page


def story_outlets(story: Story, articles: dict[str, Article]) -> list[str]:
    return sorted({a.outlet if (a := articles.get(aid)) else "unknown" for aid in story.articles})


def story_dates(story: Story, articles: dict[str, Article]) -> tuple[str | None, str | None]:
    dates = sorted(a.published[:10] for aid in story.articles if (a := articles.get(aid)) and a.published)
    return (dates[0], dates[-1]) if dates else (None, None)


def context(dossier: Dossier) -> dict[str, Any]:
    arts = {a.id: a for a in dossier.articles}
    links = static_links()
    return {
        "dossier": dossier,
        "articles": arts,
        "pages": [story_page(s, arts, links) for s in dossier.stories],
        "outlet": lambda aid: arts[aid].outlet if aid in arts else "unknown",
        "story_outlets": lambda s: story_outlets(s, arts),
        "story_dates": lambda s: story_dates(s, arts),
        "removed_chars": sum(len(r.text) for a in dossier.articles for r in a.removed),
    }
