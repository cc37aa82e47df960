"""The heavy stages as batch functions over Arrow tables: read, clean, language, embed, write.

The same callables run in one process (``crosswire.run.batch.local``) and as Ray
Data ``map_batches`` stages (``crosswire.run.batch.ray_run``); the model-holding
stages are classes, so Ray builds them once per worker actor, not per batch.

Rows carry a ``kind``: ``article`` (one article), ``failed`` (an article a stage
could not process; its reason rides along in ``problems``) or ``end`` (one per
shard, after its articles, with the number ``n`` of articles the shard yielded
and the shard's problems). The driver counts rows against the ``end`` row to
know when a shard is completely written. ``t_<stage>`` columns carry the CPU
seconds (``time.process_time``) each article spent in each stage.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from crosswire.group import article_embedding_text
from crosswire.model import Article, Rejection
from crosswire.run.batch.shards import read_shard

EMBED_DIM = 384
TIMINGS = ("t_read", "t_clean", "t_language", "t_embed")

BASE_FIELDS = [
    pa.field("shard_id", pa.string()),
    pa.field("kind", pa.string()),
    pa.field("seq", pa.int64()),  # the record's place in its shard
    pa.field("article", pa.large_string()),  # Article.to_dict() as JSON
    pa.field("raw", pa.large_string()),
    pa.field("n", pa.int64()),
    pa.field("problems", pa.string()),  # JSON list of [where, reason, kind]
] + [pa.field(t, pa.float64()) for t in TIMINGS]
LANGUAGE_FIELDS = [
    pa.field("sentences", pa.string()),  # JSON [[start, end], ...]
    pa.field("entities", pa.string()),  # JSON [[start, end, label, text], ...]
    pa.field("doc", pa.large_binary()),  # spaCy Doc.to_bytes (no tensor)
]
EMBED_FIELDS = [pa.field("embedding", pa.list_(pa.float32(), EMBED_DIM))]


def _schema(*groups) -> pa.Schema:
    return pa.schema([f for g in groups for f in g])


READ_SCHEMA = _schema(BASE_FIELDS)
LANGUAGE_SCHEMA = _schema(BASE_FIELDS, LANGUAGE_FIELDS)
EMBED_SCHEMA = _schema(BASE_FIELDS, LANGUAGE_FIELDS, EMBED_FIELDS)


def article_row(shard_id: str, seq: int, art: Article, t_read: float) -> dict[str, Any]:
    return {
        "shard_id": shard_id,
        "kind": "article",
        "seq": seq,
        "article": json.dumps(art.to_dict(), ensure_ascii=False),
        "raw": art.raw or "",
        "n": 0,
        "problems": "[]",
        "t_read": t_read,
        "t_clean": 0.0,
        "t_language": 0.0,
        "t_embed": 0.0,
    }


def row_article(row: dict[str, Any]) -> Article:
    art = Article.from_dict(json.loads(row["article"]))
    art.raw = row.get("raw") or ""
    return art


def problems_json(problems: list[Rejection]) -> str:
    return json.dumps([[p.path, p.reason, p.kind] for p in problems], ensure_ascii=False)


def _fail(row: dict[str, Any], stage: str, exc: BaseException) -> None:
    where = row.get("shard_id", "?")
    try:
        art = json.loads(row["article"])
        where = art.get("url") or art.get("path") or where
    except Exception:
        pass
    row["kind"] = "failed"
    row["problems"] = json.dumps([[where, f"{stage} failed: {type(exc).__name__}: {exc}", "failed"]])


# ------------------------------------------------------------------ read
def read_shards(
    batch: pa.Table, since: str | None = None, until: str | None = None, rows_per_block: int = 32
) -> Iterator[pa.Table]:
    """Input rows are (shard_id, path); yields blocks of article rows, then one ``end`` row per shard."""
    for shard_id, path in zip(batch.column("shard_id").to_pylist(), batch.column("path").to_pylist()):
        rows: list[dict[str, Any]] = []
        problems: list[Rejection] = []
        n = 0
        t0 = time.process_time()
        for item in read_shard(path, since=since, until=until):
            if isinstance(item, Rejection):
                problems.append(item)
                continue
            now = time.process_time()
            rows.append(article_row(shard_id, n, item, now - t0))
            n += 1
            if len(rows) >= rows_per_block:
                yield pa.Table.from_pylist(rows, schema=READ_SCHEMA)
                rows = []
            t0 = time.process_time()
        end = {
            "shard_id": shard_id,
            "kind": "end",
            "seq": n,
            "article": "",
            "raw": "",
            "n": n,
            "problems": problems_json(problems),
            "t_read": 0.0,
            "t_clean": 0.0,
            "t_language": 0.0,
            "t_embed": 0.0,
        }
        yield pa.Table.from_pylist(rows + [end], schema=READ_SCHEMA)


# ----------------------------------------------------------------- clean
def clean_rows(batch: pa.Table) -> pa.Table:
    from crosswire.clean.cleaner import clean_article
    from crosswire.clean.pages import page_rejection

    rows = batch.to_pylist()
    for row in rows:
        if row["kind"] != "article":
            continue
        t0 = time.process_time()
        try:
            art = clean_article(row_article(row))
            no = page_rejection(art)
            if no is not None:  # a crawl notice, a sign-in form ... where an article should be
                row["kind"] = "failed"
                row["problems"] = problems_json([no])
                row["t_clean"] = time.process_time() - t0
                continue
            row["article"] = json.dumps(art.to_dict(), ensure_ascii=False)
            row["raw"] = art.raw or ""
        except Exception as exc:  # one bad article must not sink the shard
            _fail(row, "clean", exc)
        row["t_clean"] = time.process_time() - t0
    return pa.Table.from_pylist(rows, schema=READ_SCHEMA)


# -------------------------------------------------------------- language
class LanguageStage:
    """spaCy over the cleaned text: sentences and entities (and the Doc, for the story stage)."""

    def __init__(self, lang=None, pipe_batch: int = 16):
        from crosswire.nlp import Language

        self.lang = lang or Language()
        _ = self.lang.spacy  # load now: once per actor
        self.pipe_batch = pipe_batch

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        todo = [r for r in rows if r["kind"] == "article"]
        texts = [json.loads(r["article"])["text"] for r in todo]
        t0 = time.process_time()
        try:
            docs = self.lang.parse_many(texts, batch_size=self.pipe_batch)
        except Exception:  # find the article that breaks the model; the others go on
            docs = []
            for r, text in zip(todo, texts):
                try:
                    docs.append(self.lang.parse(text))
                except Exception as exc:
                    _fail(r, "language", exc)
                    docs.append(None)
        each = (time.process_time() - t0) / max(1, len(todo))
        for r, doc in zip(todo, docs):
            r["t_language"] = each
            if doc is None:
                continue
            r["sentences"] = json.dumps([[s.start_char, s.end_char] for s in doc.sents])
            r["entities"] = json.dumps(
                [[e.start_char, e.end_char, e.label_, e.text] for e in doc.ents], ensure_ascii=False
            )
            r["doc"] = doc.to_bytes(exclude=["tensor", "user_data"])
        for r in rows:
            r.setdefault("sentences", "[]")
            r.setdefault("entities", "[]")
            r.setdefault("doc", b"")
        return pa.Table.from_pylist(rows, schema=LANGUAGE_SCHEMA)


# ----------------------------------------------------------------- embed
class EmbedStage:
    """One MiniLM vector per article, of exactly the text the story clusterer embeds."""

    def __init__(self, lang=None):
        from crosswire.nlp import Language

        self.lang = lang or Language()
        _ = self.lang.encoder  # load now: once per actor

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        todo = [r for r in rows if r["kind"] == "article"]
        t0 = time.process_time()
        vecs = self.lang.embed([article_embedding_text(row_article(r)) for r in todo]) if todo else None
        each = (time.process_time() - t0) / max(1, len(todo))
        zero = [0.0] * EMBED_DIM
        for i, r in enumerate(todo):
            r["embedding"] = vecs[i].tolist()
            r["t_embed"] = each
        for r in rows:
            r.setdefault("embedding", zero)
        return pa.Table.from_pylist(rows, schema=EMBED_SCHEMA)
