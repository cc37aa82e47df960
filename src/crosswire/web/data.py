"""What each page shows, read from the store once and used by both the HTML pages and the JSON API."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from crosswire.model import Article, Story
from crosswire.store.db import Store
from crosswire.views import context as views
from crosswire.views.story import story_helpers
from crosswire.web.markup import Mark, marks_for, parse_hl, pieces

PER_PAGE = 25
SORTS = ("recent", "size", "oldest")


@dataclass
class StoryFilter:
    q: str | None = None
    outlet: str | None = None
    entity: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "recent"
    page: int = 1
    per_page: int = PER_PAGE

    def clean(self) -> StoryFilter:
        self.q = (self.q or "").strip()[:200] or None
        self.outlet = (self.outlet or "").strip() or None
        self.entity = (self.entity or "").strip()[:200] or None
        self.date_from = _date_or_none(self.date_from)
        self.date_to = _date_or_none(self.date_to)
        self.sort = self.sort if self.sort in SORTS else "recent"
        self.page = max(1, min(int(self.page or 1), 100000))
        self.per_page = max(1, min(int(self.per_page or PER_PAGE), 200))
        return self

    def params(self, **change: Any) -> str:
        d = {
            "q": self.q,
            "outlet": self.outlet,
            "entity": self.entity,
            "from": self.date_from,
            "to": self.date_to,
            "sort": self.sort if self.sort != "recent" else None,
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


def _date_or_none(value: str | None) -> str | None:
    v = (value or "").strip()
    if len(v) >= 4 and v[:4].isdigit() and all(ch.isdigit() or ch == "-" for ch in v[:10]):
        return v[:10]
    return None


def list_stories(store: Store, f: StoryFilter) -> dict[str, Any]:
    rows, total = store.find_stories(
        query=f.q,
        outlet=f.outlet,
        entity=f.entity,
        date_from=f.date_from,
        date_to=f.date_to,
        order=f.sort,
        limit=f.per_page,
        offset=(f.page - 1) * f.per_page,
    )
    pages = max(1, (total + f.per_page - 1) // f.per_page)
    return {"total": total, "page": f.page, "pages": pages, "per_page": f.per_page, "stories": rows}


def web_links() -> dict[str, Any]:
    return {
        "cite_href": lambda span: f"/articles/{span.article}?hl={span.start}-{span.end}#hl",
        "article_href": lambda aid: f"/articles/{aid}",
        "outlet_href": lambda name: (
            f"/outlets/{quote(name, safe='')}" if name and not name.startswith("unknown") else None
        ),
        "entity_href": lambda name: "/?" + urlencode({"entity": name}),
    }


def template_helpers(arts: dict[str, Article]) -> dict[str, Any]:
    """The helpers the shared templates need (as report/views.py gives them), with web links."""
    return {
        "articles": arts,
        "unknown": views.unknown,
        "cite_text": lambda span: views.cite_text(arts, span),
        "outlet": lambda aid: views.outlet(arts, aid),
        "story_outlets": lambda s: views.story_outlets(s, arts),
        "story_dates": lambda s: views.story_dates(s, arts),
        **story_helpers(arts),
        **web_links(),
    }


def load_story(store: Store, story_id: str) -> tuple[Story, dict[str, Article]] | None:
    story = store.get_story(story_id)
    if story is None:
        return None
    arts = articles_by_id(store, story.articles)
    return story, arts


def articles_by_id(store: Store, ids: list[str]) -> dict[str, Article]:
    """The stored articles with these ids, in one query, without their raw text (pages never show it)."""
    found: dict[str, Article] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.conn.execute(f"SELECT id, data FROM articles WHERE id IN ({marks})", chunk):
            found[row[0]] = Article.from_dict(json.loads(row[1]))
    return {aid: found[aid] for aid in ids if aid in found}


def article_brief(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "source": a.source,
        "published": a.published,
        "path": a.path,
        "url": a.url,
        "duplicate_of": a.duplicate_of,
    }


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
        "stories": stories,
        "marks": marks,
        "hl": span,
        "pieces": pieces(a.text, all_marks),
        "copies": store.copies_of(a.id),
        "original": article_brief(original) if original else None,
        "counts": {k: sum(1 for m in marks if m.kind == k) for k in ("entity", "quote", "speaker", "claim")},
    }


def load_outlet(store: Store, name: str, max_stories: int = 50) -> dict[str, Any]:
    rows, total = store.find_stories(outlet=name, limit=max_stories, order="recent")
    alone, missing, wording = [], [], []
    for r in rows:
        s = store.get_story(r["id"])
        if s is None:
            continue
        groups = {g.id: g for g in s.claim_groups}
        cov = s.coverage
        for gid in cov.exclusive.get(name, []):
            if gid in groups:
                alone.append(
                    {
                        "story": s.id,
                        "story_title": s.title,
                        "label": groups[gid].label,
                        "citations": [c.to_dict() for c in groups[gid].citations],
                    }
                )
        for gid in cov.omissions.get(name, []):
            if gid in groups:
                missing.append(
                    {"story": s.id, "story_title": s.title, "label": groups[gid].label, "outlets": groups[gid].outlets}
                )
        for w in cov.wording.get(name, []):
            wording.append(
                {
                    "story": s.id,
                    "story_title": s.title,
                    "term": w.get("term"),
                    "others": w.get("others", []),
                    "group": w.get("group"),
                }
            )
    n_articles = store.conn.execute("SELECT count(*) FROM articles WHERE source=?", (name,)).fetchone()[0]
    return {
        "name": name,
        "stories_total": total,
        "stories": rows,
        "articles": store.articles_of_outlet(name),
        "articles_total": n_articles,
        "alone": alone,
        "omits": missing,
        "wording": wording,
    }
