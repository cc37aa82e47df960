"""The Parquet output of a batch run and its manifest of finished shards.

Layout under the output folder::

    articles/<shard_id>/part-<hash>.parquet     one row per article (cleaned text, metadata, raw)
    sentences/<shard_id>/part-<hash>.parquet    one row per sentence (character offsets into text)
    entities/<shard_id>/part-<hash>.parquet     one row per named-entity mention
    embeddings/<shard_id>/part-<hash>.parquet   one 384-d MiniLM vector per article
    docs/<shard_id>/part-<hash>.parquet         spaCy Doc bytes per article (reused by the story stage)
    manifest/<shard_id>.json                    written last: the shard is finished

Part names are content hashes of the article ids they hold and every file is
written under a temporary name and renamed, so a re-run after a kill rewrites
the same files instead of adding copies; a shard without a manifest entry has
its folders cleared before it is processed again.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crosswire.model import stable_id
from crosswire.run.batch.stages import EMBED_DIM, TIMINGS

TABLES = ("articles", "sentences", "entities", "embeddings", "docs")

ARTICLES_SCHEMA = pa.schema(
    [
        ("shard_id", pa.string()),
        ("seq", pa.int64()),
        ("id", pa.string()),
        ("url", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("published", pa.string()),
        ("format", pa.string()),
        ("text", pa.large_string()),
        ("raw", pa.large_string()),
        ("data", pa.large_string()),
    ]
)
SENTENCES_SCHEMA = pa.schema(
    [
        ("shard_id", pa.string()),
        ("article_id", pa.string()),
        ("i", pa.int32()),
        ("start", pa.int32()),
        ("end", pa.int32()),
    ]
)
ENTITIES_SCHEMA = pa.schema(
    [
        ("shard_id", pa.string()),
        ("article_id", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("label", pa.string()),
        ("text", pa.string()),
    ]
)
EMBEDDINGS_SCHEMA = pa.schema(
    [("shard_id", pa.string()), ("article_id", pa.string()), ("vector", pa.list_(pa.float32(), EMBED_DIM))]
)
DOCS_SCHEMA = pa.schema([("shard_id", pa.string()), ("article_id", pa.string()), ("doc", pa.large_binary())])
SCHEMAS = {
    "articles": ARTICLES_SCHEMA,
    "sentences": SENTENCES_SCHEMA,
    "entities": ENTITIES_SCHEMA,
    "embeddings": EMBEDDINGS_SCHEMA,
    "docs": DOCS_SCHEMA,
}

REPORT_SCHEMA = pa.schema(
    [("shard_id", pa.string()), ("kind", pa.string()), ("n", pa.int64()), ("problems", pa.string())]
    + [(t, pa.float64()) for t in TIMINGS]
)


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def write_rows(batch: pa.Table, out_dir: str) -> pa.Table:
    """Write the article rows of a batch as Parquet parts, per shard; return one report row per shard."""
    rows = batch.to_pylist()
    by_shard: dict[str, list[dict[str, Any]]] = {}
    reports: list[dict[str, Any]] = []
    for r in rows:
        if r["kind"] == "end":
            reports.append(
                {
                    "shard_id": r["shard_id"],
                    "kind": "end",
                    "n": r["n"],
                    "problems": r["problems"],
                    **{t: 0.0 for t in TIMINGS},
                }
            )
        else:
            by_shard.setdefault(r["shard_id"], []).append(r)
    for shard_id, group in by_shard.items():
        ok = [r for r in group if r["kind"] == "article"]
        failed = [p for r in group if r["kind"] == "failed" for p in json.loads(r["problems"])]
        if ok:
            _write_parts(shard_id, ok, Path(out_dir))
        reports.append(
            {
                "shard_id": shard_id,
                "kind": "written",
                "n": len(group),
                "problems": json.dumps(failed),
                **{t: float(sum(r[t] for r in group)) for t in TIMINGS},
            }
        )
    return pa.Table.from_pylist(reports, schema=REPORT_SCHEMA)


def _write_parts(shard_id: str, rows: list[dict[str, Any]], out: Path) -> None:
    cols: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for r in rows:
        a = json.loads(r["article"])
        aid = a["id"]
        cols["articles"].append(
            {
                "shard_id": shard_id,
                "seq": r["seq"],
                "id": aid,
                "url": a.get("url"),
                "source": a.get("source"),
                "title": a.get("title"),
                "published": a.get("published"),
                "format": a.get("format"),
                "text": a["text"],
                "raw": r["raw"],
                "data": r["article"],
            }
        )
        for i, (s, e) in enumerate(json.loads(r["sentences"])):
            cols["sentences"].append({"shard_id": shard_id, "article_id": aid, "i": i, "start": s, "end": e})
        for s, e, label, text in json.loads(r["entities"]):
            cols["entities"].append(
                {"shard_id": shard_id, "article_id": aid, "start": s, "end": e, "label": label, "text": text}
            )
        cols["embeddings"].append({"shard_id": shard_id, "article_id": aid, "vector": r["embedding"]})
        cols["docs"].append({"shard_id": shard_id, "article_id": aid, "doc": r["doc"]})
    part = stable_id("part-", shard_id, *sorted(str(r["seq"]) for r in rows))
    for name, items in cols.items():
        _write(pa.Table.from_pylist(items, schema=SCHEMAS[name]), out / name / shard_id / f"{part}.parquet")


# -------------------------------------------------------------- manifest
class Manifest:
    """Which shards of an output folder are finished (one small JSON file per shard)."""

    def __init__(self, out_dir: str | Path):
        self.root = Path(out_dir)
        self.dir = self.root / "manifest"

    def done(self) -> dict[str, dict[str, Any]]:
        entries = {}
        if self.dir.is_dir():
            for f in sorted(self.dir.glob("*.json")):
                try:
                    entry = json.loads(f.read_text(encoding="utf-8"))
                except (OSError, json.JSONDecodeError):
                    continue  # a half-written entry: the shard runs again
                entries[entry["shard_id"]] = entry
        return entries

    def clear(self, shard_id: str) -> None:
        """Remove what an unfinished earlier run left of a shard."""
        (self.dir / f"{shard_id}.json").unlink(missing_ok=True)
        for name in TABLES:
            shutil.rmtree(self.root / name / shard_id, ignore_errors=True)

    def mark_done(
        self, shard_id: str, path: str, size: int, articles: int, problems: list[list[str]], seconds: dict[str, float]
    ) -> dict[str, Any]:
        entry = {
            "shard_id": shard_id,
            "path": path,
            "size": size,
            "articles": articles,
            "problems": problems,
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "seconds": seconds,
        }
        self.dir.mkdir(parents=True, exist_ok=True)
        target = self.dir / f"{shard_id}.json"
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(json.dumps(entry, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
        return entry


def read_table(out_dir: str | Path, name: str, shard_ids: list[str], columns: list[str] | None = None) -> pa.Table:
    """One output table for the given shards (in shard order)."""
    parts = []
    for sid in shard_ids:
        folder = Path(out_dir) / name / sid
        if folder.is_dir():
            for f in sorted(folder.glob("*.parquet")):
                parts.append(pq.read_table(f, columns=columns))
    if not parts:
        schema = SCHEMAS[name] if columns is None else pa.schema([SCHEMAS[name].field(c) for c in columns])
        return schema.empty_table()
    return pa.concat_tables(parts)
