"""The store's tables for ``crosswire follow``: followed sources, the fetch log, HTTP validators, and
which source led to which article URL. A mixin of ``Store`` (all SQL stays in the store package)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any

# outcomes of a fetch that are not failures
FINE = ("ok", "not-modified")


class FollowTables:
    """Mixed into Store, which provides ``conn`` and ``transaction()``."""

    conn: sqlite3.Connection
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]

    # -- sources ---------------------------------------------------------
    def put_source(self, url: str, *, at: str, kind: str | None = None, name: str | None = None) -> None:
        """Add a followed source (or keep it), and note its kind and outlet name once they are known."""
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO follow_sources(url, added) VALUES (?, ?)", (url, at))
            if kind:
                c.execute("UPDATE follow_sources SET kind=? WHERE url=?", (kind, url))
            if name:
                c.execute("UPDATE follow_sources SET name=? WHERE url=?", (name, url))

    def follow_sources(self) -> list[dict[str, Any]]:
        """Every followed source with its last fetch, and counts of fetches, failed fetches and articles."""
        rows = self.conn.execute(
            """SELECT s.url, s.kind, s.name, s.added, s.last_fetch, s.last_outcome, s.last_status, s.last_reason,
                      s.last_ok,
                      (SELECT count(*) FROM fetches f WHERE f.source = s.url) AS fetches,
                      (SELECT count(*) FROM fetches f WHERE f.source = s.url AND f.outcome NOT IN (?, ?)) AS errors,
                      (SELECT count(DISTINCT article_id) FROM follow_items i WHERE i.source = s.url) AS articles
               FROM follow_sources s ORDER BY s.added, s.url""",
            FINE,
        ).fetchall()
        return [dict(r) for r in rows]

    # -- the fetch log ---------------------------------------------------
    def record_fetch(
        self,
        *,
        at: str,
        url: str,
        outcome: str,
        reason: str,
        source: str | None = None,
        final_url: str | None = None,
        status: int | None = None,
        nbytes: int = 0,
        ms: int | None = None,
    ) -> None:
        """Append one fetch to the log; a fetch of a followed source itself also sets its "last fetch"."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO fetches(at, source, url, final_url, status, outcome, reason, bytes, ms) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (at, source, url, final_url, status, outcome, reason, nbytes, ms),
            )
            if source is not None and source == url:
                c.execute(
                    "UPDATE follow_sources SET last_fetch=?, last_outcome=?, last_status=?, last_reason=?, "
                    "last_ok=CASE WHEN ? IN (?, ?) THEN ? ELSE last_ok END WHERE url=?",
                    (at, outcome, status, reason, outcome, *FINE, at, url),
                )

    def mark_unreadable(self, url: str, reason: str) -> None:
        """The latest fetch of ``url`` came back, but what it sent cannot be read (a broken feed, ...):
        that fetch's outcome becomes "unreadable" with the reason, and so does its source's last fetch."""
        with self.transaction() as c:
            row = c.execute("SELECT max(id) FROM fetches WHERE url=?", (url,)).fetchone()
            if row and row[0] is not None:
                c.execute("UPDATE fetches SET outcome='unreadable', reason=? WHERE id=?", (reason, row[0]))
            c.execute("UPDATE follow_sources SET last_outcome='unreadable', last_reason=? WHERE url=?", (reason, url))

    def fetches(self, *, source: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The latest fetches, newest first (of one source when given)."""
        where, params = ("WHERE source=?", [source]) if source else ("", [])
        rows = self.conn.execute(
            f"SELECT id, at, source, url, final_url, status, outcome, reason, bytes, ms FROM fetches {where} "
            "ORDER BY id DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [dict(r) for r in rows]

    # -- conditional GET -------------------------------------------------
    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the last body of ``url`` that was fully ingested, or (None, None)."""
        row = self.conn.execute("SELECT etag, last_modified FROM http_validators WHERE url=?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def put_validators(self, url: str, etag: str | None, last_modified: str | None, *, at: str) -> None:
        with self.transaction() as c:
            if etag or last_modified:
                c.execute(
                    "INSERT OR REPLACE INTO http_validators(url, etag, last_modified, at) VALUES (?,?,?,?)",
                    (url, etag, last_modified, at),
                )
            else:
                c.execute("DELETE FROM http_validators WHERE url=?", (url,))

    # -- what each source led to -----------------------------------------
    def known_urls(self, urls: Iterable[str]) -> dict[str, str | None]:
        """Of these article URLs, those already read through any source: URL -> article id (None: no article)."""
        out: dict[str, str | None] = {}
        for chunk in _chunks(list(dict.fromkeys(urls)), 500):
            marks = ",".join("?" * len(chunk))
            for url, aid in self.conn.execute(
                f"SELECT url, max(article_id) FROM follow_items WHERE url IN ({marks}) GROUP BY url", chunk
            ):
                out[url] = aid
        return out

    def put_follow_items(self, rows: Iterable[tuple[str, str, str | None]], *, at: str) -> None:
        """Record (source, url, article id or None) rows; a row already there keeps its first time."""
        with self.transaction() as c:
            c.executemany(
                "INSERT INTO follow_items(source, url, article_id, at) VALUES (?,?,?,?) "
                "ON CONFLICT(source, url) DO UPDATE SET article_id=coalesce(excluded.article_id, article_id)",
                [(s, u, a, at) for s, u, a in rows],
            )


def _chunks(items: list[str], n: int) -> Iterator[list[str]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]
