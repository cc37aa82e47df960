"""Ingest: every format, sniffed from content, with metadata kept and never invented."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from pathlib import Path

import pytest

from crosswire.clean import clean_article
from crosswire.model import Article, Rejection
from crosswire.read import read_paths
from crosswire.settings import Settings

FIX = Path(__file__).parent / "fixtures" / "ingest"
PAGE = (FIX / "page.html").read_bytes()


def read(*paths, **kw):
    items = list(read_paths([str(p) for p in paths], settings=Settings(), **kw))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Rejection)]


def write_warc(path: Path, pages: list[tuple[str, bytes]], *, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    info = w.create_warcinfo_record(path.name, {"software": "crosswire tests"})
    w.write_record(info)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=headers))
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


def test_plain_text_title_and_raw(tmp_path):
    f = tmp_path / "story.txt"
    f.write_text(
        "Dam opens its gates after heavy rain\nThe dam on the Vltava opened two gates on Monday, officials said.\n"
    )
    [a], rej = read(f)
    assert not rej
    assert a.format == "text" and a.raw == a.text and a.id == Article.make_id(a.raw)
    assert a.title is None  # a plain-text headline is found by the cleaner, which also drops its repeats
    clean_article(a)
    assert a.title == "Dam opens its gates after heavy rain"
    assert a.source is None and a.published is None and a.published_from is None


def test_plain_text_without_headline_has_no_title(tmp_path):
    f = tmp_path / "s.txt"
    f.write_text(
        "The dam on the Vltava opened two gates on Monday after a week of heavy rain in the region, officials said.\n"
        "More rain is expected.\n"
    )
    [a], _ = read(f)
    assert clean_article(a).title is None


def test_seed_titles(seeds_dir):
    arts, rej = read(seeds_dir)
    assert not rej and len(arts) == 5
    titles = {Path(a.path).name[:3]: clean_article(a).title for a in arts}  # found while cleaning
    assert titles["000"] == "Russia hasn't received request for Scholz-Putin call, Kremlin claims."
    assert titles["002"].startswith("Scholz and Putin Hold First Phone Conversation")
    assert titles["003"].startswith("North Korean troops in Ukraine")  # chrome lines above it skipped
    assert titles["001"] is None and titles["004"] is None  # they open with prose


def test_html_page_metadata():
    [a], rej = read(FIX / "page.html")
    assert not rej
    assert a.format == "html"
    assert a.title == "Harbour bridge reopens after two years of repairs"
    assert a.published == "2024-03-08" and a.published_from == "metadata"
    assert a.site_name == "The Coastal Herald" and a.source == "The Coastal Herald"
    assert a.author == "Maria Lopez"
    assert a.url == "https://coastal-herald.example/news/harbour-bridge-reopens"
    assert "48 million dollars" in a.raw and "never run" not in a.raw and "All rights reserved" not in a.raw


def test_html_sniffed_from_content_not_extension(tmp_path):
    f = tmp_path / "saved_page.txt"
    f.write_bytes(PAGE)
    [a], _ = read(f)
    assert a.format == "html" and "<p>" not in a.text


def test_user_source_wins_over_site_name_and_metadata_date_over_global(tmp_path):
    [a], _ = read(FIX / "page.html", source="herald", published="2024-01-01")
    assert a.source == "herald" and a.site_name == "The Coastal Herald"
    assert a.published == "2024-03-08" and a.published_from == "metadata"
    f = tmp_path / "t.txt"
    f.write_text("Some plain text article about a bridge reopening after repairs in the city.\n")
    [b], _ = read(f, published="2024-01-01")
    assert b.published == "2024-01-01" and b.published_from == "user"


def test_sidecar_maps_paths(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("The ferry service resumed on Tuesday after a strike that lasted nine days.\n")
    (d / "b.txt").write_text("Ticket prices for the ferry will rise by ten percent in July, the operator said.\n")
    side = tmp_path / "side.jsonl"
    side.write_text(json.dumps({"path": "in/a.txt", "source": "Harbour Radio", "published": "2024-06-04"}) + "\n")
    arts, rej = read(d, sidecar=str(side))
    by = {Path(a.path).name: a for a in arts}
    assert not rej
    assert by["a.txt"].source == "Harbour Radio" and by["a.txt"].published == "2024-06-04"
    assert by["a.txt"].published_from == "user"
    assert by["b.txt"].source is None and by["b.txt"].published is None


def test_feed_full_entries_and_link_only_skips():
    arts, rej = read(FIX / "feed.xml")
    [a] = arts
    assert a.format == "feed" and a.title == "Council approves new library for the east side"
    assert a.url == "https://valley-gazette.example/library" and a.source == "Valley Gazette"
    assert a.published.startswith("2024-03-12") and a.published_from == "metadata"
    assert a.path.endswith("feed.xml#entry-1") and "potholes" in a.text and "<p>" not in a.text
    [r] = rej
    assert r.path.endswith("feed.xml#entry-2") and "only a link" in r.reason


def test_jsonl_fields_and_extra():
    arts, rej = read(FIX / "articles.jsonl")
    assert not rej and len(arts) == 2
    a, b = arts
    assert a.path.endswith("articles.jsonl:1") and a.title == "Grass fire contained near Oakridge"
    assert a.source == "Oakridge Daily" and a.url == "https://oakridge.example/fire"
    assert a.published == "2024-05-05" and a.published_from == "metadata"
    assert a.extra == {"id": "n1", "lang": "en", "tags": ["fire"]}
    assert b.source == "Air News" and b.published is None and b.title is None


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_responses(tmp_path, gz):
    no_date = PAGE.replace(b'<meta property="article:published_time" content="2024-03-08T09:30:00+00:00">', b"")
    f = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(
        f,
        [("https://a.example/1", PAGE), ("https://b.example/2", no_date.replace(b"Port Elliot", b"Port Wren"))],
        gz=gz,
    )
    arts, rej = read(f)
    assert not rej and len(arts) == 2
    a, b = arts
    assert a.format == "warc" and a.url == "https://a.example/1" and a.published == "2024-03-08"
    # the WARC date is when the page was crawled, not when it was published
    assert b.url == "https://b.example/2" and b.published is None and b.published_from is None
    assert "Port Wren" in b.text and b.extra.get("warc_date")


def test_directories_recurse_and_skip_hidden(tmp_path):
    (tmp_path / "sub" / ".git").mkdir(parents=True)
    (tmp_path / "sub" / ".git" / "x.txt").write_text("hidden text that must not be read as an article at all\n")
    (tmp_path / ".hidden.txt").write_text("hidden text that must not be read as an article at all\n")
    (tmp_path / "sub" / "deep.txt").write_text("Visible article text about the river festival on Saturday.\n")
    shutil.copy(FIX / "articles.jsonl", tmp_path / "sub" / "more.jsonl")
    arts, rej = read(tmp_path)
    assert not rej
    assert sorted(Path(a.path.split(":")[0]).name for a in arts) == ["deep.txt", "more.jsonl", "more.jsonl"]


def test_progress_reports_files(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Article number {i} about the council meeting on Monday evening.\n")
    calls = []
    list(read_paths([str(tmp_path)], settings=Settings(), progress=lambda *a: calls.append(a)))
    assert calls == [("read", 1, 3), ("read", 2, 3), ("read", 3, 3)]


def test_gzipped_jsonl_and_text(tmp_path):
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress((FIX / "articles.jsonl").read_bytes()))
    (tmp_path / "b.txt.gz").write_bytes(
        gzip.compress(b"Ferry fares rise\nFerry fares will rise by ten percent in July.\n")
    )
    (tmp_path / "c.gz").write_bytes(gzip.compress(bytes(range(256)) * 10))
    arts, [r] = read(tmp_path)
    assert sorted(a.path.rsplit("/", 1)[1] for a in arts) == ["a.jsonl.gz:1", "a.jsonl.gz:2", "b.txt.gz"]
    assert r.path.endswith("c.gz") and "gzip-compressed binary" in r.reason


def test_atom_feed_with_html_content(tmp_path):
    para = " ".join(["The river rose two metres overnight and the town closed its lower bridge, officials said."] * 8)
    f = tmp_path / "updates"  # no extension: sniffed from content
    f.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>River Post</title>
<entry><title>Flood closes lower bridge</title><link href="https://river.example/flood"/>
<id>tag:river.example,2024:1</id><updated>2024-04-02T06:00:00Z</updated>
<content type="html">&lt;p&gt;{para}&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</content></entry>
</feed>""")
    [a], rej = read(f)
    assert not rej and a.format == "feed" and a.url == "https://river.example/flood"
    assert a.published.startswith("2024-04-02") and a.source == "River Post"
    assert "alert(1)" not in a.text and "<p>" not in a.text and a.text.startswith("The river rose")
