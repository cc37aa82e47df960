"""JSON lines: one article per line. ``text`` is required; ``title``, ``source``, ``url`` and
``published`` (or ``date``) are optional; every other field is kept in ``Article.extra``.
A bad line (malformed, over the article limit, undecodable, without text) is rejected as
``file.jsonl:LINE`` and the other lines still count. Lines are read with a bounded ``readline``,
so one huge line costs at most the article limit in memory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from crosswire.model import Article, Rejection
from crosswire.read.base import make_article
from crosswire.read.limits import MB, Limits
from crosswire.read.meta import UserMeta, normalise_date
from crosswire.read.sniff import decode, decode_error

KNOWN = ("text", "title", "source", "url", "published", "date")
_SKIP = 1 << 20  # bytes per read while skipping the rest of an over-long line


def read_jsonl(stream: IO[bytes], path: str, user: UserMeta, limits: Limits) -> Iterator[Article | Rejection]:
    """Every line of a binary stream (with ``readline(size)``); see the module docstring."""
    n = 0
    while True:
        line_bytes = stream.readline(limits.article_bytes + 1)
        if not line_bytes:
            return
        n += 1
        where = f"{path}:{n}"
        if len(line_bytes) > limits.article_bytes and not line_bytes.endswith(b"\n"):
            what = f"over the {limits.article_bytes / MB:g} MB limit for one article; skipped"
            yield Rejection(where, f"JSON line is {what}", "too_large")
            while (more := stream.readline(_SKIP)) and not more.endswith(b"\n"):
                pass  # the rest of the line, read and dropped piece by piece
            continue
        item = _parse_line(line_bytes, where, path, user)
        if item is not None:
            yield item


def _parse_line(line_bytes: bytes, where: str, path: str, user: UserMeta) -> Article | Rejection | None:
    try:
        line, _ = decode(line_bytes)
    except UnicodeDecodeError as exc:
        return Rejection(where, f"JSON line {decode_error(exc)}")
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejection(where, f"malformed JSON line ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return Rejection(where, "malformed JSON line (nested too deeply)")
    except ValueError as exc:  # e.g. a number with more digits than Python converts
        return Rejection(where, f"malformed JSON line ({exc})")
    if not isinstance(obj, dict):
        return Rejection(where, f"JSON line is a {type(obj).__name__}, not an object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return Rejection(where, 'JSON line has no "text" string')
    try:  # "\ud800" is valid JSON but no character: it could not be stored or compared
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        return Rejection(where, f"JSON line holds an unpaired surrogate escape ({exc.object[exc.start]!a})")
    published = obj.get("published", obj.get("date"))
    extra = {k: v for k, v in obj.items() if k not in KNOWN}
    if published is not None and normalise_date(published) is None:
        extra["published_unparsed"] = published  # kept, but never guessed at
        published = None
    return make_article(
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
