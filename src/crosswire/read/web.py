"""One fetched web page (bytes and the URL they came from) read as an article, or rejected.

Used by ``crosswire follow`` for article pages; the page is read as a saved page is (trafilatura via
html.py, or plain text), with what the feed or sitemap that linked it said as fallbacks. The outlet
name: the page's own site name, else the linking feed's title (or the news sitemap's publication
name), else the URL's domain without "www." (read/base.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from crosswire.errors import InputError
from crosswire.model import Article, Rejection
from crosswire.read.base import make_article, site_from_url
from crosswire.read.meta import UserMeta
from crosswire.read.sniff import decode, sniff


@dataclass
class PageHint:
    """What the link to a page said about it (a feed entry, a news sitemap entry)."""

    title: str | None = None
    published: str | None = None
    site_name: str | None = None


def read_page(
    data: bytes, url: str, user: UserMeta, *, hint: PageHint | None = None, max_mb: float = 5.0
) -> Article | Rejection:
    hint = hint or PageHint()
    if len(data) > max_mb * 1_000_000:
        return Rejection(url, f"too large: {len(data) / 1e6:.1f} MB is over the {max_mb:g} MB limit for one article")
    fmt = sniff(data[:65536], url.rsplit("/", 1)[-1])
    if fmt == "html":
        from crosswire.read.html import extract_page

        try:
            page = extract_page(data, url, url=url)
        except InputError as exc:
            return Rejection(exc.path, exc.reason)
        site = page.site_name
        if site and site.lower() in _host_forms(page.url, url):
            site = None  # the extractor's guess from the address, not a name the page gives
        return make_article(
            page.text,
            path=url,
            file_path=url,
            fmt="html",
            user=user,
            title=page.title or hint.title,
            url=url,
            meta_published=page.date or hint.published,
            author=page.author,
            site_name=site or hint.site_name,
            extra={"canonical_url": page.url} if page.url and page.url != url else None,
        )
    if fmt == "text":
        text, _ = decode(data)
        if not text.strip():
            return Rejection(url, "empty page")
        return make_article(
            text,
            path=url,
            file_path=url,
            fmt="text",
            user=user,
            title=hint.title,
            url=url,
            meta_published=hint.published,
            site_name=hint.site_name,
        )
    return Rejection(url, f"not an article page: the server sent {fmt} content")


def _host_forms(*urls: str | None) -> set[str]:
    """The ways an extractor writes a site name it made up from an address: host, host:port, without www."""
    out: set[str] = set()
    for u in urls:
        if not u:
            continue
        netloc = urlsplit(u).netloc.lower()
        out |= {netloc, netloc.removeprefix("www."), site_from_url(u) or ""}
    return out - {""}
