"""Feeds and sitemaps written for the follow tests (they point at the local server's pages)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

FIX = Path(__file__).parent / "fixtures" / "follow"


def fixture(name: str) -> bytes:
    return (FIX / name).read_bytes()


def rss(title: str, items: list[dict]) -> bytes:
    """An RSS 2.0 feed; an item with "text" carries the full article (content:encoded), else only a link."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
        f"<title>{escape(title)}</title><link>https://example.invalid/</link><description>news</description>",
    ]
    for it in items:
        out.append("<item>")
        out.append(f"<title>{escape(it['title'])}</title><link>{escape(it['link'])}</link>")
        out.append(f"<guid>{escape(it.get('guid', it['link']))}</guid>")
        out.append(f"<pubDate>{it.get('date', 'Mon, 02 Mar 2026 10:00:00 GMT')}</pubDate>")
        out.append(f"<description>{escape(it.get('summary', 'Read the full story.'))}</description>")
        if it.get("text"):
            html = "".join(f"<p>{escape(p)}</p>" for p in it["text"].split("\n") if p.strip())
            out.append(f"<content:encoded>{escape(html)}</content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode()


def news_sitemap(publication: str, pages: list[dict]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]
    for p in pages:
        out.append(
            f"<url><loc>{escape(p['loc'])}</loc><news:news><news:publication><news:name>{escape(publication)}"
            f"</news:name><news:language>en</news:language></news:publication><news:publication_date>"
            f"{p.get('date', '2026-03-02')}</news:publication_date><news:title>{escape(p['title'])}</news:title>"
            "</news:news></url>"
        )
    out.append("</urlset>")
    return "\n".join(out).encode()
