"""The queries of ``crosswire check`` (Store methods): membership and the clusterer's bookkeeping."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


class AuditQueries:
    """Mixed into Store: read-only questions about the store's consistency."""

    conn: sqlite3.Connection

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read in one transaction: every query inside sees the same state, even while a writer commits."""
        c = self.conn
        if c.in_transaction:
            yield
            return
        c.execute("BEGIN")
        try:
            yield
        finally:
            c.execute("COMMIT")

    def orphan_articles(self) -> list[str]:
        """Articles that belong to no story."""
        q = "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles) ORDER BY rowid"
        return [r[0] for r in self.conn.execute(q)]

    def empty_stories(self) -> list[str]:
        """Stories with no member article."""
        q = "SELECT id FROM stories WHERE id NOT IN (SELECT story_id FROM story_articles) ORDER BY id"
        return [r[0] for r in self.conn.execute(q)]

    def shared_articles(self) -> list[tuple[str, int]]:
        """Articles listed in more than one story, with how many."""
        q = "SELECT article_id, count(*) FROM story_articles GROUP BY article_id HAVING count(*) > 1 ORDER BY 1"
        return [(r[0], r[1]) for r in self.conn.execute(q)]

    def wrong_sizes(self) -> list[tuple[str, int, int]]:
        """Stories whose stored size is not their number of members: (id, size, members)."""
        q = (
            "SELECT s.id, s.size, count(sa.article_id) FROM stories s LEFT JOIN story_articles sa ON sa.story_id = s.id "
            "GROUP BY s.id HAVING s.size != count(sa.article_id) ORDER BY s.id"
        )
        return [(r[0], r[1], r[2]) for r in self.conn.execute(q)]

    def misplaced_articles(self) -> list[tuple[str, str, str | None]]:
        """Articles the clusterer put in one story that the stored stories list elsewhere (or nowhere):
        (article, the clusterer's story, a stored story or None)."""
        q = (
            "SELECT v.article_id, v.story_id, (SELECT min(sa.story_id) FROM story_articles sa "
            "WHERE sa.article_id = v.article_id) FROM article_vectors v "
            "WHERE NOT EXISTS (SELECT 1 FROM story_articles sa WHERE sa.article_id = v.article_id "
            "AND sa.story_id = v.story_id) ORDER BY v.article_id"
        )
        return [(r[0], r[1], r[2]) for r in self.conn.execute(q)]

    def unplaced_articles(self) -> list[str]:
        """Stored articles the clusterer never saw (no vector): stored by ``analyze`` into an ingest store."""
        q = "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM article_vectors) ORDER BY rowid"
        return [r[0] for r in self.conn.execute(q)]

    def stories_without_centroid(self) -> list[str]:
        q = "SELECT id FROM stories WHERE id NOT IN (SELECT id FROM cluster_centroids WHERE kind = 'story') ORDER BY id"
        return [r[0] for r in self.conn.execute(q)]

    def counted_members(self) -> dict[str, int]:
        """story id -> how many of its articles the clusterer counted (copies that joined are not counted)."""
        q = "SELECT story_id, count(*) FROM article_vectors WHERE clustered = 1 GROUP BY story_id"
        return {r[0]: r[1] for r in self.conn.execute(q)}

    def counted_articles(self) -> list[str]:
        """The ids of the articles the clusterer counted, in the order they were stored."""
        q = (
            "SELECT v.article_id FROM article_vectors v JOIN articles a ON a.id = v.article_id "
            "WHERE v.clustered = 1 ORDER BY a.rowid"
        )
        return [r[0] for r in self.conn.execute(q)]
