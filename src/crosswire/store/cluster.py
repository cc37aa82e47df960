"""The online clusterer's saved state and the copy index, as Store methods (all of their SQL).

Tables (migrations 3 and 9): ``cluster_centroids`` (one row per story or topic centroid: the whole
state as JSON in ``data``, and apart from it the ``head`` without terms, the embedding sum ``vec``
as float32 bytes and ``closed``), ``cluster_df`` (document frequencies per term), ``article_vectors``
(each article's clustering vector, its story and the clusterer's counter when it arrived),
``copy_bands`` (each article's LSH band keys for copy detection) and the ``state`` rows
``stories.clusterer`` (the clusterer's header) and ``stories.pending`` (stories waiting for analysis).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from crosswire.group.online import Centroid

HEADER = "stories.clusterer"
PENDING = "stories.pending"
_CHUNK = 500  # ids per IN (...) query


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class ClusterTables:
    """Mixed into Store: reads and writes of the clusterer's state and the copy index."""

    conn: sqlite3.Connection

    def get_state(self, key: str, default: Any = None) -> Any:  # (defined in db.py)
        raise NotImplementedError

    # -- the clusterer ------------------------------------------------------
    def cluster_header(self) -> dict[str, Any] | None:
        """The clusterer's counters and parameters; None when no ingest has run on this store."""
        return self.get_state(HEADER)

    def cluster_heads(self) -> list[Centroid]:
        """Every open centroid, without its terms (they are read by ``cluster_centroid`` when needed)."""
        out = []
        rows = self.conn.execute(
            "SELECT head, vec, CASE WHEN vec IS NULL THEN json_extract(data, '$.vec') END "
            "FROM cluster_centroids WHERE closed = 0"
        )
        for head, blob, vec_json in rows:
            if blob is not None:
                vec = np.frombuffer(blob, dtype=np.float32).copy()
            else:  # written before migration 9: the sum is only in the JSON state
                vec = None if vec_json is None else np.asarray(json.loads(vec_json), dtype=np.float32)
            out.append(Centroid.from_head(json.loads(head), vec))
        return out

    def cluster_centroid(self, cid: str) -> Centroid | None:
        """One centroid with its terms."""
        row = self.conn.execute("SELECT data FROM cluster_centroids WHERE id=?", (cid,)).fetchone()
        return Centroid.from_state(json.loads(row[0])) if row else None

    def cluster_centroids(self) -> list[Centroid]:
        """Every centroid with its terms (for ``crosswire check``)."""
        return [Centroid.from_state(json.loads(r[0])) for r in self.conn.execute("SELECT data FROM cluster_centroids")]

    def cluster_df(self, kind: str, terms: Iterable[str]) -> dict[str, int]:
        """Document frequencies of the given terms (``kind`` words or names); unknown terms are left out."""
        out: dict[str, int] = {}
        for chunk in _chunks(sorted(set(terms))):
            q = f"SELECT term, df FROM cluster_df WHERE kind=? AND term IN ({_marks(len(chunk))})"
            out.update(self.conn.execute(q, [kind, *chunk]).fetchall())
        return out

    def cluster_df_all(self, kind: str) -> dict[str, int]:
        return dict(self.conn.execute("SELECT term, df FROM cluster_df WHERE kind=?", (kind,)).fetchall())

    def save_cluster_step(
        self, header: dict[str, Any], words: Iterable[str], names: Iterable[str], centroids: Iterable[Centroid]
    ) -> None:
        """One article's change to the clusterer: its terms' document frequencies, the centroids it
        changed and the header (call inside the caller's transaction)."""
        c = self.conn
        c.executemany(
            "INSERT INTO cluster_df(kind, term, df) VALUES (?,?,1) ON CONFLICT(kind, term) DO UPDATE SET df=df+1",
            [("words", t) for t in words] + [("names", t) for t in names],
        )
        for cen in centroids:
            state = cen.to_state()
            c.execute(
                "INSERT OR REPLACE INTO cluster_centroids(id, kind, data, closed, head, vec) VALUES (?,?,?,?,?,?)",
                (
                    cen.id,
                    "story" if cen.id.startswith("s_") else "topic",
                    json.dumps(state),
                    int(cen.closed),
                    json.dumps(cen.head_state()),
                    None if cen.vec is None else np.asarray(cen.vec, dtype=np.float32).tobytes(),
                ),
            )
        c.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?,?)", (HEADER, json.dumps(header)))

    def put_article_vector(self, article_id: str, story_id: str, seq: int, vec: np.ndarray, clustered: bool) -> None:
        """An article's place: its story, the clusterer's counter, its vector, and whether the clusterer
        counted it (False for a copy that joined its original's story)."""
        self.conn.execute(
            "INSERT OR REPLACE INTO article_vectors(article_id, story_id, seq, data, clustered) VALUES (?,?,?,?,?)",
            (article_id, story_id, seq, np.asarray(vec, dtype=np.float32).tobytes(), int(clustered)),
        )

    def article_vectors(self, ids: Iterable[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            q = f"SELECT article_id, data FROM article_vectors WHERE article_id IN ({_marks(len(chunk))})"
            for aid, blob in self.conn.execute(q, chunk):
                out[aid] = np.frombuffer(blob, dtype=np.float32)
        return out

    def assigned_to(self, story_id: str) -> list[str]:
        """The ids of the articles the clusterer put into a story (copies included)."""
        q = "SELECT article_id FROM article_vectors WHERE story_id=? ORDER BY article_id"
        return [r[0] for r in self.conn.execute(q, (story_id,))]

    def assigned_stories(self, ids: Iterable[str]) -> dict[str, str]:
        """article id -> the story the clusterer put it in, for those of these ids it placed."""
        out: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            q = f"SELECT article_id, story_id FROM article_vectors WHERE article_id IN ({_marks(len(chunk))})"
            out.update(self.conn.execute(q, chunk).fetchall())
        return out

    def assignments(self) -> list[tuple[str, str, bool]]:
        """(article id, story id, counted by the clusterer) of every placed article, in store order."""
        rows = self.conn.execute(
            "SELECT v.article_id, v.story_id, v.clustered FROM article_vectors v JOIN articles a ON a.id = v.article_id "
            "ORDER BY a.rowid"
        )
        return [(r[0], r[1], bool(r[2])) for r in rows]

    def pending_stories(self) -> list[str]:
        return list(self.get_state(PENDING, []))

    def set_pending(self, story_ids: Iterable[str]) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO state(key, value) VALUES (?,?)", (PENDING, json.dumps(sorted(set(story_ids))))
        )

    def clear_cluster_state(self) -> None:
        """Forget the clusterer (centroids, frequencies, vectors, header): the next ingest replays the store."""
        c = self.conn
        for table in ("cluster_centroids", "cluster_df", "article_vectors"):
            c.execute(f"DELETE FROM {table}")
        c.execute("DELETE FROM state WHERE key IN (?, ?)", (HEADER, PENDING))

    # -- the copy index -------------------------------------------------------
    def copy_candidates(self, keys: list[int]) -> set[str]:
        if not keys:
            return set()
        q = f"SELECT DISTINCT article_id FROM copy_bands WHERE key IN ({_marks(len(keys))})"
        return {r[0] for r in self.conn.execute(q, keys)}

    def put_copy_bands(self, article_id: str, keys: list[int]) -> None:
        c = self.conn
        c.executemany("INSERT OR IGNORE INTO copy_bands(key, article_id) VALUES (?,?)", [(k, article_id) for k in keys])
        c.execute("UPDATE articles SET banded = 1 WHERE id=?", (article_id,))

    def clear_copy_bands(self) -> None:
        """Empty the copy index (``unbanded_articles`` then lists every article)."""
        self.conn.execute("DELETE FROM copy_bands")
        self.conn.execute("UPDATE articles SET banded = 0 WHERE banded != 0")

    def unbanded_articles(self) -> list[tuple[str, str]]:
        """(id, text) of the stored articles that are not in the copy index yet (stored by ``analyze``)."""
        return [
            (r[0], r[1]) for r in self.conn.execute("SELECT id, text FROM articles WHERE banded = 0 ORDER BY rowid")
        ]

    def copy_group(self, canonical: str) -> list[str]:
        """The ids stored as copies of ``canonical``."""
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE duplicate_of=?", (canonical,))]

    def duplicate_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            q = f"SELECT id, duplicate_of FROM articles WHERE id IN ({_marks(len(chunk))})"
            out.update(self.conn.execute(q, chunk).fetchall())
        return out
