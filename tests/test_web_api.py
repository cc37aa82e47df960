"""The web app in process (FastAPI TestClient) over a real SQLite store of the sample story."""

from __future__ import annotations

import html
import re
import time

import pytest
from fastapi.testclient import TestClient

from crosswire.store.db import Store
from crosswire.web.app import create_app
from crosswire.web.uploads import Limits
from web_fixtures import EVIL, build_store


@pytest.fixture(scope="module")
def site(seed_dossier, lang, tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "web.db"
    ids = build_store(db, seed_dossier)
    app = create_app(db, limits=Limits(max_file_mb=0.05, max_total_mb=0.2, max_files=5), lang_factory=lambda: lang)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        yield client, ids, db


def test_story_list_shows_rows_and_security_headers(site):
    client, ids, _ = site
    r = client.get("/")
    assert r.status_code == 200
    assert f'href="/stories/{ids["story"]}"' in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert '<script src="/static/app.js"' in r.text and "<script>" not in r.text


def test_search_filters_and_sort(site):
    client, ids, _ = site
    found = client.get("/api/stories", params={"q": "Peskov"}).json()
    assert [s["id"] for s in found["stories"]] == [ids["story"]]
    assert client.get("/api/stories", params={"q": "zzzunknownword"}).json()["total"] == 0
    assert client.get("/api/stories", params={"outlet": "Hostile Wire"}).json()["stories"][0]["id"] == ids["evil_story"]
    assert client.get("/api/stories", params={"from": "2024-10-18"}).json()["total"] == 0
    assert client.get("/api/stories", params={"to": "2024-10-12"}).json()["total"] == 0
    assert [s["id"] for s in client.get("/api/stories", params={"from": "2024-10-15"}).json()["stories"]] == [
        ids["story"]
    ]
    assert client.get("/api/stories", params={"from": "2024-10-01", "to": "2024-10-31"}).json()["total"] == 2
    by_size = client.get("/api/stories", params={"sort": "size"}).json()["stories"]
    assert [s["size"] for s in by_size] == sorted((s["size"] for s in by_size), reverse=True)
    story = client.get(f"/api/stories/{ids['story']}").json()["story"]
    name = story["entities"][0]["name"]
    hits = client.get("/api/stories", params={"entity": name.upper()}).json()["stories"]
    assert ids["story"] in [s["id"] for s in hits]
    page2 = client.get("/api/stories", params={"per_page": 1, "page": 2}).json()
    assert page2["total"] == 2 and len(page2["stories"]) == 1 and page2["pages"] == 2
    # hostile search input is only a search
    assert client.get("/", params={"q": '"); DROP TABLE stories; --'}).status_code == 200
    assert client.get("/api/stories").json()["total"] == 2


def test_story_page_renders_every_part_with_citation_links(site):
    client, ids, _ = site
    r = client.get(f"/stories/{ids['story']}")
    assert r.status_code == 200
    headings = re.findall(r"<h2 id=\"[^\"]+\">([^<]+)", r.text)
    for heading in ("Summary", "How the outlets differ", "Where they conflict", "Timeline", "Storyline"):
        assert heading in [h.strip() for h in headings], (heading, headings)
    for heading in ("Agreement", "Accounts", "Quotes", "Coverage", "Entities", "Articles"):
        assert heading in headings, heading
    assert '<nav class="contents" aria-label="Sections of this story">' in r.text
    assert '<svg class="timeline-chart"' in r.text
    links = re.findall(r'href="(/articles/a_[0-9a-f]+\?hl=(\d+)-(\d+)#hl)"', r.text)
    assert links, "the summary cites its sources"
    story = client.get(f"/api/stories/{ids['story']}").json()
    first = story["story"]["summary"][0]["citations"][0]
    assert f"/articles/{first['article']}?hl={first['start']}-{first['end']}#hl" in [
        html.unescape(u) for u, _, _ in links
    ]
    # citations have an accessible name: which source and which words
    assert re.search(r'<a class="cite" href="[^"]+" aria-label="source \d+, [^"]+"', r.text)


def test_citation_link_highlights_exact_span(site):
    client, ids, _ = site
    story = client.get(f"/api/stories/{ids['story']}").json()["story"]
    c = story["summary"][0]["citations"][0]
    art = client.get(f"/api/articles/{c['article']}").json()["article"]
    r = client.get(f"/articles/{c['article']}", params={"hl": f"{c['start']}-{c['end']}"})
    body = re.search(r'id="article-text">(.*?)</div>', r.text, flags=re.S).group(1)
    marked = re.findall(r"<mark[^>]*>(.*?)</mark>", body, flags=re.S)
    assert html.unescape("".join(marked)) == art["text"][c["start"] : c["end"]]
    assert 'id="hl"' in r.text
    # out-of-range or junk highlights are ignored, not errors
    for bad in ("5-2", "0-999999", "x-y", "-3"):
        page = client.get(f"/articles/{c['article']}", params={"hl": bad})
        assert page.status_code == 200 and "<mark" not in page.text


def test_article_page_marks_entities_and_shows_copies_and_junk(site):
    client, ids, _ = site
    story = client.get(f"/api/stories/{ids['story']}").json()["story"]
    aid = story["articles"][0]
    data = client.get(f"/api/articles/{aid}").json()
    assert {m["kind"] for m in data["marks"]} >= {"entity", "claim"}
    r = client.get(f"/articles/{aid}")
    assert 'class="m-entity' in r.text or 'm-entity"' in r.text
    assert "<h2>Removed junk</h2>" in r.text and "<h2>Copies</h2>" in r.text
    # the text shown is exactly the cleaned text, once the marks are taken off
    body = re.search(r'<div class="card article-text marked" id="article-text">(.*?)</div>', r.text, flags=re.S).group(
        1
    )
    assert html.unescape(re.sub(r"<[^>]+>", "", body)) == data["article"]["text"]


def test_hostile_article_is_escaped_everywhere(site):
    client, ids, _ = site
    for url in (
        f"/articles/{ids['evil_article']}",
        f"/stories/{ids['evil_story']}",
        "/",
        "/outlets/Hostile%20Wire",
        "/?q=Kremlin",
    ):
        page = client.get(url).text
        assert "<script>" not in page and "<img src=x" not in page and 'href="javascript:' not in page, url
        assert "onerror=" not in page.replace("onerror=&#34;", "").replace("onerror=&quot;", ""), url
    page = client.get(f"/articles/{ids['evil_article']}").text
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=" in page


def test_outlet_page_and_api(site):
    client, ids, _ = site
    r = client.get("/outlets/Hostile%20Wire")
    assert r.status_code == 200 and "What it alone reports" in r.text and "What it leaves out" in r.text
    v = client.get("/api/outlets/Hostile%20Wire").json()
    assert v["stories"][0]["id"] == ids["evil_story"]
    assert {"alone", "omits", "wording", "articles"} <= set(v)
    assert client.get("/api/outlets/Nobody").status_code == 404
    assert {"name": "Hostile Wire", "display": "Hostile Wire", "articles": 1} in client.get("/api/outlets").json()


def test_not_found_pages_and_openapi(site):
    client, _, _ = site
    r = client.get("/stories/s_doesnotexist")
    assert r.status_code == 404 and "No story" in r.text and "<html" in r.text
    assert client.get("/api/articles/a_nope").status_code == 404
    spec = client.get("/openapi.json").json()
    for p in (
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/outlets/{name}",
        "/api/uploads",
        "/api/uploads/{job_id}",
    ):
        assert p in spec["paths"], p


def _wait(client, job_id, timeout=240):
    t0 = time.time()
    while time.time() - t0 < timeout:
        s = client.get(f"/api/uploads/{job_id}").json()
        if s["finished"]:
            return s
        time.sleep(0.2)
    raise AssertionError(f"upload job {job_id} did not finish")


def test_upload_ingests_files_and_reports_bad_ones(site):
    client, _, db = site
    good = b"Olaf Scholz spoke with Vladimir Putin by phone on Friday, a government spokesperson said in Berlin.\n"
    files = [
        ("files", ("call.txt", good, "text/plain")),
        ("files", ("empty.txt", b"", "text/plain")),
        ("files", ("big.txt", b"x" * 60_000, "text/plain")),
    ]
    r = client.post("/api/uploads", files=files, data={"source": "Upload Test", "published": "2024-11-15"})
    assert r.status_code == 202
    job = _wait(client, r.json()["id"])
    assert job["status"] == "done", job
    reasons = {x["path"]: x["reason"] for x in job["rejected"]}
    assert "upload limit" in reasons["big.txt"]
    assert "empty.txt" in reasons and reasons["empty.txt"]
    with Store(db) as store:
        assert any(a.text.strip() == good.decode().strip() and a.source == "Upload Test" for a in store.articles())


def test_upload_form_redirects_to_progress_page(site):
    client, _, _ = site
    form = client.get("/upload").text
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', form).group(1)
    files = [("files", ("evil.txt", EVIL.read_bytes(), "text/plain"))]
    r = client.post("/upload", files=files, data={"form_token": token}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and "Upload" in page.text
    job_id = r.headers["location"].rsplit("/", 1)[1]
    assert _wait(client, job_id)["status"] == "done"
    assert "Status: <strong" in client.get(r.headers["location"]).text


def test_upload_limits(site):
    client, _, _ = site
    r = client.post("/api/uploads", files=[("files", ("huge.txt", b"y" * 400_000, "text/plain"))])
    assert r.status_code == 413 and "upload limit" in r.json()["detail"]
    many = [("files", (f"f{i}.txt", b"Some words about a call.", "text/plain")) for i in range(7)]
    job = _wait(client, client.post("/api/uploads", files=many).json()["id"])
    assert sum("too many files" in x["reason"] for x in job["rejected"]) == 2


def test_static_report_and_app_share_the_story_template(site, seed_dossier):
    from crosswire.report import render_html

    client, ids, _ = site
    report = render_html(seed_dossier)
    page = client.get(f"/stories/{ids['story']}").text
    for heading in ("Summary", "How the outlets differ", "Timeline", "Agreement", "Quotes", "Coverage", "Entities"):
        assert re.search(f'<h2 id="[^"]+">{heading}\\b', report), heading
        assert re.search(f'<h2 id="[^"]+">{heading}\\b', page), heading
    assert 'class="story" id="story-' in report and "<script" not in report


def test_binary_upload_is_rejected_with_its_name(site):
    client, _, _ = site
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    job = _wait(client, client.post("/api/uploads", files=[("files", ("photo.png", png, "image/png"))]).json()["id"])
    assert [r["path"] for r in job["rejected"]] == ["photo.png"] and job["rejected"][0]["reason"]


def test_serve_binds_loopback_by_default():
    import inspect

    from crosswire.cli import serve

    assert inspect.signature(serve).parameters["host"].default.default == "127.0.0.1"


def test_chunked_upload_over_the_limit_is_refused(site):
    client, _, _ = site
    boundary = b"xyzboundary"

    def body():
        yield b"--" + boundary + b'\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
        for _ in range(40):
            yield b"z" * 10_000
        yield b"\r\n--" + boundary + b"--\r\n"

    r = client.post(
        "/api/uploads", content=body(), headers={"content-type": "multipart/form-data; boundary=xyzboundary"}
    )
    assert r.status_code == 413 and "upload limit" in r.json()["detail"]
