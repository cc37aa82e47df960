"""JSON lines: one article per line. ``text`` is required; ``title``, ``source``, ``url`` and
``published`` (or ``date``) are optional; every other field is kept in ``Article.extra``.
A malformed line is rejected as ``file.jsonl:LINE`` and the good lines still count."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from crosswire.model import Article, Rejection
from crosswire.read.base import make_article
from crosswire.read.meta import UserMeta, normalise_date

KNOWN = ("text", "title", "source", "url", "published", "date")


def read_jsonl(stream: IO[bytes], path: str, user: UserMeta) -> Iterator[Article | Rejection]:
    from crosswire.read.sniff import decode

    for n, line_bytes in enumerate(stream, 1):
        line, _ = decode(line_bytes)
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(where, f"malformed JSON line ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield Rejection(where, f"JSON line is a {type(obj).__name__}, not an object")
            continue
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            yield Rejection(where, 'JSON line has no "text" string')
            continue
        published = obj.get("published", obj.get("date"))
        extra = {k: v for k, v in obj.items() if k not in KNOWN}
        if published is not None and normalise_date(published) is None:
            extra["published_unparsed"] = published  # kept, but never guessed at
            published = None
        yield make_article(
            text,
            path=where,
            file_path=path,
            fmt="jsonl",
            user=user,
            title=_str(obj.get("title")),
            url=_str(obj.get("url")),
            meta_source=_str(obj.get("source")),
            meta_published=published,
            extra=extra,
        )


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
