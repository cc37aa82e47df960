"""Saved web pages: trafilatura extracts the article text and its metadata.

Also used for WARC ``response`` records. ``fragment_text`` turns a small HTML fragment
(a feed entry's content) into plain text with one line per block element; article
text is never rendered or executed, only read as text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from crosswire.errors import InputError

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


def extract_page(data: bytes | str, path: str, *, url: str | None = None) -> Extracted:
    """Extract the main text and metadata of one HTML page, or raise InputError with the reason."""
    import trafilatura

    # trafilatura logs every page it cannot parse; the reason goes into our rejection instead.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        doc = trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura/lxml raise assorted errors on broken markup
        raise InputError(path, f"HTML could not be parsed ({type(exc).__name__}: {exc})") from None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        text = fragment_text(data)
        if len(text.split()) < 5:
            raise InputError(path, "HTML page has no article text that could be extracted")
        doc = None
    return Extracted(
        text=text.replace("\r\n", "\n"),
        title=_clean(getattr(doc, "title", None)),
        date=_clean(getattr(doc, "date", None)),
        site_name=_clean(getattr(doc, "sitename", None)),
        author=_clean(getattr(doc, "author", None)),
        url=_clean(getattr(doc, "url", None)) or url,
    )


def fragment_text(data: bytes | str) -> str:
    """Plain text of an HTML fragment: one line per block element, scripts and styles dropped."""
    import lxml.etree
    import lxml.html

    if isinstance(data, bytes):
        data = data.decode("utf-8", errors="replace")
    if not data.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(data, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP:
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in _BLOCKS
        if block:
            parts.append("\n")
        if el.text and isinstance(el.tag, str):
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _clean(value: object) -> str | None:
    if value is None:
        return None
    s = " ".join(str(value).split())
    return s or None
