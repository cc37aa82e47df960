"""Saved web pages: trafilatura extracts the article text and its metadata.

Also used for WARC ``response`` records. ``fragment_text`` turns a small HTML fragment
(a feed entry's content) into plain text with one line per block element; article
text is never rendered or executed, only read as text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from crosswire.errors import InputError
from crosswire.model import Article
from crosswire.read.base import make_article
from crosswire.read.meta import UserMeta

# htmldate: read dates from the page's metadata and URL only, never guess from body text.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "pre",
    "ul",
    "ol",
    "table",
    "figure",
    "figcaption",
    "dd",
    "dt",
}
_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "svg"}


@dataclass
class Extracted:
    text: str
    title: str | None = None
    date: str | None = None
    site_name: str | None = None
    author: str | None = None
    url: str | None = None


def page_article(
    page: Extracted, *, path: str, file_path: str, fmt: str, user: UserMeta, extra: dict[str, Any] | None = None
) -> Article:
    """The Article of an extracted page (a saved page, a WARC record)."""
    return make_article(
        page.text,
        path=path,
        file_path=file_path,
        fmt=fmt,
        user=user,
        title=page.title,
        url=page.url,
        meta_published=page.date,
        author=page.author,
        site_name=page.site_name,
        extra=extra,
    )


def extract_page(data: bytes | str, path: str, *, url: str | None = None) -> Extracted:
    """Extract the main text and metadata of one HTML page, or raise InputError with the reason."""
    doc = _trafilatura(data, path, url)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        # libxml2 stops at 256 levels of nesting by default: read a deeply nested page again with
        # its larger limit (the page is at most the article limit, so this is bounded)
        tree = _parse(data)
        depth = _depth(tree) if tree is not None else 0
        if depth >= DEFAULT_DEPTH:
            doc = _trafilatura(tree, path, url)
            text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
        if not text:
            text = _tree_text(tree) if tree is not None else ""
            doc = None
            if len(text.split()) < 5:
                if depth >= HUGE_DEPTH - 1:
                    raise InputError(
                        path,
                        f"HTML is nested more than {HUGE_DEPTH - 1:,} elements deep, past what the parser reads, "
                        "and has no article text above that depth",
                    )
                raise InputError(path, "HTML page has no article text that could be extracted")
    return Extracted(
        text=text.replace("\r\n", "\n"),
        title=_clean(getattr(doc, "title", None)),
        date=_clean(getattr(doc, "date", None)),
        site_name=_clean(getattr(doc, "sitename", None)),
        author=_clean(getattr(doc, "author", None)),
        url=_clean(getattr(doc, "url", None)) or url,
    )


DEFAULT_DEPTH = 255  # libxml2's nesting limit without XML_PARSE_HUGE (lxml's huge_tree)
HUGE_DEPTH = 2048  # and with it


def _trafilatura(data, path: str, url: str | None):
    import trafilatura

    # trafilatura logs every page it cannot parse; the reason goes into our rejection instead.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        return trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura/lxml raise assorted errors on broken markup
        raise InputError(path, f"HTML could not be parsed ({type(exc).__name__}: {exc})") from None


def _parse(data: bytes | str, fragment: bool = False):
    """An lxml tree of the markup, parsed with the larger nesting limit; None when nothing parses."""
    import lxml.etree
    import lxml.html

    if isinstance(data, bytes):
        data = data.decode("utf-8", errors="replace")
    if not data.strip():
        return None
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True)
    try:
        if fragment:
            return lxml.html.fragment_fromstring(data, create_parent="div", parser=parser)
        return lxml.html.fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None


def _depth(root) -> int:
    deepest = 0
    stack = [(root, 0)]
    while stack:
        el, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in el)
    return deepest


def fragment_text(data: bytes | str) -> str:
    """Plain text of an HTML fragment: one line per block element, scripts and styles dropped."""
    root = _parse(data, fragment=True)
    return _tree_text(root) if root is not None else ""


def _tree_text(root) -> str:
    """The text of a tree, one line per block element (walked without recursion: any depth)."""
    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(root, False)]  # (element, closing)
    while stack:
        el, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""  # type: ignore[attr-defined]
        if closing:
            if tag in _BLOCKS:
                parts.append("\n")
            if el.tail:  # type: ignore[attr-defined]
                parts.append(el.tail)  # type: ignore[attr-defined]
            continue
        if tag in _SKIP:
            if el.tail:  # type: ignore[attr-defined]
                parts.append(el.tail)  # type: ignore[attr-defined]
            continue
        if tag in _BLOCKS:
            parts.append("\n")
        if el.text and isinstance(el.tag, str):  # type: ignore[attr-defined]
            parts.append(el.text)  # type: ignore[attr-defined]
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(list(el)))  # type: ignore[call-overload]
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _clean(value: object) -> str | None:
    if value is None:
        return None
    s = " ".join(str(value).split())
    return s or None
