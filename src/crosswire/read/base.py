"""What every reader shares: building an Article from raw text and metadata."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from crosswire.model import Article
from crosswire.read.meta import UserMeta


def make_article(
    raw: str,
    *,
    path: str,
    file_path: str,
    fmt: str,
    user: UserMeta,
    title: str | None = None,
    url: str | None = None,
    meta_source: str | None = None,
    meta_published: object = None,
    author: str | None = None,
    site_name: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Article:
    """An Article whose id is the content hash of ``raw``; source/date resolved as in meta.py.

    ``text`` starts equal to ``raw``; the cleaner then derives ``text`` from ``raw``. The outlet name
    comes from the input (a page's site name, a feed's title, a JSON line's ``source``), else from the
    URL's domain without "www." (``site_name`` is filled with it), else it stays unknown.
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    site_name = site_name or site_from_url(url)
    who = user.resolve(file_path, meta_source=meta_source or site_name, meta_published=meta_published)
    return Article(
        id=Article.make_id(raw),
        text=raw,
        raw=raw,
        path=path,
        url=url,
        source=who["source"],
        title=title,
        published=who["published"],
        published_from=who["published_from"],
        author=author,
        site_name=site_name,
        format=fmt,
        extra=dict(extra or {}),
    )


def site_from_url(url: str | None) -> str | None:
    """The outlet name a URL gives when nothing else does: its host without "www." (lower case, no port)."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host or "." not in host.strip("."):
        return None  # "localhost", a bare word: not an outlet's domain
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") else host
