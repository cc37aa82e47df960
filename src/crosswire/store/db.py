"""SQLite store: versioned schema with migrations, FTS5 search, idempotent upserts. All of crosswire's SQL.

One writer at a time, across processes: a writer holds ``store.writer()`` (lock.py) for its whole
run; readers never wait (WAL mode). Every write of a batch happens inside one transaction
(``with store.transaction():``), so a crash leaves the store as it was before the batch or after it,
never half-written. Rows are keyed by content hashes, so storing the same input twice adds nothing.
The clusterer's state and the copy index: cluster.py.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crosswire.errors import AmbiguousIdError, StoreError
from crosswire.model import Article, Dossier, Rejection, Story, TimeRef
from crosswire.store.audit import AuditQueries
from crosswire.store.cache import ModelCacheMixin
from crosswire.store.cluster import ClusterTables, _chunks, _marks
from crosswire.store.follow import FollowTables
from crosswire.store.history import HistoryTables
from crosswire.store.lock import WriterLock
from crosswire.store.migrations import MIGRATIONS  # the schema, one migration per version: append, never edit
from crosswire.store.search import SearchQueries

SCHEMA_VERSION = len(MIGRATIONS)
WRITER_WAIT_S = 600.0
OPEN_RETRY_S = 30.0  # how long an open tries again when SQLite answers "locked" without waiting


def _being_created(path: str) -> bool:
    """No store there yet, or one another process has only begun to create (smaller than one page)."""
    p = Path(path)
    return not p.exists() or p.stat().st_size < 4096


def like_prefix(text: str) -> str:
    """A LIKE pattern matching strings that start with ``text`` literally (use with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class Store(ClusterTables, AuditQueries, FollowTables, HistoryTables, ModelCacheMixin, SearchQueries):
    """A crosswire store in one SQLite file (mixins add the clusterer's, follow, history and model cache methods)."""

    def __init__(
        self, path: str | Path = "crosswire.db", *, readonly: bool = False, writer_wait_s: float | None = None
    ):
        self.path = str(path)
        self._local = threading.local()
        self.readonly = readonly
        self._writer = WriterLock(self.path, WRITER_WAIT_S if writer_wait_s is None else writer_wait_s)
        if not readonly:
            parent = Path(self.path).parent
            if str(parent) and not parent.exists():
                parent.mkdir(parents=True, exist_ok=True)
        elif not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such store")
        # SQLite may answer "database is locked" at once, without its busy timeout, while another process
        # creates the file, switches it to WAL or recovers its WAL: creating a store happens under the
        # writer lock, and an open that meets such an answer tries again for up to OPEN_RETRY_S
        deadline = time.monotonic() + OPEN_RETRY_S
        while True:
            try:
                if not readonly and _being_created(self.path):
                    with self.writer():
                        self._migrate()
                else:
                    self._migrate()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise StoreError(f"{self.path}: not a crosswire store ({exc})") from exc
                self.close()
                time.sleep(0.05)
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path}: not a crosswire store ({exc})") from exc

    # -- connections -----------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            uri = f"file:{self.path}?mode=ro" if self.readonly else f"file:{self.path}"
            c = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
            c.row_factory = sqlite3.Row
            c.execute("PRAGMA foreign_keys=ON")
            if not self.readonly:
                c.execute("PRAGMA journal_mode=WAL")
                c.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = c
        return c

    def close(self) -> None:
        c = getattr(self._local, "conn", None)
        if c is not None:
            c.close()
            self._local.conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self._writer.release()
        self.close()

    @contextmanager
    def writer(self, on_wait=None) -> Iterator[Store]:
        """Be the store's one writer for the block (re-entrant; see lock.py). ``on_wait(holder)`` is
        called once when another process holds it and this one waits."""
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        self._writer.acquire(on_wait)
        try:
            yield self
        finally:
            self._writer.release()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        c = self.conn
        if c.in_transaction:  # nested: join the outer transaction
            yield c
            return
        c.execute("BEGIN IMMEDIATE")
        try:
            yield c
        except BaseException:
            c.execute("ROLLBACK")
            raise
        else:
            c.execute("COMMIT")

    def _migrate(self) -> None:
        c = self.conn
        version = c.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {version} is newer than this crosswire ({SCHEMA_VERSION})")
        if self.readonly:
            return
        for i in range(version, SCHEMA_VERSION):
            with self.transaction():
                if c.execute("PRAGMA user_version").fetchone()[0] > i:  # another process migrated meanwhile
                    continue
                for stmt in _split_sql(MIGRATIONS[i]):
                    c.execute(stmt)
                c.execute(f"PRAGMA user_version={i + 1}")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # -- writes ----------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def stored_ids(self, ids: list[str]) -> set[str]:
        """Which of these article ids are stored."""
        found: set[str] = set()
        for chunk in _chunks(list(dict.fromkeys(ids))):
            found.update(
                r[0] for r in self.conn.execute(f"SELECT id FROM articles WHERE id IN ({_marks(len(chunk))})", chunk)
            )
        return found

    def put_article(self, a: Article) -> bool:
        """Insert or update one article. Returns True if it was new."""
        new = not self.has_article(a.id)
        data = json.dumps(a.to_dict(), ensure_ascii=False)
        with self.transaction() as c:
            c.execute(
                """INSERT INTO articles(id, path, url, source, title, published, published_from, text, raw, duplicate_of, data)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(id) DO UPDATE SET path=excluded.path, url=excluded.url, source=excluded.source,
                     title=excluded.title, published=excluded.published, published_from=excluded.published_from,
                     text=excluded.text, raw=excluded.raw, duplicate_of=excluded.duplicate_of, data=excluded.data""",
                (
                    a.id,
                    a.path,
                    a.url,
                    a.source,
                    a.title,
                    a.published,
                    a.published_from,
                    a.text,
                    a.raw,
                    a.duplicate_of,
                    data,
                ),
            )
            if not new:  # (id is not indexed in articles_fts: this delete scans it, so only on updates)
                c.execute("DELETE FROM articles_fts WHERE id=?", (a.id,))
            c.execute("INSERT INTO articles_fts(id, title, text) VALUES (?,?,?)", (a.id, a.title or "", a.text))
        return new

    def put_timerefs(self, article_id: str, refs: list[TimeRef]) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO timerefs(article_id, data) VALUES (?,?)",
                (article_id, json.dumps([r.to_dict() for r in refs], ensure_ascii=False)),
            )

    def put_story(self, s: Story, articles: dict[str, Article] | None = None) -> None:
        """Insert or replace a story and its membership (articles must be stored first)."""
        arts = articles or {}
        dates = sorted(
            a.published[:10] for aid in s.articles if (a := arts.get(aid) or self.get_article(aid)) and a.published
        )
        outlets = sorted({a.source for aid in s.articles if (a := arts.get(aid) or self.get_article(aid)) and a.source})
        body = " ".join(x.text for x in s.summary) or " ".join(e.title for e in s.events)
        existed = self.conn.execute("SELECT 1 FROM stories WHERE id=?", (s.id,)).fetchone() is not None
        with self.transaction() as c:
            c.execute(
                """INSERT INTO stories(id, title, topic, size, first_date, last_date, outlets, data, updated)
                   VALUES (?,?,?,?,?,?,?,?,datetime('now'))
                   ON CONFLICT(id) DO UPDATE SET title=excluded.title, topic=excluded.topic, size=excluded.size,
                     first_date=excluded.first_date, last_date=excluded.last_date, outlets=excluded.outlets,
                     data=excluded.data, updated=excluded.updated""",
                (
                    s.id,
                    s.title,
                    s.topic,
                    len(s.articles),
                    dates[0] if dates else None,
                    dates[-1] if dates else None,
                    json.dumps(outlets),
                    json.dumps(s.to_dict(), ensure_ascii=False),
                ),
            )
            c.execute("DELETE FROM story_articles WHERE story_id=?", (s.id,))
            c.executemany(
                "INSERT OR IGNORE INTO story_articles(story_id, article_id) VALUES (?,?)",
                [(s.id, a) for a in s.articles],
            )
            if existed:  # (id is not indexed in stories_fts: this delete scans it, so only on updates)
                c.execute("DELETE FROM stories_fts WHERE id=?", (s.id,))
            c.execute("INSERT INTO stories_fts(id, title, body) VALUES (?,?,?)", (s.id, s.title, body))
            self._index_story_search(c, s, arts)
            c.execute("DELETE FROM story_facets WHERE story_id=?", (s.id,))
            facets = {("outlet", o) for o in outlets}
            facets |= {("entity", n) for e in s.entities for n in [e.name, *e.aliases] if n}
            c.executemany(
                "INSERT OR IGNORE INTO story_facets(story_id, kind, value) VALUES (?, ?, lower(?))",
                [(s.id, k, v) for k, v in sorted(facets)],
            )

    def _index_story_search(self, c: sqlite3.Connection, s: Story, arts: dict[str, Article]) -> None:
        """story_search row of a story (rowid = the story's rowid): its title, article titles and texts."""
        rowid = c.execute("SELECT rowid FROM stories WHERE id=?", (s.id,)).fetchone()[0]
        parts = []
        for aid in s.articles:
            a = arts.get(aid) or self.get_article(aid)
            if a:
                parts.append(f"{a.title or ''} {a.text}")
        c.execute("DELETE FROM story_search WHERE rowid=?", (rowid,))
        c.execute("INSERT INTO story_search(rowid, title, body) VALUES (?,?,?)", (rowid, s.title, " ".join(parts)))

    def delete_story(self, story_id: str) -> None:
        with self.transaction() as c:
            row = c.execute("SELECT rowid FROM stories WHERE id=?", (story_id,)).fetchone()
            if row:
                c.execute("DELETE FROM story_search WHERE rowid=?", (row[0],))
            c.execute("DELETE FROM story_facets WHERE story_id=?", (story_id,))
            c.execute("DELETE FROM story_articles WHERE story_id=?", (story_id,))
            c.execute("DELETE FROM stories WHERE id=?", (story_id,))
            c.execute("DELETE FROM stories_fts WHERE id=?", (story_id,))

    def put_rejection(self, r: Rejection) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO rejected(path, reason) VALUES (?,?)", (r.path, r.reason))

    def save_dossier(self, d: Dossier) -> dict[str, int]:
        """Store a whole dossier in one transaction, as the store's writer. Returns counts of new rows."""
        by_id = {a.id: a for a in d.articles}
        new_articles = 0
        with self.writer(), self.transaction():
            for a in d.articles:
                new_articles += self.put_article(a)
            for aid, refs in d.timerefs.items():
                if aid in by_id:
                    self.put_timerefs(aid, refs)
            for s in d.stories:
                self.put_story(s, by_id)
            for r in d.rejected:
                self.put_rejection(r)
        return {"articles_new": new_articles, "stories": len(d.stories)}

    def set_state(self, key: str, value: Any) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?,?)", (key, json.dumps(value)))

    def get_state(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM state WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    # -- reads -----------------------------------------------------------
    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT data, raw FROM articles WHERE id=?", (article_id,)).fetchone()
        if not row:
            return None
        a = Article.from_dict(json.loads(row["data"]))
        a.raw = row["raw"] or ""
        return a

    def articles(self) -> list[Article]:
        rows = self.conn.execute("SELECT data, raw FROM articles ORDER BY published, id").fetchall()
        out = []
        for r in rows:
            a = Article.from_dict(json.loads(r["data"]))
            a.raw = r["raw"] or ""
            out.append(a)
        return out

    def get_articles(self, ids: list[str], *, raw: bool = True) -> dict[str, Article]:
        """The stored articles with these ids (in the order asked), in few queries; ``raw=False``
        leaves the raw text out (the pages never show it)."""
        found: dict[str, Article] = {}
        cols = "id, data, raw" if raw else "id, data, NULL"
        for chunk in _chunks(list(dict.fromkeys(ids))):
            for aid, data, raw_text in self.conn.execute(
                f"SELECT {cols} FROM articles WHERE id IN ({_marks(len(chunk))})", chunk
            ):
                a = Article.from_dict(json.loads(data))
                a.raw = raw_text or ""
                found[aid] = a
        return {aid: found[aid] for aid in ids if aid in found}

    def article_ids(self) -> list[str]:
        """Every article id in the order the articles were first stored."""
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY rowid")]

    def story_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM stories ORDER BY id")]

    def has_story(self, story_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM stories WHERE id=?", (story_id,)).fetchone() is not None

    def count_copies(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]

    def count_outlet_articles(self, outlet: str) -> int:
        return self.conn.execute("SELECT count(*) FROM articles WHERE source=?", (outlet,)).fetchone()[0]

    def count(self, table: str) -> int:
        if table not in {"articles", "stories", "rejected", "story_articles"}:
            raise ValueError(table)
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def get_story(self, story_id: str, *, prefix: bool = True) -> Story | None:
        """The story with this id, or (``prefix``) the one story whose id starts with it.

        An id prefix that more than one story has raises AmbiguousIdError naming them."""
        row = self.conn.execute("SELECT data FROM stories WHERE id=?", (story_id,)).fetchone()
        if not row and prefix and story_id:
            rows = self.conn.execute(
                "SELECT id, data FROM stories WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 11",
                (like_prefix(story_id),),
            ).fetchall()
            if len(rows) > 1:
                raise AmbiguousIdError("story", story_id, [r["id"] for r in rows])
            row = rows[0] if rows else None
        return Story.from_dict(json.loads(row["data"])) if row else None

    def get_timerefs(self, article_id: str) -> list[TimeRef]:
        row = self.conn.execute("SELECT data FROM timerefs WHERE article_id=?", (article_id,)).fetchone()
        return [TimeRef.from_dict(t) for t in json.loads(row["data"])] if row else []

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet with its number of articles, most first."""
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                "SELECT source, count(*) FROM articles WHERE source IS NOT NULL GROUP BY source ORDER BY count(*) DESC, source"
            )
        ]

    def articles_of_outlet(self, outlet: str, limit: int = 200) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.conn.execute(
                "SELECT id, title, published, duplicate_of FROM articles WHERE source=? ORDER BY published DESC, id LIMIT ?",
                (outlet, limit),
            )
        ]

    def copies_of(self, article_id: str) -> list[dict[str, Any]]:
        """Articles stored as near-copies of this one (id, title, source, published)."""
        return [
            dict(r)
            for r in self.conn.execute(
                "SELECT id, title, source, published FROM articles WHERE duplicate_of=? ORDER BY published, id",
                (article_id,),
            )
        ]

    def stories_of_article(self, article_id: str) -> list[str]:
        return [
            r[0] for r in self.conn.execute("SELECT story_id FROM story_articles WHERE article_id=?", (article_id,))
        ]

    def rejected(self) -> list[Rejection]:
        return [
            Rejection(r["path"], r["reason"])
            for r in self.conn.execute("SELECT path, reason FROM rejected ORDER BY at")
        ]


def _split_sql(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip() and not s.strip().startswith("--")]
