"""Sitemaps (sitemaps.org), news sitemaps (Google's ``news:`` extension) and sitemap indexes.

A sitemap lists page URLs; a news sitemap adds each article's title, publication date and the
publication's name. ``read_sitemap`` returns the pages and, for an index, the child sitemaps.
XML is parsed without entities, DTDs or network access.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from crosswire.errors import InputError

_SITEMAP_RE = re.compile(rb"<(?:\w+:)?(urlset|sitemapindex)[\s>]")


@dataclass
class SitemapPage:
    url: str
    title: str | None = None
    published: str | None = None  # the news publication date, else lastmod
    site_name: str | None = None  # news:publication/news:name


@dataclass
class Sitemap:
    pages: list[SitemapPage] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # an index's sitemaps


def is_sitemap(head: bytes) -> bool:
    """The bytes open a sitemap or a sitemap index."""
    return bool(_SITEMAP_RE.search(head[:4096]))


def read_sitemap(data: bytes, path: str) -> Sitemap:
    """The pages (and child sitemaps) a sitemap lists; InputError with the reason when it is not one."""
    import lxml.etree as etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"broken sitemap: {exc}") from None
    if root is None or not isinstance(root.tag, str):
        raise InputError(path, "broken sitemap: no root element")
    kind = etree.QName(root).localname
    out = Sitemap()
    if kind == "sitemapindex":
        out.children = [u for el in root if (u := _child_text(el, "loc"))]
        return out
    if kind != "urlset":
        raise InputError(path, f"not a sitemap: the root element is <{kind}>")
    for el in root:
        url = _child_text(el, "loc")
        if not url:
            continue
        page = SitemapPage(url=url, published=_child_text(el, "lastmod"))
        news = _child(el, "news")
        if news is not None:
            page.title = _child_text(news, "title")
            page.published = _child_text(news, "publication_date") or page.published
            pub = _child(news, "publication")
            if pub is not None:
                page.site_name = _child_text(pub, "name")
        out.pages.append(page)
    return out


def _child(el: Any, name: str) -> Any:
    for c in el:
        if isinstance(c.tag, str) and c.tag.rsplit("}", 1)[-1] == name:
            return c
    return None


def _child_text(el: Any, name: str) -> str | None:
    c = _child(el, name)
    text = " ".join((c.text or "").split()) if c is not None else ""
    return text or None
