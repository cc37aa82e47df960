"""The polite, safe fetcher against a real HTTP server on 127.0.0.1 (no other address is ever reached)."""

from __future__ import annotations

import time

import pytest

from crosswire.read.fetch import Fetcher, FetchPolicy
from crosswire.read.netguard import address_problem
from follow_server import LocalServer, Route

FAST = dict(rate=100.0, timeout=1.0, backoff=0.01, retries=0)


@pytest.fixture
def server():
    s = LocalServer()
    s.routes["/robots.txt"] = Route(
        b"User-agent: crosswire\nDisallow: /private/\n\nUser-agent: *\nDisallow:\n", "text/plain"
    )
    yield s
    s.close()


@pytest.fixture
def other():
    s = LocalServer()
    yield s
    s.close()


def fetcher(server: LocalServer, records: list | None = None, **policy) -> Fetcher:
    """A fetcher that may reach this test server's port only (private addresses stay refused elsewhere)."""
    rec = records.append if records is not None else None
    return Fetcher(FetchPolicy(**{**FAST, **policy}), record=rec, exempt=(("127.0.0.1", server.port),))


def test_conditional_get_answers_304_and_sends_a_clear_user_agent(server):
    server.routes["/feed.xml"] = Route(b"<rss><channel><title>t</title></channel></rss>", "application/rss+xml")
    records: list = []
    with fetcher(server, records) as f:
        first = f.get(server.url("/feed.xml"))
        again = f.get(server.url("/feed.xml"), etag=first.etag)
    assert first.ok and first.status == 200 and first.etag and first.body.startswith(b"<rss>")
    assert again.outcome == "not-modified" and again.status == 304 and again.body == b""
    sent = [h for p, h in server.log if p == "/feed.xml"]
    assert "if-none-match" not in sent[0] and sent[1]["if-none-match"] == first.etag
    assert all(h["user-agent"].startswith("crosswire/") and "robots.txt" in h["user-agent"] for _, h in server.log)
    # robots.txt was read once, and every fetch was handed to the recorder
    assert server.hits("/robots.txt") == 1
    assert [(r.url.rsplit("/", 1)[-1], r.outcome) for r in records] == [
        ("robots.txt", "ok"),
        ("feed.xml", "ok"),
        ("feed.xml", "not-modified"),
    ]


def test_robots_txt_disallow_is_obeyed(server):
    server.routes["/private/a.html"] = Route(b"<html>secret</html>")
    server.routes["/public/a.html"] = Route(b"<html>fine</html>")
    with fetcher(server) as f:
        no = f.get(server.url("/private/a.html"))
        yes = f.get(server.url("/public/a.html"))
    assert no.outcome == "disallowed" and "robots.txt" in no.reason
    assert server.hits("/private/a.html") == 0 and yes.ok


def test_robots_txt_server_error_holds_the_host_back(other):
    other.routes["/robots.txt"] = Route(b"down", "text/plain", status=503, etag=False)
    other.routes["/a.html"] = Route(b"<html>a</html>")
    with fetcher(other) as f:
        res = f.get(other.url("/a.html"))
    assert res.outcome == "disallowed" and "503" in res.reason and other.hits("/a.html") == 0


def test_slow_source_times_out(server):
    server.routes["/slow.xml"] = Route(b"<rss/>", delay=2.0)
    with fetcher(server, timeout=0.3) as f:
        start = time.monotonic()
        res = f.get(server.url("/slow.xml"))
    assert res.outcome == "timeout" and "timed out" in res.reason
    assert time.monotonic() - start < 1.5


def test_oversized_body_is_cut_off(server):
    big = b"<html><body>" + b"x" * 300_000 + b"</body></html>"
    server.routes["/declared.html"] = Route(big)
    server.routes["/streamed.html"] = Route(big, chunked=True)
    with fetcher(server, max_bytes=100_000) as f:
        declared = f.get(server.url("/declared.html"))
        streamed = f.get(server.url("/streamed.html"))
        small = f.get(server.url("/declared.html"), max_bytes=10)  # a per-fetch cap lowers it further
    assert declared.outcome == "too-large" and "declared" in declared.reason and declared.body == b""
    assert streamed.outcome == "too-large" and "passed the 100000-byte limit" in streamed.reason
    assert small.outcome == "too-large"


def test_redirect_to_a_private_address_is_refused_without_the_flag(server, other):
    server.routes["/go"] = Route(status=302, headers={"Location": other.url("/inside.html")}, etag=False)
    other.routes["/inside.html"] = Route(b"<html>inside</html>")
    with fetcher(server) as f:
        refused = f.get(server.url("/go"))
    assert refused.outcome == "refused" and "redirected to" in refused.reason
    assert "127.0.0.1 is a loopback address" in refused.reason and "--allow-private" in refused.reason
    assert other.log == []  # nothing at all reached the private address
    with fetcher(server, allow_private=True) as f:
        followed = f.get(server.url("/go"))
    assert followed.ok and followed.body == b"<html>inside</html>" and followed.final_url == other.url("/inside.html")


def test_too_many_redirects(server):
    server.routes["/loop"] = Route(status=301, headers={"Location": "/loop"}, etag=False)
    with fetcher(server, max_redirects=3) as f:
        res = f.get(server.url("/loop"))
    assert res.outcome == "error" and "more than 3 redirects" in res.reason and server.hits("/loop") == 4


def test_a_dns_answer_with_a_private_address_is_refused(server):
    """The name resolves to several addresses: one private one is enough to refuse it, before connecting."""
    answers = {"mixed.example": ["93.184.216.34", "127.0.0.1"], "local.example": ["127.0.0.1"]}
    resolve = lambda host, port: answers[host]
    with Fetcher(FetchPolicy(**FAST), resolver=resolve) as f:
        mixed = f.get(f"http://mixed.example:{server.port}/robots.txt")
        local = f.get(f"http://local.example:{server.port}/robots.txt")
    assert mixed.outcome == "refused" and "mixed.example resolves to 127.0.0.1, a loopback address" in mixed.reason
    assert local.outcome == "refused" and server.log == []
    # allowed, it connects to the address it checked (local.example is in no real DNS)
    with Fetcher(FetchPolicy(**FAST, allow_private=True), resolver=resolve) as f:
        res = f.get(f"http://local.example:{server.port}/robots.txt")
    assert res.ok and server.log[-1][1]["host"] == f"local.example:{server.port}"


def test_address_checks():
    assert address_problem("93.184.216.34") is None and address_problem("2606:2800:220:1::") is None
    assert address_problem("127.0.0.1") == "a loopback address" and address_problem("::1") == "a loopback address"
    assert address_problem("10.1.2.3") == address_problem("192.168.0.1") == "a private address"
    assert address_problem("169.254.169.254") == "a link-local address"  # cloud metadata
    assert address_problem("fe80::1%eth0") == "a link-local address"
    assert address_problem("::ffff:127.0.0.1") == "a loopback address"  # IPv4-mapped
    assert address_problem("100.64.0.1") and address_problem("0.0.0.0") and address_problem("224.0.0.1")


def test_retries_with_backoff_then_success(server):
    server.routes["/flaky.xml"] = Route(b"<rss/>", fail_first=2)
    waits: list[float] = []
    f = Fetcher(
        FetchPolicy(**{**FAST, "retries": 2, "backoff": 0.05}),
        exempt=(("127.0.0.1", server.port),),
        sleep=lambda s: (waits.append(s), time.sleep(s)),
    )
    with f:
        res = f.get(server.url("/flaky.xml"))
    assert res.ok and res.tries == 3 and server.hits("/flaky.xml") == 3
    backoffs = sorted(w for w in waits if w >= 0.05 - 1e-9)
    assert backoffs[:2] == pytest.approx([0.05, 0.1], abs=0.011)  # doubling
    server.routes["/down.xml"] = Route(b"<rss/>", fail_first=10)
    with fetcher(server, retries=1) as f:
        res = f.get(server.url("/down.xml"))
    assert res.outcome == "http-error" and res.status == 503 and "after 2 tries" in res.reason


def test_requests_to_one_host_are_paced(server):
    server.routes["/a"] = Route(b"a", "text/plain")
    with fetcher(server, rate=5.0) as f:
        start = time.monotonic()
        for _ in range(3):
            assert f.get(server.url("/a")).ok
        took = time.monotonic() - start
    assert took >= 0.6  # robots.txt and three fetches, at most five a second


def test_only_http_urls(server):
    with fetcher(server) as f:
        res = f.get("file:///etc/passwd")
    assert res.outcome == "refused" and "not an http(s) URL" in res.reason
