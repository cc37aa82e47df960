"""The web app against other sites (issue 15, items 5-7): Host allow-list, writes only from its own origin,
the form token, the access token off loopback, a bounded upload queue and finished jobs cleaned up."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from crosswire.store import Store
from crosswire.web.app import create_app
from crosswire.web.guard import Access
from crosswire.web.uploads import Limits

BASE = "http://127.0.0.1:8000"
ARTICLE = b"Harbour fees rise\nThe port authority said on Monday that harbour fees will rise by a tenth in May.\n"


def upload(client, name="a.txt", data=ARTICLE, **headers):
    return client.post("/api/uploads", files=[("files", (name, data, "text/plain"))], headers=headers)


def wait(client, job_id, timeout=240):
    t0 = time.time()
    while time.time() - t0 < timeout:
        s = client.get(f"/api/uploads/{job_id}").json()
        if s["finished"]:
            return s
        time.sleep(0.1)
    raise AssertionError(f"upload job {job_id} did not finish")


@pytest.fixture
def app(tmp_path, lang):
    return create_app(tmp_path / "g.db", lang_factory=lambda: lang, access=Access.for_bind("127.0.0.1"))


def test_foreign_host_names_are_refused(app):
    for base in (BASE, "http://localhost:8000", "http://[::1]:8000"):
        assert TestClient(app, base_url=base).get("/").status_code == 200, base
    for host in ("attacker.example", "attacker.example:8000", "127.0.0.1.attacker.example", "localhost:80:80"):
        r = TestClient(app, base_url=BASE).get("/api/stories", headers={"host": host})
        assert r.status_code == 400 and "Host" in r.json()["detail"], host
    r = TestClient(app, base_url=BASE).post("/api/uploads", headers={"host": "attacker.example"})
    assert r.status_code == 400


def test_allowed_host_adds_a_name(tmp_path):
    access = Access.for_bind("127.0.0.1", allowed=["reader.lan"])
    client = TestClient(create_app(tmp_path / "h.db", access=access), base_url="http://reader.lan:8000")
    assert client.get("/api/stories").status_code == 200
    assert client.get("/api/stories", headers={"host": "other.lan"}).status_code == 400


def test_writes_from_another_origin_are_refused(app, tmp_path):
    client = TestClient(app, base_url=BASE)
    for headers in (
        {"origin": "http://evil.example"},  # the curl reproduction
        {"origin": "http://127.0.0.1:9999"},  # another port is another origin
        {"origin": "null"},  # sandboxed frames, file: pages
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": BASE, "sec-fetch-site": "cross-site"},
    ):
        r = upload(client, **headers)
        assert r.status_code == 403, headers
    assert app.state.uploads.jobs == {} and not list((tmp_path / "g.db.uploads").glob("*/*"))
    # the page itself (its form posts say "Origin: null": it sends no Referer), and clients that are not
    # browsers (no Origin), may write
    ok = upload(client, origin="null", **{"sec-fetch-site": "same-origin"})
    assert ok.status_code == 202
    assert upload(client, name="b.txt", data=ARTICLE.replace(b"May", b"June")).status_code == 202


def test_the_upload_form_needs_its_token(app):
    client = TestClient(app, base_url=BASE)
    files = [("files", ("a.txt", ARTICLE, "text/plain"))]
    assert client.post("/upload", files=files, follow_redirects=False).status_code == 403
    assert client.post("/upload", files=files, data={"form_token": "0" * 64}, follow_redirects=False).status_code == 403
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', client.get("/upload").text).group(1)
    r = client.post("/upload", files=files, data={"form_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert wait(client, r.headers["location"].rsplit("/", 1)[1])["status"] == "done"


def test_off_loopback_every_request_needs_the_token(tmp_path):
    with pytest.raises(ValueError):
        Access.for_bind("0.0.0.0")
    access = Access.for_bind("0.0.0.0", allowed=["news.lan"], token="s3cret-token")
    client = TestClient(create_app(tmp_path / "t.db", access=access), base_url="http://news.lan:8000")
    assert client.get("/").status_code == 401 and client.get("/api/stories").status_code == 401
    assert client.get("/api/stories", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/api/stories", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
    r = client.get("/?token=s3cret-token&page=2", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/?page=2" and "token" not in r.headers["location"]
    cookie = r.headers["set-cookie"]
    assert "crosswire_token=s3cret-token" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/").status_code == 200  # the cookie is kept by the client from here on
    assert client.get("/", headers={"host": "elsewhere.lan"}).status_code == 400


def test_serve_beyond_loopback_prints_a_generated_token(monkeypatch, tmp_path):
    import uvicorn

    from crosswire.cli import app as cli_app

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    r = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "s.db"), "--host", "0.0.0.0"])
    assert r.exit_code == 0, r.output
    token = re.search(r"access token: (\S+)", r.output).group(1)
    assert len(token) >= 24 and seen["app"].state.access.token == token and "?token=" in r.output
    r = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "s.db")])
    assert r.exit_code == 0 and "token" not in r.output and seen["app"].state.access.token is None


def test_upload_queue_is_bounded_and_finished_jobs_are_cleaned_up(tmp_path, lang):
    db = tmp_path / "q.db"
    limits = Limits(max_jobs=1, max_finished=1)
    app = create_app(db, limits=limits, lang_factory=lambda: lang)
    client = TestClient(app, base_url=BASE)
    with Store(db) as other, other.writer():  # another process writing: the first job must wait
        first = upload(client).json()
        deadline = time.time() + 120
        while "waiting" not in client.get(f"/api/uploads/{first['id']}").json()["stage"]:
            assert time.time() < deadline, "the job never waited for the writer"
            time.sleep(0.1)
        second = upload(client, name="b.txt")
        assert second.status_code == 503 and second.headers["retry-after"] == "30"
        assert "try again" in second.json()["detail"]
    done = wait(client, first["id"])
    assert done["status"] == "done" and done["stories"]
    assert not (tmp_path / "q.db.uploads" / first["id"]).exists()  # its files are in the store now
    again = upload(client, name="c.txt", data=ARTICLE.replace(b"Monday", b"Tuesday"))
    assert again.status_code == 202 and wait(client, again.json()["id"])["status"] == "done"
    assert client.get(f"/api/uploads/{first['id']}").status_code == 404  # beyond max_finished: forgotten
    assert list((tmp_path / "q.db.uploads").iterdir()) == []


def test_a_new_server_removes_job_folders_left_behind(tmp_path):
    left = tmp_path / "l.db.uploads" / "deadbeef0000"
    left.mkdir(parents=True)
    (left / "x.txt").write_text("half-saved")
    create_app(tmp_path / "l.db")
    assert not left.exists()


def test_an_upload_that_expands_is_read_only_up_to_the_limit(app, tmp_path):
    import gzip

    block = gzip.compress(b"a" * (1 << 20), compresslevel=9)
    bomb = gzip.compress(b'{"text": "') + block * 200  # 200 MB once decompressed, one line
    assert len(bomb) < 300_000
    client = TestClient(app, base_url=BASE)
    r = client.post("/api/uploads", files=[("files", ("bomb.jsonl.gz", bomb, "application/gzip"))])
    job = wait(client, r.json()["id"])
    assert job["status"] == "done" and job["stories"] == []
    reasons = [x["reason"] for x in job["rejected"]]
    assert any("over the 5 MB limit for one article" in x for x in reasons)
    assert any("over the 60 MB limit for a file" in x for x in reasons)
    assert (tmp_path / "g.db").stat().st_size < 5_000_000
