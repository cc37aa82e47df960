"""Polite, safe HTTP fetching for ``crosswire follow`` (httpx).

- A clear user agent naming crosswire; robots.txt obeyed (urllib.robotparser, per origin, cached;
  its Crawl-delay slows that host down further). An unreachable robots.txt or a server error on it
  disallows the host for now, a missing one (4xx) allows everything (RFC 9309).
- At most ``rate`` requests a second to one host (default 1), robots.txt and redirects included.
- Conditional GET: the caller passes the ETag / Last-Modified it kept; a 304 is "not-modified".
- Timeouts on every phase and on the whole fetch; a cap on the body (decompressed) and on redirects;
  retries with exponential backoff on timeouts, connection errors, 429 and 5xx (Retry-After obeyed
  up to a cap).
- Only public addresses, checked when connecting (netguard.py), so redirects and DNS answers are
  covered, unless ``allow_private``.

``Fetcher.get`` never raises for a failed fetch: it returns a ``Fetched`` whose ``outcome`` and
``reason`` say what happened, and hands it to the ``record`` callback (the store's fetch log).
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from crosswire.read.netguard import AddressGuard, GuardedTransport, Refused, Resolver


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("crosswire")
    except PackageNotFoundError:
        return "dev"


USER_AGENT = f"crosswire/{_version()} (news story comparison; follows feeds and pages; obeys robots.txt)"
ROBOTS_AGENT = "crosswire"
REDIRECTS = (301, 302, 303, 307, 308)
RETRY_STATUS = (429, 500, 502, 503, 504)
ROBOTS_MAX_BYTES = 512_000


@dataclass
class FetchPolicy:
    allow_private: bool = False
    rate: float = 1.0  # requests a second to one host
    timeout: float = 20.0  # seconds for each of connect, read, write
    total_timeout: float = 60.0  # seconds for one fetch, body included (a server dripping bytes)
    max_bytes: int = 10_000_000  # the body, decompressed
    max_redirects: int = 5
    retries: int = 2  # tries after the first
    backoff: float = 2.0  # seconds before the first retry, doubling after
    max_retry_after: float = 120.0
    robots_ttl: float = 6 * 3600.0
    user_agent: str = USER_AGENT


@dataclass
class Fetched:
    """What one fetch gave: ``outcome`` is ok | not-modified | refused | disallowed | too-large |
    timeout | http-error | error, and ``reason`` says it in words."""

    url: str
    outcome: str
    reason: str
    status: int | None = None
    final_url: str | None = None
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    ms: int = 0
    tries: int = 1
    source: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


class _Stop(Exception):
    def __init__(self, outcome: str, reason: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(reason)
        self.outcome, self.reason, self.status, self.retry_after = outcome, reason, status, retry_after


@dataclass
class _Robots:
    parser: urllib.robotparser.RobotFileParser | None  # None: everything disallowed for now
    why: str
    until: float
    delay: float = 0.0
    outcome: str = "disallowed"  # what a page of the host gets while parser is None


@dataclass
class Fetcher:
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    record: Callable[[Fetched], None] | None = None
    resolver: Resolver | None = None
    exempt: tuple[tuple[str, int], ...] = ()
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        guard = AddressGuard(allow_private=self.policy.allow_private, resolver=self.resolver, exempt=self.exempt)
        p = self.policy
        self.client = httpx.Client(
            transport=GuardedTransport(guard),
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(p.timeout),
            follow_redirects=False,
            trust_env=False,
        )
        self._next: dict[str, float] = {}  # host -> earliest time of its next request
        self._robots: dict[str, _Robots] = {}

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one entry point ---------------------------------------------
    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        source: str | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:
        """GET url politely; conditional when validators are given. Recorded, never raises for a failure.
        ``max_bytes`` lowers the policy's cap on the body for this fetch."""
        start = self.clock()
        cap = min(max_bytes, self.policy.max_bytes) if max_bytes else self.policy.max_bytes
        result = self._get(url, etag, last_modified, source, cap)
        result.ms = int((self.clock() - start) * 1000)
        result.source = source
        if self.record:
            self.record(result)
        return result

    def _get(self, url: str, etag: str | None, last_modified: str | None, source: str | None, cap: int) -> Fetched:
        tries = 0
        while True:
            tries += 1
            try:
                res = self._follow(url, etag, last_modified, source, cap)
                res.tries = tries
                return res
            except _Stop as stop:
                retry = stop.outcome in ("timeout", "error") or stop.status in RETRY_STATUS
                if not retry or tries > self.policy.retries:
                    said = f"{stop.reason} (after {tries} tries)" if tries > 1 else stop.reason
                    return Fetched(url, stop.outcome, said, status=stop.status, tries=tries)
                wait = self.policy.backoff * 2 ** (tries - 1)
                if stop.retry_after is not None:
                    wait = max(wait, min(stop.retry_after, self.policy.max_retry_after))
                self.sleep(wait)

    def _follow(self, url: str, etag: str | None, last_modified: str | None, source: str | None, cap: int) -> Fetched:
        current = url
        for hop in range(self.policy.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                what = "a redirect to" if hop else "URL"
                raise _Stop("refused", f"refused: {what} {current!r} is not an http(s) URL")
            headers = {}
            if hop == 0 and etag:
                headers["If-None-Match"] = etag
            if hop == 0 and last_modified:
                headers["If-Modified-Since"] = last_modified
            try:
                self._check_robots(current, source)
                status, resp_headers, body = self._request(current, headers, cap)
            except _Stop as stop:
                if hop and stop.outcome == "refused":
                    stop.reason = f"refused: redirected to {current}: {stop.reason.removeprefix('refused: ')}"
                raise
            if status in REDIRECTS and resp_headers.get("location"):
                current = urljoin(current, resp_headers["location"])
                continue
            final = current if current != url else None
            if status == 304:
                return Fetched(url, "not-modified", "not modified since the last fetch (304)", status, final)
            if status >= 400:
                retry_after = _seconds(resp_headers.get("retry-after"))
                phrase = _phrase(status)
                raise _Stop("http-error", f"HTTP {status}{' ' + phrase if phrase else ''}", status, retry_after)
            return Fetched(
                url,
                "ok",
                f"HTTP {status}, {len(body)} bytes",
                status,
                final,
                body=body,
                content_type=resp_headers.get("content-type"),
                etag=resp_headers.get("etag"),
                last_modified=resp_headers.get("last-modified"),
            )
        raise _Stop("error", f"more than {self.policy.max_redirects} redirects")

    # -- one HTTP request, paced, capped and timed --------------------------
    def _request(self, url: str, headers: dict[str, str], max_bytes: int) -> tuple[int, dict[str, str], bytes]:
        host = urlsplit(url).hostname or ""
        self._pace(host)
        deadline = self.clock() + self.policy.total_timeout
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                status = resp.status_code
                h = {k.lower(): v for k, v in resp.headers.items()}
                if status in REDIRECTS or status == 304 or status >= 400:
                    return status, h, b""
                declared = h.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise _Stop(
                        "too-large", f"too large: {int(declared)} bytes declared, over the {max_bytes}-byte limit"
                    )
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise _Stop("too-large", f"too large: the body passed the {max_bytes}-byte limit")
                    if self.clock() > deadline:
                        raise _Stop("timeout", f"timed out: the body took over {self.policy.total_timeout:g} s")
                    chunks.append(chunk)
                return status, h, b"".join(chunks)
        except Refused as exc:
            raise _Stop("refused", str(exc)) from None
        except httpx.TimeoutException as exc:
            raise _Stop("timeout", f"timed out ({type(exc).__name__}) after {self.policy.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise _Stop("error", f"{type(exc).__name__}: {exc}") from None
        finally:
            self._next[host] = self.clock() + self._interval(host)

    def _interval(self, host: str) -> float:
        delays = [r.delay for origin, r in self._robots.items() if urlsplit(origin).hostname == host]
        return max([1.0 / self.policy.rate if self.policy.rate > 0 else 0.0, *delays])

    def _pace(self, host: str) -> None:
        wait = self._next.get(host, 0.0) - self.clock()
        if wait > 0:
            self.sleep(wait)

    # -- robots.txt --------------------------------------------------------
    def _check_robots(self, url: str, source: str | None) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        robots = self._robots.get(origin)
        if robots is None or robots.until < self.clock():
            robots = self._robots[origin] = self._load_robots(origin, source)
        if robots.parser is None:
            raise _Stop(robots.outcome, robots.why)
        if not robots.parser.can_fetch(ROBOTS_AGENT, url):
            raise _Stop("disallowed", f"disallowed by {origin}/robots.txt for {ROBOTS_AGENT}")

    def _load_robots(self, origin: str, source: str | None) -> _Robots:
        url = f"{origin}/robots.txt"
        now = self.clock()
        start = now
        parser = urllib.robotparser.RobotFileParser(url)
        try:
            status, _h, body = self._robots_body(url)
        except _Stop as stop:
            self._note(Fetched(url, stop.outcome, stop.reason, stop.status, source=source), start)
            if stop.outcome == "refused":
                return _Robots(None, stop.reason, now + self.policy.robots_ttl, outcome="refused")
            why = f"not fetched: {url} could not be read ({stop.reason}), so the host counts as disallowed for now"
            return _Robots(None, why, now + 600)
        if 400 <= status < 500:
            parser.parse([])  # no robots.txt: everything is allowed
            self._note(
                Fetched(url, "ok", f"HTTP {status}: no robots.txt, everything allowed", status, source=source), start
            )
        elif status >= 500:
            self._note(Fetched(url, "http-error", f"HTTP {status}", status, source=source), start)
            why = f"not fetched: {url} answered HTTP {status}, so the host counts as disallowed for now"
            return _Robots(None, why, now + 600)
        else:
            parser.parse(body.decode("utf-8", errors="replace").splitlines())
            self._note(Fetched(url, "ok", f"HTTP {status}, {len(body)} bytes", status, source=source), start)
        delay = parser.crawl_delay(ROBOTS_AGENT)
        return _Robots(parser, "", now + self.policy.robots_ttl, float(delay or 0))

    def _robots_body(self, url: str) -> tuple[int, dict[str, str], bytes]:
        current = url
        for _ in range(self.policy.max_redirects + 1):
            status, h, body = self._request(current, {}, ROBOTS_MAX_BYTES)
            if status in REDIRECTS and h.get("location"):
                current = urljoin(current, h["location"])
                if urlsplit(current).scheme not in ("http", "https"):
                    raise _Stop("refused", f"refused: robots.txt redirects to {current!r}")
                continue
            return status, h, body
        raise _Stop("error", "robots.txt: too many redirects")

    def _note(self, fetched: Fetched, start: float) -> None:
        fetched.ms = int((self.clock() - start) * 1000)
        if self.record:
            self.record(fetched)


def _seconds(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
