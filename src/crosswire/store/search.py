"""Finding stories in the store (Store methods): the story list, filters, full-text search with snippets."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

TITLE_WEIGHT = 10.0  # bm25 weight of a story title match against one in its articles' text
# sort orders and their covering indexes (SQLite sorts NULL lowest, so DESC puts unknown dates last)
ORDERS = {
    "recent": ("s.last_date DESC, s.size DESC, s.id", "stories_recent"),
    "size": ("s.size DESC, s.last_date DESC, s.id", "stories_size"),
    "oldest": ("s.first_date IS NULL, s.first_date, s.id", "stories_oldest"),
}


class SearchQueries:
    """Mixed into Store: read-only story lists and searches."""

    conn: sqlite3.Connection

    def list_stories(
        self, *, query: str | None = None, limit: int | None = None, offset: int = 0, order: str = "recent"
    ) -> list[dict[str, Any]]:
        """Story rows (id, title, topic, size, first_date, last_date, outlets, articles)."""
        order_sql = {"recent": "last_date DESC NULLS LAST, size DESC", "size": "size DESC, last_date DESC"}.get(
            order, "id"
        )
        params: list[Any] = []
        where = ""
        if query:
            where = "WHERE id IN (SELECT id FROM stories_fts WHERE stories_fts MATCH ? UNION SELECT sa.story_id FROM story_articles sa JOIN articles_fts f ON f.id = sa.article_id WHERE articles_fts MATCH ?)"
            q = fts_query(query)
            params += [q, q]
        sql = f"SELECT id, title, topic, size, first_date, last_date, outlets FROM stories {where} ORDER BY {order_sql}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        rows = self.conn.execute(sql, params).fetchall()
        return self._story_rows(rows)

    def _story_rows(self, rows) -> list[dict[str, Any]]:
        """Story list rows as dicts, with outlets decoded and the member article ids."""
        out = []
        for r in rows:
            d = dict(r)
            d["outlets"] = json.loads(d["outlets"])
            d["articles"] = [
                x[0]
                for x in self.conn.execute(
                    "SELECT article_id FROM story_articles WHERE story_id=? ORDER BY article_id", (r["id"],)
                )
            ]
            out.append(d)
        return out

    def find_stories(
        self,
        *,
        query: str | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        order: str = "recent",
        limit: int = 25,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """Filtered story rows (like list_stories) and the total count. Used by the web app.

        outlet: outlet name; entity: an entity name or alias (both case-insensitive, via story_facets;
        every name and alias of the entities it names counts, see entity_variants);
        date_from/date_to: the story's dates overlap [date_from, date_to]. order: recent | size | oldest,
        or relevance (FTS5 bm25, title matches weigh more; with a query only). With a query each row
        has a "snippet": a short passage around the first match (match_snippet).
        """
        if query:
            return self._search_stories(query, outlet, entity, date_from, date_to, order, limit, offset)
        # the dates as a set of rowids from a covering index: no story rows are read
        where, params = self._filters(outlet, entity, date_from, date_to, dates_indexed=True)
        where_sql = ("WHERE " + " AND ".join(where)) if where else ""
        order_sql, index = ORDERS.get(order, ORDERS["recent"])
        # walk the sort order's covering index, testing each story against the filters' rowid sets,
        # and stop at the page's last row: no story row is read until it is on the page
        from_sql = f"stories s INDEXED BY {index}" if where else "stories s"

        total = self.conn.execute(f"SELECT count(*) FROM {from_sql} {where_sql}", params).fetchone()[0]
        rows = self.conn.execute(
            f"SELECT s.id, s.title, s.topic, s.size, s.first_date, s.last_date, s.outlets FROM {from_sql} {where_sql} "
            f"ORDER BY {order_sql} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return self._story_rows(rows), total

    def _search_stories(
        self,
        query: str,
        outlet: str | None,
        entity: str | None,
        date_from: str | None,
        date_to: str | None,
        order: str,
        limit: int,
        offset: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """find_stories with a full-text query: ranked by bm25 (FTS5's rank, title weighted), or in a sort
        order by walking that order's covering index and testing each story against the match (as without
        a query). Only the page's rows are read."""
        match = fts_query(query)
        where, params = self._filters(outlet, entity, date_from, date_to, dates_indexed=False)
        filtered = f"SELECT s.rowid FROM stories s WHERE {' AND '.join(where)}" if where else None
        if filtered:
            total = self.conn.execute(
                f"SELECT count(*) FROM story_search WHERE story_search MATCH ? AND rowid IN ({filtered})",
                [match, *params],
            ).fetchone()[0]
        else:
            total = self.conn.execute(
                "SELECT count(*) FROM story_search WHERE story_search MATCH ?", [match]
            ).fetchone()[0]
        if order not in ("recent", "size", "oldest"):
            page = self.conn.execute(
                "SELECT rowid, rank FROM story_search WHERE story_search MATCH ? AND rank MATCH ? "
                + (f"AND rowid IN ({filtered}) " if filtered else "")
                + "ORDER BY rank LIMIT ? OFFSET ?",
                [match, f"bm25({TITLE_WEIGHT}, 1.0)", *params, limit, offset],
            ).fetchall()
        else:
            order_sql, index = ORDERS[order]
            page = self.conn.execute(
                f"SELECT s.rowid, NULL FROM stories s INDEXED BY {index} "
                f"WHERE s.rowid IN (SELECT rowid FROM story_search WHERE story_search MATCH ?) "
                + "".join(f"AND {w} " for w in where)
                + f"ORDER BY {order_sql} LIMIT ? OFFSET ?",
                [match, *params, limit, offset],
            ).fetchall()
        if not page:
            return [], total
        rowids = [r[0] for r in page]
        marks = ",".join("?" * len(rowids))
        rows = {
            r["rowid"]: r
            for r in self.conn.execute(
                "SELECT rowid, id, title, topic, size, first_date, last_date, outlets FROM stories "
                f"WHERE rowid IN ({marks})",
                rowids,
            )
        }
        texts = {
            r[0]: (r[1] or "", r[2] or "")
            for r in self.conn.execute(f"SELECT rowid, title, body FROM story_search WHERE rowid IN ({marks})", rowids)
        }
        words = query_words(query)
        out = self._story_rows([{k: rows[r][k] for k in rows[r].keys() if k != "rowid"} for r in rowids if r in rows])
        for d, (rowid, rank) in zip(out, page):
            d["rank"] = None if rank is None else -rank  # bm25: lower is better; a score: higher is better
            title, body = texts.get(rowid, ("", ""))
            d["snippet"] = match_snippet(body, words) or match_snippet(title, words)
        return out, total

    def entity_variants(self, name: str, max_stories: int = 200) -> list[str]:
        """Every lower-case name and alias of the entities called `name` (as a name or an alias) in stored
        stories, so that "Pelosi" and "Nancy Pelosi" find the same stories. A one-word name also matches
        the names that end with it ("Pelosi" -> "nancy pelosi")."""
        key = " ".join(name.lower().split())
        found = {key}
        if key and " " not in key:
            found |= {
                r[0]
                for r in self.conn.execute(
                    "SELECT DISTINCT value FROM story_facets WHERE kind = 'entity' AND value LIKE ? ESCAPE '\\' LIMIT 50",
                    ("% " + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"),),
                )
            }
        keys = sorted(found)
        rows = self.conn.execute(
            "SELECT DISTINCT lower(coalesce(json_extract(e.value, '$.name'), '')), json_extract(e.value, '$.aliases') "
            "FROM stories s, json_each(s.data, '$.entities') e "
            f"WHERE s.id IN (SELECT story_id FROM story_facets WHERE kind = 'entity' AND value IN ({','.join('?' * len(keys))}) LIMIT ?)",
            [*keys, max_stories],
        ).fetchall()
        for ent_name, aliases in rows:
            names = {ent_name, *(a.lower() for a in json.loads(aliases or "[]") if isinstance(a, str))}
            if names & set(keys):
                found |= {n for n in names if n}
        return sorted(found)

    def _filters(
        self, outlet: str | None, entity: str | None, date_from: str | None, date_to: str | None, *, dates_indexed: bool
    ) -> tuple[list[str], list[Any]]:
        """The WHERE terms (on stories ``s``) and their parameters of the outlet, entity and date filters."""
        where: list[str] = []
        params: list[Any] = []
        if outlet:
            where.append("s.id IN (SELECT story_id FROM story_facets WHERE kind = 'outlet' AND value = lower(?))")
            params.append(outlet)
        if entity:
            names = self.entity_variants(entity)
            marks = ",".join("?" * len(names))
            where.append(f"s.id IN (SELECT story_id FROM story_facets WHERE kind = 'entity' AND value IN ({marks}))")
            params += names
        if date_from or date_to:
            if dates_indexed:
                where.append(
                    "s.rowid IN (SELECT rowid FROM stories INDEXED BY stories_dates "
                    "WHERE last_date >= ? AND first_date <= ?)"
                )
            else:
                where.append("s.last_date >= ? AND s.first_date <= ?")
            params += [date_from or "", date_to or "9999"]
        return where, params


def query_words(text: str) -> list[str]:
    return [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]


def match_snippet(text: str, words: list[str], width: int = 220) -> str | None:
    """A passage of text around the first place a query word matches (as fts_query matches them: whole
    words, the last one as a prefix), the matched words between \x02 and \x03; None when none matches.
    Done here rather than with FTS5's snippet(), which reads every match of a common word in the whole
    story and costs hundreds of milliseconds on a big one."""
    if not words or not text:
        return None
    alts = [re.escape(w) + r"\b" for w in words[:-1]] + [re.escape(words[-1]) + r"\w*"]
    pattern = re.compile(r"\b(?:" + "|".join(alts) + ")", re.IGNORECASE)
    first = pattern.search(text)
    if first is None:
        return None
    start = max(0, first.start() - width // 3)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + width)
    end = text.rfind(" ", start, end) if end < len(text) and text.rfind(" ", start, end) > first.end() else end
    passage = pattern.sub(lambda m: "\x02" + m.group(0) + "\x03", text[start:end])
    return ("…" if start else "") + passage + ("…" if end < len(text) else "")


def fts_query(text: str) -> str:
    """Turn user words into a safe FTS5 query: every word must match (prefix match on the last)."""
    words = query_words(text)
    if not words:
        return '""'
    parts = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
    return " ".join(parts)
