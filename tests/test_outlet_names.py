"""Outlet names: the page's or feed's own name, else the URL's domain without "www.", for every reader."""

from __future__ import annotations

import json

from crosswire.read import read_paths
from crosswire.read.base import site_from_url
from crosswire.read.meta import UserMeta
from crosswire.read.web import PageHint, read_page
from crosswire.run.analyze import read_articles


def read(path, **kw):
    items = list(read_paths([str(path)], **kw))
    return [x for x in items if hasattr(x, "text")]


def test_domain_of_a_url():
    assert site_from_url("https://www.bbc.co.uk/news/1") == "bbc.co.uk"
    assert site_from_url("http://News.Example.org:8080/a?b=1") == "news.example.org"
    assert site_from_url("https://wwwexample.com/") == "wwwexample.com"  # only a "www." label goes
    assert site_from_url(None) is None and site_from_url("not a url") is None
    assert site_from_url("http://localhost:8000/x") is None  # a bare host name is no outlet


def test_json_lines_with_a_url_and_no_source_get_the_domain(tmp_path):
    f = tmp_path / "a.jsonl"
    rows = [
        {"text": "The ferry resumed service on Tuesday after a strike.", "url": "https://www.harbour-news.example/a"},
        {"text": "Tickets will cost ten percent more in July.", "url": "https://x.example/b", "source": "X Daily"},
        {"text": "A third line without any URL or source at all."},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    a, b, c = read(f)
    assert (a.source, a.site_name, a.outlet) == ("harbour-news.example",) * 3
    assert b.source == "X Daily" and b.site_name == "x.example"  # the line's own source wins
    assert c.source is None and c.outlet.startswith("unknown (")
    # --source still wins over the domain
    [d, *_] = read(f, source="Harbour News")
    assert d.source == "Harbour News" and d.site_name == "harbour-news.example"


def test_feed_title_else_entry_domain(tmp_path):
    body = " ".join(["The council approved the new harbour budget after a long debate."] * 8)
    entry = f"<item><title>Budget</title><link>https://www.coast.example/budget</link><description>{body}</description></item>"
    titled = tmp_path / "titled.xml"
    titled.write_text(
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Coast Radio</title>{entry}</channel></rss>"
    )
    untitled = tmp_path / "untitled.xml"
    untitled.write_text(f"<?xml version='1.0'?><rss version='2.0'><channel>{entry}</channel></rss>")
    [a] = read(titled)
    [b] = read(untitled)
    assert a.source == "Coast Radio" and a.site_name == "Coast Radio"
    assert b.source == "coast.example" and b.site_name == "coast.example"


def test_saved_page_uses_its_site_name_then_its_canonical_domain(tmp_path):
    text = "<p>" + " ".join(["The bridge reopened to traffic on Friday after two years of repairs."] * 6) + "</p>"
    named = tmp_path / "named.html"
    named.write_text(
        '<html><head><meta property="og:site_name" content="The Bridge Gazette"><title>Bridge</title>'
        f'<link rel="canonical" href="https://www.gazette.example/b"></head><body><article>{text}</article></body></html>'
    )
    unnamed = tmp_path / "unnamed.html"
    unnamed.write_text(
        '<html><head><title>Bridge</title><link rel="canonical" href="https://www.gazette.example/b"></head>'
        f"<body><article>{text.replace('Friday', 'Saturday')}</article></body></html>"
    )
    arts, _ = read_articles([str(named), str(unnamed)])
    by_path = {a.path: a for a in arts}
    assert by_path[str(named)].source == "The Bridge Gazette"
    assert by_path[str(unnamed)].source == "gazette.example"


def test_fetched_page_prefers_its_own_name_then_the_feed_title_then_the_domain():
    text = "<p>" + " ".join(["The museum reopened its east wing on Sunday after a fire last spring."] * 6) + "</p>"
    named = (
        f'<html><head><meta property="og:site_name" content="Museum Times"></head>'
        f"<body><article>{text}</article></body></html>"
    )
    plain = f"<html><head><title>Museum</title></head><body><article>{text}</article></body></html>"
    url = "https://www.museum-news.example/east-wing"
    user = UserMeta()
    hint = PageHint(title="East wing reopens", published="2026-03-01", site_name="Museum News Feed")
    assert read_page(named.encode(), url, user, hint=hint).source == "Museum Times"
    b = read_page(plain.encode(), url, user, hint=hint)
    assert b.source == "Museum News Feed" and b.published == "2026-03-01" and b.url == url
    assert read_page(plain.encode(), url, user).source == "museum-news.example"
    assert read_page(plain.encode(), url, UserMeta(source="Mine"), hint=hint).source == "Mine"
