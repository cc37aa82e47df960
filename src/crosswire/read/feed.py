"""RSS and Atom feeds (feedparser). An entry with its full content becomes an article; an entry
with only a link (or a short teaser) is skipped with the reason, as ``feed.xml#entry-N``, unless
the caller collects such links (``on_link``: ``crosswire follow`` fetches the pages)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from crosswire.model import Article, Rejection
from crosswire.read.base import make_article
from crosswire.read.html import fragment_text
from crosswire.read.meta import UserMeta

MIN_WORDS = 60  # below this, an entry's text is a teaser, not the article
NO_ENTRIES = "feed has no entries"


@dataclass
class FeedLink:
    """An entry without its full text: the page to fetch, and what the feed says about it."""

    url: str
    title: str | None
    published: str | None
    site_name: str | None  # the feed's title


def read_feed(
    data: bytes, path: str, user: UserMeta, *, on_link: Callable[[FeedLink], None] | None = None
) -> Iterator[Article | Rejection]:
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if parsed.get("bozo") and not entries:
        exc = parsed.get("bozo_exception")
        yield Rejection(path, f"broken feed: {exc or 'not a readable RSS/Atom document'}")
        return
    if not entries:
        yield Rejection(path, NO_ENTRIES)
        return
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        yield Rejection(
            path, f"broken feed: {exc or 'not well-formed'}; the {len(entries)} entries before the break are read"
        )
    site = (parsed.get("feed") or {}).get("title")
    for i, e in enumerate(entries, 1):
        where = f"{path}#entry-{i}"
        body = ""
        for c in e.get("content") or []:
            body = fragment_text(c.get("value") or "")
            if body:
                break
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        published = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", stamp) if stamp else None
        if len(body.split()) < MIN_WORDS:
            summary = fragment_text(e.get("summary") or "")
            if len(summary.split()) >= MIN_WORDS:
                body = summary
            elif on_link is not None and e.get("link"):
                on_link(FeedLink(e["link"], (e.get("title") or "").strip() or None, published, site))
                continue
            else:
                link = e.get("link")
                what = f"only a link ({link})" if link else "no content"
                if summary:
                    what += f" and a {len(summary.split())}-word summary"
                yield Rejection(where, f"skipped: entry has {what}, not the full article text")
                continue
        yield make_article(
            body,
            path=where,
            file_path=path,
            fmt="feed",
            user=user,
            title=(e.get("title") or "").strip() or None,
            url=e.get("link"),
            meta_source=site,
            meta_published=published,
            author=e.get("author"),
            site_name=site,
            extra={"feed_id": e.get("id")} if e.get("id") else None,
        )
