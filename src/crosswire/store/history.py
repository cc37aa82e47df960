"""The store's tables for each story's history (see crosswire.run.history for what is kept and why):
``story_state`` holds the latest compact state of a story, ``story_changes`` one row per version that
changed something. A mixin of ``Store``; all SQL stays in the store package."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any


class HistoryTables:
    """Mixed into Store, which provides ``conn`` and ``transaction()``."""

    conn: sqlite3.Connection
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]

    def story_state(self, story_id: str) -> tuple[int, str, dict[str, Any]] | None:
        """(version, at, state) of the story's latest recorded version, or None before the first."""
        row = self.conn.execute("SELECT version, at, data FROM story_state WHERE story_id=?", (story_id,)).fetchone()
        return (row[0], row[1], json.loads(row[2])) if row else None

    def put_story_version(
        self, story_id: str, *, at: str, state: dict[str, Any], changes: dict[str, Any] | None
    ) -> int:
        """Record the story's new state. With ``changes``, a new version: its changes are appended.
        Without, the state is replaced and the version stays (nothing a reader would see changed).
        Returns the version number (1 for the first)."""
        with self.transaction() as c:
            row = c.execute("SELECT version FROM story_state WHERE story_id=?", (story_id,)).fetchone()
            version = (row[0] if row else 0) + (1 if changes is not None or row is None else 0)
            c.execute(
                "INSERT OR REPLACE INTO story_state(story_id, version, at, data) VALUES (?,?,?,?)",
                (story_id, version, at, json.dumps(state, ensure_ascii=False, separators=(",", ":"))),
            )
            if changes is not None:
                c.execute(
                    "INSERT OR REPLACE INTO story_changes(story_id, version, at, data) VALUES (?,?,?,?)",
                    (story_id, version, at, json.dumps(changes, ensure_ascii=False, separators=(",", ":"))),
                )
        return version

    def story_changes(self, story_id: str, *, since: str | None = None) -> list[dict[str, Any]]:
        """The story's versions in order (version, at, changes), only those recorded after ``since`` if given."""
        sql = "SELECT version, at, data FROM story_changes WHERE story_id=?"
        params: list[Any] = [story_id]
        if since:
            sql += " AND at > ?"
            params.append(since)
        rows = self.conn.execute(sql + " ORDER BY version", params).fetchall()
        return [{"version": r[0], "at": r[1], "changes": json.loads(r[2])} for r in rows]

    def story_id_for(self, prefix: str) -> str | None:
        """The id of the story with this id, or the one story whose id starts with it."""
        row = self.conn.execute("SELECT id FROM stories WHERE id=?", (prefix,)).fetchone()
        if row:
            return row[0]
        rows = self.conn.execute(
            "SELECT id FROM stories WHERE substr(id, 1, ?) = ? LIMIT 2", (len(prefix), prefix)
        ).fetchall()
        return rows[0][0] if len(rows) == 1 else None
