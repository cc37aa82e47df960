"""The store's model cache: sentence vectors and spaCy parses by text hash (migration 10).

``crosswire.nlp.Language`` looks here before running a model and writes what it computed,
so a text is embedded (and an article parsed) once for the life of the store: re-runs of
``analyze``, ``ingest`` and the re-analysis of a story that gained an article read them back.
Rows are keyed by (model, key): vectors of two encoders, or parses of two pipelines, never mix.
Several processes may read and write at once (WAL; a write is one short transaction).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

CHUNK = 500  # keys per SELECT (SQLite's bound-parameter limit is far above)


class ModelCacheMixin:
    """Implements ``crosswire.nlp.ModelCache`` on a Store (needs ``conn`` and ``transaction``)."""

    conn: sqlite3.Connection
    readonly: bool

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:  # provided by Store
        raise NotImplementedError

    def _cached(self, table: str, column: str, model: str, keys: Sequence[bytes]) -> Iterator[tuple[bytes, Any]]:
        uniq = list(dict.fromkeys(keys))
        for i in range(0, len(uniq), CHUNK):
            part = uniq[i : i + CHUNK]
            marks = ",".join("?" * len(part))
            try:
                rows = self.conn.execute(
                    f"SELECT key, {column} FROM {table} WHERE model=? AND key IN ({marks})", [model, *part]
                ).fetchall()
            except sqlite3.OperationalError:  # a read-only store of an older schema has no cache
                return
            yield from rows

    def get_vectors(self, model: str, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        return {
            bytes(k): np.frombuffer(v, dtype=np.float32).copy()
            for k, v in self._cached("embeddings", "vector", model, keys)
        }

    def put_vectors(self, model: str, items: Mapping[bytes, np.ndarray]) -> None:
        if self.readonly or not items:
            return
        rows = [(model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()]
        with self.transaction() as c:
            c.executemany("INSERT OR IGNORE INTO embeddings(model, key, vector) VALUES (?,?,?)", rows)

    def get_parses(self, model: str, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        return {bytes(k): bytes(v) for k, v in self._cached("parses", "doc", model, keys)}

    def put_parses(self, model: str, items: Mapping[bytes, bytes]) -> None:
        if self.readonly or not items:
            return
        with self.transaction() as c:
            c.executemany(
                "INSERT OR IGNORE INTO parses(model, key, doc) VALUES (?,?,?)",
                [(model, k, v) for k, v in items.items()],
            )

    def cache_counts(self) -> dict[str, int]:
        """Rows in the model cache: {"embeddings": n, "parses": m}."""
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("embeddings", "parses")}
