"""The story list: filters, rows with outlet names and, for a search, why each story matched."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from crosswire.model import Article, Story
from crosswire.store.db import Store
from crosswire.views.labels import display_name

_SPACE = re.compile(r"\s+")
PER_PAGE = 25
SORTS = ("relevance", "recent", "size", "oldest")
SORT_NAMES = {"relevance": "best match", "recent": "most recent", "size": "most articles", "oldest": "oldest"}


@dataclass
class StoryFilter:
    """The story list's filters, already checked (the web layer answers bad values with 422)."""

    q: str | None = None
    outlet: str | None = None
    entity: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str | None = None  # None: relevance with a query, else recent
    page: int = 1
    per_page: int = PER_PAGE

    def __post_init__(self) -> None:
        self.q = (self.q or "").strip()[:200] or None
        self.outlet = (self.outlet or "").strip() or None
        self.entity = (self.entity or "").strip()[:200] or None
        if self.sort is None or (self.sort == "relevance" and not self.q):
            self.sort = "relevance" if self.q else "recent"

    @property
    def active(self) -> bool:
        return bool(self.q or self.outlet or self.entity or self.date_from or self.date_to)

    @property
    def sorts(self) -> list[str]:
        return [s for s in SORTS if s != "relevance" or self.q]

    def params(self, **change: Any) -> str:
        d = {
            "q": self.q,
            "outlet": self.outlet,
            "entity": self.entity,
            "from": self.date_from,
            "to": self.date_to,
            "sort": self.sort if self.sort != ("relevance" if self.q else "recent") else None,
            "page": self.page if self.page != 1 else None,
        }
        d.update(change)
        return urlencode({k: v for k, v in d.items() if v not in (None, "")})


class OutletList:
    """The outlets for the filter menu, re-read at most every ttl seconds (it scans every article)."""

    def __init__(self, store: Store, ttl: float = 10.0):
        self.store, self.ttl = store, ttl
        self._value: list[tuple[str, int]] = []
        self._at = float("-inf")
        self._lock = threading.Lock()

    def get(self) -> list[tuple[str, int]]:
        with self._lock:
            if time.monotonic() - self._at > self.ttl:
                self._value, self._at = self.store.outlets(), time.monotonic()
            return self._value


def snippet_pieces(snippet: str | None) -> list[tuple[str, bool]]:
    """A search snippet (matched words between \\x02 and \\x03) as (text, matched) pieces for the template."""
    if not snippet:
        return []
    out: list[tuple[str, bool]] = []
    for k, part in enumerate(snippet.split("\x02")):
        hit, _, rest = part.partition("\x03") if k else ("", "", part)
        if hit:
            out.append((_SPACE.sub(" ", hit), True))
        if rest:
            out.append((_SPACE.sub(" ", rest), False))
    return out


def story_row(r: dict[str, Any]) -> dict[str, Any]:
    """One story in a list: the same shape in the list and in the detail (the API's StoryRow)."""
    return {
        "id": r["id"],
        "title": r["title"],
        "topic": r.get("topic"),
        "size": r["size"],
        "first_date": r.get("first_date"),
        "last_date": r.get("last_date"),
        "outlets": [{"name": o, "display": display_name(o)} for o in r.get("outlets", [])],
        "articles": r.get("articles", []),
        "score": r.get("rank"),
        "snippet": "".join(t for t, _ in snippet_pieces(r.get("snippet"))) or None,
        "snippet_pieces": snippet_pieces(r.get("snippet")),
    }


def list_stories(store: Store, f: StoryFilter) -> dict[str, Any]:
    rows, total = store.find_stories(
        query=f.q,
        outlet=f.outlet,
        entity=f.entity,
        date_from=f.date_from,
        date_to=f.date_to,
        order=f.sort or "recent",
        limit=f.per_page,
        offset=(f.page - 1) * f.per_page,
    )
    pages = max(1, (total + f.per_page - 1) // f.per_page)
    return {
        "total": total,
        "page": f.page,
        "pages": pages,
        "per_page": f.per_page,
        "stories": [story_row(r) for r in rows],
    }


def row_of_story(story: Story, articles: dict[str, Article]) -> dict[str, Any]:
    """The list row of one story read whole (as the store's find_stories gives it)."""
    arts = [articles[a] for a in story.articles if a in articles]
    dates = sorted(a.published[:10] for a in arts if a.published)
    return story_row(
        {
            "id": story.id,
            "title": story.title,
            "topic": story.topic,
            "size": len(story.articles),
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
            "outlets": sorted({a.source for a in arts if a.source}),
            "articles": sorted(story.articles),
        }
    )
