"""``crosswire follow``: poll feeds, news sitemaps and article pages; ingest what is new.

One poll, source by source (a source that fails is reported and the others go on):
1. fetch the source, conditionally (the ETag / Last-Modified kept from the last body fully read);
   a 304 ends it;
2. read it: a feed's full entries are articles; its other entries, and a sitemap's pages, are links;
   a followed page is an article itself;
3. fetch each link not read before (by any source, this poll or an earlier one), up to ``max_pages``
   a source a poll (the rest wait for the next poll), each read as an article page.
Then every article read is cleaned and stored by ``run.ingest.ingest_articles`` (what ``crosswire
ingest`` does with files: stories keep their ids, one committed step per article), and only then
are the links read and the sources' validators written. So a killed poll loses nothing (the next
one fetches in full again, and ingest skips what is stored) and duplicates nothing (articles are
keyed by their content).

Every fetch goes through read/fetch.py (robots.txt, rate limit, size caps, public addresses only)
and is logged in the store with its outcome and reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from crosswire.clean import clean_article, page_rejection
from crosswire.errors import InputError
from crosswire.model import Article, Rejection
from crosswire.nlp import Language
from crosswire.read.feed import NO_ENTRIES, FeedLink, read_feed
from crosswire.read.fetch import Fetched, Fetcher, FetchPolicy
from crosswire.read.meta import UserMeta
from crosswire.read.netguard import Resolver
from crosswire.read.sitemap import is_sitemap, read_sitemap
from crosswire.read.sniff import sniff
from crosswire.read.web import PageHint, read_page
from crosswire.run.dossier import utc_now
from crosswire.run.history import stamp
from crosswire.run.ingest import PENDING, IngestResult, ingest_articles
from crosswire.run.sources import Source, normalise_url
from crosswire.settings import Settings
from crosswire.store.db import Store

MAX_CHILD_SITEMAPS = 10
# outcomes of a page fetch worth trying again at the next poll (the others are noted as read)
TRANSIENT = ("timeout", "error")


@dataclass
class SourceReport:
    url: str
    kind: str | None = None
    outcome: str = "ok"  # ok | not-modified | failed | unreadable
    reason: str = ""
    entries: int = 0  # articles and links it listed
    pages: int = 0  # pages fetched for it
    failed_pages: int = 0
    deferred: int = 0  # links left for the next poll (over max_pages)
    retry: int = 0  # pages to fetch again at the next poll (a timeout, a server error)
    new: int = 0  # articles it led to that were new to the store

    def describe(self) -> str:
        if self.outcome in ("failed", "unreadable"):
            return f"{self.url}: {self.outcome}: {self.reason}"
        if self.outcome == "not-modified":
            return f"{self.url}: not modified"
        parts = [f"{self.kind or 'source'}, {self.entries} entries", f"{self.pages} pages fetched"]
        if self.failed_pages:
            parts.append(f"{self.failed_pages} failed")
        if self.deferred:
            parts.append(f"{self.deferred} left for the next poll")
        parts.append(f"{self.new} new articles")
        return f"{self.url}: " + ", ".join(parts)


@dataclass
class PollResult:
    at: str
    sources: list[SourceReport] = field(default_factory=list)
    ingest: IngestResult | None = None

    @property
    def failed(self) -> list[SourceReport]:
        return [s for s in self.sources if s.outcome in ("failed", "unreadable")]

    def describe(self) -> str:
        lines = [f"poll at {self.at}: {len(self.sources)} sources, {len(self.failed)} failing"]
        lines += ["  " + s.describe() for s in self.sources]
        lines.append("  " + (self.ingest.describe() if self.ingest else "nothing new to store"))
        return "\n".join(lines)


@dataclass
class _Batch:
    """What one poll read: articles by id, rejections, (source, url, article id) links, validators."""

    articles: dict[str, Article] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    items: list[tuple[str, str, str | None]] = field(default_factory=list)
    read: dict[str, str | None] = field(default_factory=dict)  # url -> article id, pages read this poll
    validators: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    def add(self, source: str, url: str, item: Article | Rejection) -> None:
        if isinstance(item, Article) and item.id not in self.articles:
            item = clean_article(item)
            item = page_rejection(item) or item
        if isinstance(item, Rejection):
            self.rejected.append(item)
            self.items.append((source, url, None))
            self.read[url] = None
            return
        art = self.articles.get(item.id) or item
        self.articles.setdefault(art.id, art)
        self.items.append((source, url, art.id))
        self.read[url] = art.id


class Follower:
    """Polls a set of sources into one store. Keep it for the whole run: robots.txt and the pacing per
    host live in its fetcher, and the language models load once."""

    def __init__(
        self,
        sources: list[Source],
        *,
        db: str,
        settings: Settings | None = None,
        policy: FetchPolicy | None = None,
        lang: Language | None = None,
        resolver: Resolver | None = None,
        exempt: tuple[tuple[str, int], ...] = (),
        max_pages: int = 50,
        keep_going: bool = True,
    ):
        self.sources = sources
        self.db = db
        self.settings = settings or Settings.load(db=db)
        self.lang = lang or Language.for_settings(self.settings)
        self.max_pages = max_pages
        self.keep_going = keep_going
        self.store = Store(db)
        self.fetcher = Fetcher(policy or FetchPolicy(), record=self._record, resolver=resolver, exempt=exempt)

    def close(self) -> None:
        self.fetcher.close()
        self.store.close()

    def __enter__(self) -> Follower:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _record(self, f: Fetched) -> None:
        self.store.record_fetch(
            at=stamp(utc_now()),
            source=f.source,
            url=f.url,
            final_url=f.final_url,
            status=f.status,
            outcome=f.outcome,
            reason=f.reason,
            nbytes=len(f.body),
            ms=f.ms,
        )

    # -- one poll ----------------------------------------------------------
    def poll(self, now: dt.datetime | None = None) -> PollResult:
        now = now or utc_now()
        result = PollResult(at=stamp(now))
        for src in self.sources:
            self.store.put_source(src.url, at=result.at, kind=src.kind, name=src.name)
        batch = _Batch()
        for src in self.sources:
            rep = SourceReport(src.url, src.kind)
            try:
                self._poll_source(src, rep, batch, result.at)
            except Exception as exc:  # an unexpected failure on one source must not stop the others
                rep.outcome, rep.reason = "failed", f"{type(exc).__name__}: {exc}"
                self.store.mark_unreadable(src.url, rep.reason)
            result.sources.append(rep)
        stored = {aid for aid in batch.articles if self.store.has_article(aid)}
        if batch.articles or self.store.get_state(PENDING, []):
            result.ingest = ingest_articles(
                list(batch.articles.values()),
                batch.rejected,
                db=self.db,
                settings=self.settings,
                lang=self.lang,
                now=now,
                keep_going=self.keep_going,
            )
        else:
            for r in batch.rejected:
                self.store.put_rejection(r)
        with self.store.transaction():  # only now: a poll killed before this point is done again in full
            self.store.put_follow_items(batch.items, at=result.at)
            for url, etag, modified in batch.validators:
                self.store.put_validators(url, etag, modified, at=result.at)
        for rep in result.sources:
            rep.new = len({a for s, _u, a in batch.items if s == rep.url and a in batch.articles and a not in stored})
        return result

    def _poll_source(self, src: Source, rep: SourceReport, batch: _Batch, at: str) -> None:
        etag, modified = self.store.validators(src.url)
        f = self.fetcher.get(src.url, etag=etag, last_modified=modified, source=src.url)
        if f.outcome == "not-modified":
            rep.outcome, rep.reason = "not-modified", f.reason
            return
        if not f.ok:
            rep.outcome, rep.reason = "failed", f.reason
            return
        kind = src.kind or _kind_of(f.body)
        rep.kind = kind
        user = UserMeta(source=src.name)
        name: str | None = None
        if kind == "feed":
            name = self._feed(src, f, user, rep, batch)
        elif kind == "sitemap":
            name = self._sitemap(src, f, user, rep, batch, top=True)
        elif kind == "page":
            item = read_page(f.body, f.final_url or src.url, user, max_mb=self.settings.max_article_mb)
            rep.entries = 1
            batch.add(src.url, src.url, item)
            if isinstance(item, Rejection):
                self._unreadable(src, rep, item.reason)
            else:
                name = item.site_name
        else:
            self._unreadable(src, rep, f"not a feed, a sitemap or a web page (it sent {kind} content)")
        self.store.put_source(src.url, at=at, kind=kind if kind in ("feed", "sitemap", "page") else None, name=name)
        if rep.outcome == "ok" and not rep.deferred and not rep.retry:
            batch.validators.append((src.url, f.etag, f.last_modified))

    def _unreadable(self, src: Source, rep: SourceReport, reason: str) -> None:
        rep.outcome, rep.reason = "unreadable", reason
        self.store.mark_unreadable(src.url, reason)

    def _feed(self, src: Source, f: Fetched, user: UserMeta, rep: SourceReport, batch: _Batch) -> str | None:
        links: list[FeedLink] = []
        name = None
        for item in read_feed(f.body, src.url, user, on_link=links.append):
            if isinstance(item, Rejection):
                if item.reason == NO_ENTRIES:  # a quiet feed: nothing to read, nothing wrong
                    continue
                if item.path == src.url:  # the feed itself is broken
                    self._unreadable(src, rep, item.reason)
                batch.rejected.append(item)
                continue
            rep.entries += 1
            name = name or item.site_name
            key = (normalise_url(item.url) if item.url else None) or f"{src.url}#{item.extra.get('feed_id') or item.id}"
            batch.add(src.url, key, item)
        for link in links:
            rep.entries += 1
            name = name or link.site_name
            self._linked_page(src, link.url, user, PageHint(link.title, link.published, link.site_name), rep, batch)
        return name

    def _sitemap(
        self, src: Source, f: Fetched, user: UserMeta, rep: SourceReport, batch: _Batch, *, top: bool
    ) -> str | None:
        try:
            sitemap = read_sitemap(f.body, f.url)
        except InputError as exc:
            if top:
                self._unreadable(src, rep, exc.reason)
            batch.rejected.append(Rejection(exc.path, exc.reason))
            return None
        for child in sitemap.children[:MAX_CHILD_SITEMAPS] if top else []:
            etag, modified = self.store.validators(child)
            cf = self.fetcher.get(child, etag=etag, last_modified=modified, source=src.url)
            if cf.ok:
                before = (rep.deferred, rep.retry)
                self._sitemap(src, cf, user, rep, batch, top=False)
                if (rep.deferred, rep.retry) == before:
                    batch.validators.append((child, cf.etag, cf.last_modified))
            elif cf.outcome != "not-modified":
                rep.failed_pages += 1
                rep.retry += 1
        name = None
        for page in sorted(sitemap.pages, key=lambda p: p.published or "", reverse=True):  # newest first
            rep.entries += 1
            name = name or page.site_name
            self._linked_page(src, page.url, user, PageHint(page.title, page.published, page.site_name), rep, batch)
        return name

    def _linked_page(
        self, src: Source, url: str, user: UserMeta, hint: PageHint, rep: SourceReport, batch: _Batch
    ) -> None:
        key = normalise_url(url)
        if key is None:
            batch.rejected.append(Rejection(src.url, f"a link that is not an http(s) URL: {url[:200]!r}"))
            return
        if key in batch.read:  # read this poll, through this or another source
            batch.items.append((src.url, key, batch.read[key]))
            return
        known = self.store.known_urls([key])
        if key in known:  # read at an earlier poll
            batch.items.append((src.url, key, known[key]))
            return
        if rep.pages >= self.max_pages:
            rep.deferred += 1
            return
        rep.pages += 1
        max_bytes = int(self.settings.max_article_mb * 1_000_000) + 1
        f = self.fetcher.get(key, source=src.url, max_bytes=max_bytes)
        if f.ok:
            batch.add(
                src.url,
                key,
                read_page(f.body, f.final_url or key, user, hint=hint, max_mb=self.settings.max_article_mb),
            )
            return
        rep.failed_pages += 1
        transient = f.outcome in TRANSIENT or (f.status is not None and (f.status >= 500 or f.status == 429))
        if transient:
            rep.retry += 1
        else:  # a 404, a refusal, robots.txt: noted as read, not asked again
            batch.items.append((src.url, key, None))
            batch.read[key] = None


def _kind_of(body: bytes) -> str:
    head = body[:65536]
    if is_sitemap(head):
        return "sitemap"
    fmt = sniff(head)
    return {"feed": "feed", "html": "page", "text": "page"}.get(fmt, fmt)
