"""`crosswire follow` against a real HTTP server on 127.0.0.1 whose feeds and pages change between polls.

Covers: 304 answers, a robots.txt disallow, a slow source, an oversized body, a broken feed, the same
article reached by two feeds (stored once), a failing source that does not stop the others, two polls
where the second adds an article that changes a number (the story's changes, its Atom feed and the
web page show it), a run killed in the middle and resumed, and Ctrl-C.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from crosswire.read.fetch import FetchPolicy
from crosswire.run.follow import Follower
from crosswire.run.ingest import PENDING
from crosswire.run.sources import Source, load_sources
from crosswire.store.db import Store
from crosswire.views.changes import changes_since
from crosswire.web.app import create_app
from follow_feeds import fixture, news_sitemap, rss
from follow_server import LocalServer, Route

POLL1 = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
POLL2 = dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC)
BETWEEN = "2026-03-02T18:00:00Z"
SRC = str(Path(__file__).resolve().parents[1] / "src")


def quake_site(s: LocalServer) -> dict[str, str]:
    """The news site as of the first poll; returns the feed URLs."""
    u = s.url
    s.routes["/robots.txt"] = Route(b"User-agent: crosswire\nDisallow: /herald/private/\n", "text/plain")
    s.routes["/herald/quake.html"] = Route(fixture("herald_quake.html"))
    s.routes["/wire/quake.html"] = Route(fixture("wire_quake.html"))
    s.routes["/herald/private/memo.html"] = Route(b"<html><body><p>not for robots</p></body></html>")
    s.routes["/herald/feed.xml"] = Route(
        rss(
            "Coast Herald",
            [
                {"title": "Earthquake kills 12 in Ardale", "link": u("/herald/quake.html")},
                {"title": "Rescuers race to reach survivors", "link": u("/wire/quake.html")},
                {"title": "Internal memo", "link": u("/herald/private/memo.html")},
            ],
        ),
        "application/rss+xml",
    )
    s.routes["/post/feed.xml"] = Route(rss("Valley Post", post_items(s, update=False)), "application/rss+xml")
    return {"herald": u("/herald/feed.xml"), "post": u("/post/feed.xml")}


def post_items(s: LocalServer, *, update: bool) -> list[dict]:
    items = [
        {
            "title": "Junior chess championship comes to Bremford",
            "link": s.url("/post/chess"),
            "text": fixture("post_chess.txt").decode(),
            "date": "Fri, 27 Feb 2026 10:00:00 GMT",
        },
        {"title": "Rescuers race to reach survivors", "link": s.url("/wire/quake.html")},  # also in the Herald's feed
    ]
    if update:
        items.insert(
            0,
            {
                "title": "Ardale death toll rises to 19",
                "link": s.url("/post/ardale-toll"),
                "text": fixture("post_quake_update.txt").decode(),
                "date": "Tue, 03 Mar 2026 08:00:00 GMT",
            },
        )
    return items


def follower(db: Path, sources: list[str], lang, **kw) -> Follower:
    policy = FetchPolicy(allow_private=True, rate=100.0, timeout=1.0, retries=0, backoff=0.01, max_bytes=200_000)
    return Follower([Source(u) for u in sources], db=str(db), policy=policy, lang=lang, **kw)


@pytest.fixture(scope="module")
def two_polls(tmp_path_factory, lang):
    s = LocalServer()
    feeds = quake_site(s)
    s.routes["/broken.xml"] = Route(b"<?xml version='1.0'?><rss><channel><title>Broken", "application/rss+xml")
    s.routes["/slow.xml"] = Route(b"<rss/>", "application/rss+xml", delay=2.5)
    s.routes["/big.xml"] = Route(b"<rss>" + b" " * 400_000 + b"</rss>", "application/rss+xml", chunked=True)
    s.routes["/quiet.xml"] = Route(rss("Quiet Gazette", []), "application/rss+xml")  # no entries: nothing wrong
    extra = [s.url("/broken.xml"), s.url("/slow.xml"), s.url("/big.xml"), s.url("/quiet.xml")]
    db = tmp_path_factory.mktemp("follow") / "follow.db"
    with follower(db, [feeds["herald"], feeds["post"], *extra], lang) as f:
        first = f.poll(POLL1)
        log1 = len(s.log)
        s.routes["/post/feed.xml"] = Route(rss("Valley Post", post_items(s, update=True)), "application/rss+xml")
        second = f.poll(POLL2)
    yield {"server": s, "db": db, "feeds": feeds, "first": first, "second": second, "log1": log1}
    s.close()


def by_url(result, url):
    return next(r for r in result.sources if r.url == url)


def test_a_failing_source_is_reported_and_the_others_go_on(two_polls):
    s, first = two_polls["server"], two_polls["first"]
    assert by_url(first, s.url("/broken.xml")).outcome == "unreadable"
    assert "broken feed" in by_url(first, s.url("/broken.xml")).reason
    slow = by_url(first, s.url("/slow.xml"))
    assert slow.outcome == "failed" and "timed out" in slow.reason
    big = by_url(first, s.url("/big.xml"))
    assert big.outcome == "failed" and "too large" in big.reason
    assert {r.url for r in first.failed} == {s.url("/broken.xml"), s.url("/slow.xml"), s.url("/big.xml")}
    quiet = by_url(first, s.url("/quiet.xml"))
    assert quiet.outcome == "ok" and quiet.entries == 0
    herald = by_url(first, two_polls["feeds"]["herald"])
    assert herald.outcome == "ok" and herald.kind == "feed" and herald.new == 2
    assert first.ingest.new == 3  # the Herald's page, the wire story, the Post's chess story
    with Store(two_polls["db"]) as st:
        sources = {x["url"]: x for x in st.follow_sources()}
        assert sources[s.url("/broken.xml")]["last_outcome"] == "unreadable"
        assert sources[s.url("/slow.xml")]["last_outcome"] == "timeout"
        assert sources[s.url("/big.xml")]["last_outcome"] == "too-large"
        assert sources[two_polls["feeds"]["herald"]]["name"] == "Coast Herald"


def test_the_same_article_through_two_feeds_is_fetched_and_stored_once(two_polls):
    s = two_polls["server"]
    assert s.hits("/wire/quake.html") == 1
    with Store(two_polls["db"]) as st:
        wire = [a for a in st.articles() if a.url == s.url("/wire/quake.html")]
        assert len(wire) == 1 and wire[0].source == "Continental Wire"  # the page's own site name
        counts = {x["url"]: x["articles"] for x in st.follow_sources()}
    assert counts[two_polls["feeds"]["herald"]] == 2 and counts[two_polls["feeds"]["post"]] == 3


def test_second_poll_gets_304_and_fetches_no_page_again(two_polls):
    s, second = two_polls["server"], two_polls["second"]
    herald = by_url(second, two_polls["feeds"]["herald"])
    assert herald.outcome == "not-modified"
    later = s.log[two_polls["log1"] :]
    sent = [h for p, h in later if p == "/herald/feed.xml"]
    assert sent and "if-none-match" in sent[0]
    assert not [p for p, _ in later if p.endswith(".html")]  # pages read at the first poll are not asked for again
    post = by_url(second, two_polls["feeds"]["post"])
    assert post.outcome == "ok" and post.new == 1 and second.ingest.new == 1 and second.ingest.already == 1


def test_robots_txt_disallow_is_obeyed_and_logged(two_polls):
    s = two_polls["server"]
    assert s.hits("/herald/private/memo.html") == 0
    with Store(two_polls["db"]) as st:
        [memo] = [f for f in st.fetches(limit=500) if f["url"].endswith("/memo.html")]
        assert memo["outcome"] == "disallowed" and "robots.txt" in memo["reason"]
        assert st.known_urls([s.url("/herald/private/memo.html")]) == {s.url("/herald/private/memo.html"): None}


def test_every_request_is_in_the_fetch_log(two_polls):
    s = two_polls["server"]
    with Store(two_polls["db"]) as st:
        logged = st.fetches(limit=1000)
    for path, _headers in s.log:
        assert any(f["url"] == s.url(path) for f in logged), path
    assert all(f["reason"] and f["outcome"] for f in logged)
    assert {f["outcome"] for f in logged} >= {"ok", "not-modified", "disallowed", "timeout", "too-large", "unreadable"}


def story_of_quake(st: Store) -> str:
    [sid] = [r["id"] for r in st.list_stories() if "Coast Herald" in r["outlets"]]
    return sid


def test_the_second_poll_changes_a_number_and_the_story_says_so(two_polls):
    with Store(two_polls["db"]) as st:
        sid = story_of_quake(st)
        ch = changes_since(st, sid, BETWEEN)
        before_poll2 = changes_since(st, sid, "2026-03-01T00:00:00Z")
    assert [a["outlet"] for a in ch.articles] == ["Valley Post"] and ch.outlets == ["Valley Post"]
    [v] = [v for v in ch.values if v["kind"] == "number"]
    assert "12" in v["before"]["values"] and "19" in v["after"]["values"]
    assert (v["before"]["outlet"], v["after"]["outlet"]) == ("Coast Herald", "Valley Post")
    assert any(c["kind"] == "number" for c in ch.conflicts)
    assert before_poll2.opened and len(before_poll2.versions) == 2


def test_atom_feed_and_web_pages_show_the_change(two_polls):
    client = TestClient(create_app(two_polls["db"]), base_url="http://127.0.0.1:8000")
    with Store(two_polls["db"]) as st:
        sid = story_of_quake(st)
    atom = client.get(f"/stories/{sid}/changes.atom")
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(atom.content)
    entries = root.findall("a:entry", ns)
    assert len(entries) == 2 and entries[0].find("a:updated", ns).text == "2026-03-03T12:00:00Z"
    newest = entries[0]
    assert "number changed (12 → 19)" in newest.find("a:title", ns).text
    assert "killed 19 people" in newest.find("a:content", ns).text
    assert newest.find("a:link", ns).get("href").endswith(f"/stories/{sid}?since=2026-03-02T12:00:00Z")

    page = client.get(f"/stories/{sid}", params={"since": BETWEEN})
    assert page.status_code == 200 and "Changed between reports" in page.text and "12 → 19" in page.text
    assert page.text.count('<span class="chip new">new</span> ') >= 3  # the new article, claim, conflict
    plain = client.get(f"/stories/{sid}")
    assert '<span class="chip new">new</span> ' not in plain.text and "changes.atom" in plain.text
    bad = client.get(f"/stories/{sid}", params={"since": "whenever"})
    assert bad.status_code == 200 and "is not a time" in bad.text

    api = client.get(f"/api/stories/{sid[:10]}/changes", params={"since": BETWEEN}).json()
    assert api["outlets"] == ["Valley Post"] and "number changed" in api["headline"]
    sources = client.get("/sources")
    assert sources.status_code == 200 and "too-large" in sources.text and "Coast Herald" in sources.text
    assert len(client.get("/api/sources").json()) == 6


def test_sources_files(tmp_path):
    txt = tmp_path / "sources.txt"
    txt.write_text(
        "# my feeds\nhttps://www.example.org/rss  Example News\n\nftp://nope.example/x\nHTTPS://Example.org/sitemap.xml#top\n"
    )
    toml = tmp_path / "sources.toml"
    toml.write_text(
        '[[source]]\nurl = "https://www.example.org/rss"\n\n[[source]]\nurl = "https://news.example/a.html"\n'
        'name = "News"\nkind = "page"\n\n[[source]]\nurl = "https://x.example/"\nkind = "podcast"\n'
    )
    found, bad = load_sources([str(txt), str(toml), "https://direct.example/feed", "nothing-here"])
    assert [(s.url, s.name, s.kind) for s in found] == [
        ("https://www.example.org/rss", "Example News", None),
        ("https://example.org/sitemap.xml", None, None),
        ("https://news.example/a.html", "News", "page"),
        ("https://direct.example/feed", None, None),
    ]
    assert [r.path for r in bad] == [f"{txt}:4", f"{toml}#source-3", "nothing-here"]


def run_cli(args: list[str], env_extra: dict[str, str] | None = None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), PYTHONWARNINGS="ignore")
    env.update(env_extra or {})
    return subprocess.Popen(
        [sys.executable, "-m", "crosswire.cli", "follow", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as a user's terminal gives it: a test run started in the background (``make test &``) inherits
        # Ctrl-C ignored, and Python then installs no KeyboardInterrupt for it
        preexec_fn=_ctrl_c_default,
    )


def _ctrl_c_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def articles_in(db: Path) -> int:
    try:
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return c.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            c.close()
    except sqlite3.Error:
        return 0


def test_a_killed_run_resumes_with_nothing_lost_or_duplicated(tmp_path, lang):
    s = LocalServer()
    try:
        feeds = quake_site(s)
        db = tmp_path / "killed.db"
        proc = run_cli(
            [feeds["herald"], feeds["post"], "--db", str(db), "--once", "--allow-private", "--rate", "50"],
            {"CROSSWIRE_INGEST_DELAY": "2"},
        )
        try:
            deadline = time.time() + 240
            while time.time() < deadline and proc.poll() is None and articles_in(db) < 1:
                time.sleep(0.2)
            assert proc.poll() is None, "follow ended before it could be killed: " + proc.stderr.read()
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        with Store(db) as st:
            mid = len(st.articles())
            assert 1 <= mid < 3 and st.get_state(PENDING, [])  # killed in the middle
            assert st.known_urls([s.url("/herald/quake.html")]) == {}  # links are noted only after the ingest
        # resume: the same command again (here in this process, to share the loaded models)
        with follower(db, [feeds["herald"], feeds["post"]], lang) as f:
            res = f.poll(POLL1)
        assert res.ingest.already == mid and res.ingest.new == 3 - mid and not res.failed
        clean = tmp_path / "clean.db"
        with follower(clean, [feeds["herald"], feeds["post"]], lang) as f:
            f.poll(POLL1)
        with Store(db) as a, Store(clean) as b:
            assert sorted(x.id for x in a.articles()) == sorted(x.id for x in b.articles())
            assert a.get_state(PENDING, []) == []
            stories_a = sorted(sorted(r["articles"]) for r in a.list_stories())
            assert stories_a == sorted(sorted(r["articles"]) for r in b.list_stories())
            assert a.count("articles") == 3 and a.conn.execute("SELECT count(*) FROM follow_items").fetchone()[0] == 5
    finally:
        s.close()


def test_ctrl_c_stops_cleanly_and_a_sources_file_works(tmp_path):
    s = LocalServer()
    try:
        s.routes["/robots.txt"] = Route(b"", "text/plain")
        listing = tmp_path / "sources.txt"
        listing.write_text(f"{s.url('/gone.xml')}\nnot a url\n")
        db = tmp_path / "stop.db"
        proc = run_cli([str(listing), "--db", str(db), "--every", "1h", "--allow-private"])
        try:
            deadline = time.time() + 60
            while time.time() < deadline and s.hits("/gone.xml") == 0:
                time.sleep(0.1)
            time.sleep(1.0)  # the poll is over: it waits for the next one
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, err
        assert "stopped" in err and f"{listing}:2" in err and "not an http(s) URL" in err
        assert "failed: HTTP 404 Not Found" in out
        with Store(db) as st:
            [src] = st.follow_sources()
        assert src["last_outcome"] == "http-error" and src["errors"] == 1
    finally:
        s.close()


def test_news_sitemap_index_and_a_followed_page(tmp_path, lang):
    s = LocalServer()
    try:
        s.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow:\n", "text/plain")
        s.routes["/herald/quake.html"] = Route(fixture("herald_quake.html"))
        s.routes["/wire/quake.html"] = Route(
            fixture("wire_quake.html")
            .replace(b"Continental Wire", b"")
            .replace(b'<meta property="og:site_name" content="">', b"")
        )
        index = (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{s.url('/news-sitemap.xml')}</loc></sitemap></sitemapindex>"
        )
        s.routes["/sitemap-index.xml"] = Route(index.encode(), "application/xml")
        pages = [{"loc": s.url("/wire/quake.html"), "title": "Rescuers race", "date": "2026-03-02T09:30:00Z"}]
        s.routes["/news-sitemap.xml"] = Route(news_sitemap("The Sitemap Times", pages), "application/xml")
        db = tmp_path / "sitemap.db"
        with follower(db, [s.url("/sitemap-index.xml"), s.url("/herald/quake.html")], lang) as f:
            first = f.poll(POLL1)
            second = f.poll(POLL2)
        assert [r.kind for r in first.sources] == ["sitemap", "page"] and first.ingest.new == 2
        assert [r.outcome for r in second.sources] == ["not-modified", "not-modified"] and second.ingest is None
        with Store(db) as st:
            outlets = sorted(a.source for a in st.articles())
        # the page without a site name takes the news sitemap's publication name
        assert outlets == ["Coast Herald", "The Sitemap Times"]
        assert s.hits("/news-sitemap.xml") == 1 and s.hits("/wire/quake.html") == 1
    finally:
        s.close()


def test_a_followed_sign_in_page_is_rejected_and_the_article_stored(tmp_path, lang):
    """A feed's link that leads to a sign-in form (a paywall's, say) is no article: it is left out with one
    line naming its URL and what the page is, and the real article of the same feed is stored."""
    s = LocalServer()
    try:
        s.routes["/wire/quake.html"] = Route(fixture("wire_quake.html"))
        s.routes["/login.html"] = Route(
            b"<html><head><title>Sign in</title></head><body><main><p>Sign in using your account with: Google</p>"
            b"<p>Welcome back. Please sign in to read this story.</p><p>Already have an account?</p>"
            b"<p>By registering you agree to our Terms of Service.</p></main></body></html>"
        )
        s.routes["/feed.xml"] = Route(
            rss(
                "Wire",
                [
                    {"title": "Rescuers race to reach survivors", "link": s.url("/wire/quake.html")},
                    {"title": "Subscribers only", "link": s.url("/login.html")},
                ],
            ),
            "application/rss+xml",
        )
        db = tmp_path / "f.db"
        with follower(db, [s.url("/feed.xml")], lang) as f:
            result = f.poll(POLL1)
        assert result.ingest is not None and result.ingest.new == 1, result.describe()
        with sqlite3.connect(db) as c:
            rows = c.execute("SELECT path, reason FROM rejected").fetchall()
        assert [(p, r.split(" (")[0]) for p, r in rows] == [
            (s.url("/login.html"), "not an article: a sign-in or registration form")
        ]
    finally:
        s.close()
