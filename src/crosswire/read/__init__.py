"""Readers, one per input format; ``read_paths`` is the entry point and yields Article or Rejection.

Formats are sniffed from content (sniff.py): plain text, saved HTML pages (html.py), RSS/Atom
feeds (feed.py), JSON lines (jsonl.py) and WARC files (warc.py), each gzipped or not. Every reader
gets a stream that is decompressed and capped while it is read (limits.py): a container at the file
limit, one article at the article limit, an article's text at the character limit. Directories
recurse (files.py; hidden entries are skipped). Every bad input, and every path that is not read,
gives ONE Rejection naming it (or ``file:LINE`` / ``file#entry-N`` / ``file#record-N``) and the
reason, and the batch goes on. ``crosswire analyze``, ``ingest``, the web upload and ``batch``
(run/batch/shards.py) all read through ``read_file``. Source and date resolution: see meta.py.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

from crosswire.errors import InputError
from crosswire.model import Article, Rejection
from crosswire.read.base import make_article
from crosswire.read.files import list_files
from crosswire.read.limits import MB, Gunzip, Limits, TooLarge, buffered, read_at_most
from crosswire.read.meta import UserMeta, load_sidecar, normalise_date
from crosswire.read.sniff import HEAD_BYTES, UTF16_BOMS, decode, decode_error, signature, sniff
from crosswire.read.warc import NOT_ARTICLES
from crosswire.settings import Settings

__all__ = ["read_paths", "read_file", "list_files", "Limits", "UserMeta", "normalise_date", "NOT_ARTICLES"]

Progress = Callable[[str, int, int], None]
# Formats that hold one article per file; containers (jsonl, feed, warc) hold many.
SINGLE = ("text", "html")


def read_paths(
    paths: Sequence[str],
    *,
    source: str | None = None,
    published: str | None = None,
    sidecar: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Iterator[Article | Rejection]:
    """Read every path; yield an Article per article found and a Rejection per bad input.

    WARC records that are not articles by nature (images, redirects) are left out silently."""
    settings = settings or Settings.load()
    user = UserMeta(source=source or None)
    if published:
        user.published = normalise_date(published)
        if user.published is None:
            yield Rejection("--published", f"{published!r} is not an ISO date (YYYY-MM-DD); dates stay unknown")
    if sidecar:
        try:
            user.sidecar = load_sidecar(sidecar, max_bytes=int(settings.max_file_mb * MB))
        except InputError as exc:
            yield Rejection(exc.path, exc.reason)
    files, skipped = list_files(paths)
    yield from skipped
    limits = Limits.of(settings)
    for i, f in enumerate(files):
        shown = not_articles = 0
        for item in read_file(f, user=user, settings=settings, limits=limits):
            if isinstance(item, Rejection) and item.kind in NOT_ARTICLES:
                not_articles += 1
                continue
            shown += 1
            yield item
        if not shown:  # a WARC of images and redirects: still one line, not silence
            yield Rejection(str(f), f"no article in it: its {not_articles} records are not HTML pages", "no_text")
        if progress:
            progress("read", i + 1, len(files))


def read_file(
    f: Path, *, user: UserMeta, settings: Settings, limits: Limits | None = None
) -> Iterator[Article | Rejection]:
    """Read one file of any format (never raises on bad input: every problem is a Rejection)."""
    limits = limits or Limits.of(settings)
    path = str(f)
    n = 0
    try:
        for item in _read_file(f, path, user, limits):
            if isinstance(item, Article) and len(item.raw) > limits.article_chars:
                item = Rejection(
                    item.path or path,
                    f"article text is {len(item.raw):,} characters, over the {limits.article_chars:,}-character "
                    "limit for one article",
                    "too_large",
                )
            elif isinstance(item, Rejection):  # one line, whatever a library put in its message
                item.reason = " ".join(item.reason.split())
            n += 1
            yield item
        if n == 0:
            yield Rejection(path, "no article found in it", "no_text")
    except TooLarge as exc:
        rest = "; the articles before the limit were read, the rest is skipped" if exc.what.startswith("a file") else ""
        yield Rejection(path, f"too large: {exc}, counted while reading (decompressed){rest}", "too_large")
    except (OSError, EOFError, zlib.error) as exc:
        yield Rejection(path, f"cannot be read, or truncated ({type(exc).__name__}: {exc})", "truncated")
    except Exception as exc:  # a reader's bug must not stop the batch: say which file, go on
        yield Rejection(path, f"reader failed ({type(exc).__name__}: {exc})", "failed")


def _read_file(f: Path, path: str, user: UserMeta, limits: Limits) -> Iterator[Article | Rejection]:
    try:
        size = f.stat().st_size
        with open(f, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        yield Rejection(path, f"cannot be read ({exc.strerror or exc})", "unreadable")
        return
    if not head.strip():
        yield Rejection(path, "empty file", "empty")
        return
    gz = head.startswith(b"\x1f\x8b")
    name = f.name[:-3] if gz and f.name.endswith(".gz") else f.name
    if gz:
        try:
            head = _gunzip_head(f)
        except zlib.error as exc:
            yield Rejection(path, f"corrupt gzip file ({exc})", "corrupt")
            return
        if not head.strip():
            yield Rejection(path, "empty file once decompressed", "empty")
            return
    fmt = sniff(head, name)
    if gz and fmt in ("binary", "known-binary", "unknown-xml", "gzip", "empty"):
        inner = signature(head) or {"unknown-xml": "XML", "gzip": "gzip"}.get(fmt, fmt)
        yield Rejection(path, f"unknown format: gzip-compressed {inner} file, not an article format", "format")
        return
    if fmt == "binary":
        yield Rejection(path, "binary file, not text, HTML, a feed, JSON lines or WARC", "format")
        return
    if fmt == "known-binary":
        yield Rejection(path, f"unknown format: {signature(head)}, not an article format", "format")
        return
    if fmt == "unknown-xml":
        yield Rejection(path, "unknown format: XML that is neither an RSS/Atom feed nor HTML", "format")
        return
    single = fmt in SINGLE
    limit = limits.article_bytes if single else limits.file_bytes
    what = "one article" if single else "a file"
    if not gz and limit is not None and size > limit:  # known before reading: say the size
        yield Rejection(
            path, f"too large: {size / MB:.1f} MB is over the {limit / MB:g} MB limit for {what} ({fmt})", "too_large"
        )
        return
    with open(f, "rb") as raw:
        gunzip = Gunzip(raw) if gz else None
        stream: IO[bytes] = buffered(gunzip or raw, limit, f"{what} ({fmt})")
        if fmt == "jsonl":
            from crosswire.read.jsonl import read_jsonl

            if head.startswith(UTF16_BOMS):  # lines are split on bytes: make them UTF-8 first
                try:
                    text, _ = decode(read_at_most(stream, limit or 256 * MB, f"a file ({fmt})"))
                except UnicodeDecodeError as exc:
                    yield Rejection(path, decode_error(exc), "bad_record")
                    return
                stream = io.BytesIO(text.encode("utf-8"))
            yield from read_jsonl(stream, path, user, limits)
        elif fmt == "warc":
            from crosswire.read.warc import read_warc

            yield from read_warc(stream, path, user, limits)
        elif fmt == "feed":
            from crosswire.read.feed import read_feed

            yield from read_feed(stream.read(), path, user)
        elif fmt == "html":
            yield from _read_html(stream.read(), path, user)
        else:
            yield from _read_text(stream.read(), path, user)
        if gunzip is not None and gunzip.truncated and fmt != "warc":  # (the WARC reader says where it breaks)
            yield Rejection(
                path, "truncated gzip file: it ends before its end marker; what came before was read", "truncated"
            )


def _gunzip_head(f: Path) -> bytes:
    """The first decompressed bytes of a gzip file, even one cut short (the reader says where it breaks)."""
    out = b""
    with open(f, "rb") as fh:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        while len(out) < HEAD_BYTES:
            chunk = d.unconsumed_tail or fh.read(1 << 16)
            if not chunk:
                break
            out += d.decompress(chunk, HEAD_BYTES - len(out))
            if d.eof:  # the next member of a multi-member file (each WARC record is one)
                rest = d.unused_data
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                if rest:
                    out += d.decompress(rest, max(1, HEAD_BYTES - len(out)))
    return out[:HEAD_BYTES]


def _read_text(data: bytes, path: str, user: UserMeta) -> Iterator[Article | Rejection]:
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError as exc:
        yield Rejection(path, decode_error(exc), "bad_record")
        return
    if not text.strip():
        yield Rejection(path, "empty file (only white space)")
        return
    extra = {"encoding": encoding} if encoding != "utf-8" else None
    yield make_article(text, path=path, file_path=path, fmt="text", user=user, extra=extra)


def _read_html(data: bytes, path: str, user: UserMeta) -> Iterator[Article | Rejection]:
    from crosswire.read.html import extract_page, page_article

    try:
        # UTF-16 (with its byte-order mark) is decoded here; the extractor guesses other encodings
        page = extract_page(decode(data)[0] if data.startswith(UTF16_BOMS) else data, path)
    except UnicodeDecodeError as exc:
        yield Rejection(path, decode_error(exc), "bad_record")
        return
    except InputError as exc:
        yield Rejection(exc.path, exc.reason, "no_text")
        return
    yield page_article(page, path=path, file_path=path, fmt="html", user=user)
