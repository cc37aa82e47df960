"""Input shards for batch runs: find them, name them, read one of them.

A *shard* is one input file (a WARC file such as a CC-News dump, a JSON-lines
file) read by one task. Reading a shard yields ``Article`` objects and
``Problem`` objects (a bad record, a non-HTML payload, a truncated gzip), so a
bad record costs that record and a truncated shard costs its tail, never the job.

CC-News records are filtered by the article's *own* date, taken from the page
metadata (``article:published_time``, JSON-LD ...), never from ``WARC-Date``,
which is only the crawl date.

The articles are those ``crosswire analyze`` reads from the same files (the
ingest package's page extraction and article building); WARC files are walked
here record by record so that every record left out is counted with its reason.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from crosswire.model import Article, Rejection, stable_id

WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")


@dataclass(slots=True)
class Problem:
    """Something in a shard that could not become an article, and why."""

    where: str  # shard path, with "#record N" / ":line N" when it concerns one record
    reason: str
    # bad_record | non_html | http_error | no_text | out_of_range | truncated | corrupt | unreadable | failed
    kind: str = "bad_record"


@dataclass(slots=True)
class Shard:
    id: str
    path: str
    size: int

    @classmethod
    def of(cls, path: str | Path) -> Shard:
        p = Path(path).resolve()
        size = p.stat().st_size
        return cls(id=stable_id("sh_", str(p), size), path=str(p), size=size)


def list_shards(inputs: Sequence[str]) -> tuple[list[Shard], list[Problem]]:
    """Expand files and directories into shards (sorted, each once); missing paths are problems."""
    files: list[Path] = []
    problems: list[Problem] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(item), "no such file or directory", "unreadable"))
    shards: list[Shard] = []
    seen: set[str] = set()
    for f in files:
        s = Shard.of(f)
        if s.id not in seen:
            seen.add(s.id)
            shards.append(s)
    return shards, problems


def shard_kind(path: str) -> str:
    name = path.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return "other"


def read_shard(path: str, *, since: str | None = None, until: str | None = None) -> Iterator[Article | Problem]:
    """Articles of one shard in file order, with a ``Problem`` for everything left out."""
    kind = shard_kind(path)
    if kind == "warc":
        yield from _read_warc(path, since, until)
    elif kind == "jsonl":
        yield from _read_jsonl(path, since, until)
    else:
        yield from _read_other(path, since, until)


def in_range(published: str | None, since: str | None, until: str | None) -> bool:
    if not since and not until:
        return True
    if not published:
        return False
    day = published[:10]
    return (not since or day >= since[:10]) and (not until or day <= until[:10])


def _range_problem(where: str, published: str | None) -> Problem:
    if not published:
        return Problem(where, "no publication date in the page metadata (outside --since/--until)", "out_of_range")
    return Problem(where, f"published {published[:10]}, outside --since/--until", "out_of_range")


# ------------------------------------------------------------------ WARC
def _read_warc(path: str, since: str | None, until: str | None) -> Iterator[Article | Problem]:
    """Like ``crosswire.read.warc`` (same articles), but every record left out is counted with its reason,
    and there is no file-size limit (a CC-News shard is about 1 GB)."""
    from warcio.archiveiterator import ArchiveIterator

    from crosswire.read.meta import UserMeta

    user = UserMeta()
    n = 0
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                n += 1
                if record.format != "warc":  # warcio falls back to ARC on garbage: the file is not WARC
                    yield Problem(
                        f"{path}#record-{n}",
                        "not a WARC record (corrupt file or wrong format); the rest of the shard is skipped",
                        "corrupt",
                    )
                    return
                if record.rec_type != "response":
                    continue  # warcinfo, request, metadata: not articles
                where = f"{path}#record-{n}"
                try:
                    item = _warc_response(record, path, where, user)
                except _Truncated as exc:
                    yield Problem(where, str(exc), "truncated")
                    return
                except Exception as exc:  # one broken record: count it, go on
                    yield Problem(where, f"broken WARC record ({type(exc).__name__}: {exc})")
                    continue
                if isinstance(item, Article) and not in_range(item.published, since, until):
                    yield _range_problem(where, item.published)
                    continue
                yield item
    except OSError as exc:
        if n == 0 and not isinstance(exc, (EOFError, gzip.BadGzipFile)):
            yield Problem(path, f"cannot read: {exc}", "unreadable")
        else:
            yield Problem(
                f"{path}#record-{n + 1}",
                f"truncated or corrupt WARC after {n} records; the rest is skipped ({type(exc).__name__}: {exc})",
                "truncated",
            )
    except Exception as exc:  # warcio: ArchiveLoadFailed, EOFError, zlib errors on broken input
        yield Problem(
            f"{path}#record-{n + 1}",
            f"truncated or corrupt WARC after {n} records; the rest is skipped ({type(exc).__name__}: {exc})",
            "truncated",
        )


class _Truncated(Exception):
    pass


def _warc_response(record, path: str, where: str, user) -> Article | Problem:
    from crosswire.errors import InputError
    from crosswire.read.base import make_article
    from crosswire.read.html import extract_page

    http = record.http_headers
    if http is not None:
        status = http.get_statuscode() or ""
        if status and not status.startswith("2"):
            return Problem(where, f"HTTP status {status}, not a page", "http_error")
    ctype = ((http.get_header("Content-Type") if http else "") or "").lower()
    if "html" not in ctype:
        return Problem(where, f"non-HTML payload ({ctype.split(';')[0].strip() or 'no Content-Type'})", "non_html")
    body = record.content_stream().read()
    missing = getattr(record.raw_stream, "limit", 0) or 0
    if missing > 0:  # warcio stops quietly at the end of a cut file
        raise _Truncated(
            f"truncated WARC: record ends {missing} bytes short of its declared length; "
            "the records before it were kept, the rest is skipped"
        )
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        page = extract_page(body, where, url=url)
    except InputError as exc:
        return Problem(exc.path, exc.reason, "no_text")
    return make_article(
        page.text,
        path=where,
        file_path=path,
        fmt="warc",
        user=user,
        title=page.title,
        url=url or page.url,
        meta_published=page.date,
        author=page.author,
        site_name=page.site_name,
        extra={
            "warc_date": record.rec_headers.get_header("WARC-Date"),
            "warc_length": record.rec_headers.get_header("Content-Length"),
        },
    )


# ------------------------------------------------------------- JSON lines
def _read_jsonl(path: str, since: str | None, until: str | None) -> Iterator[Article | Problem]:
    """``crosswire.read.jsonl`` line by line (gzipped too), without the file-size limit."""
    from crosswire.read.jsonl import read_jsonl
    from crosswire.read.meta import UserMeta

    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            for item in read_jsonl(fh, path, UserMeta()):
                if isinstance(item, Rejection):
                    yield Problem(item.path, item.reason, "no_text" if "text" in item.reason else "bad_record")
                elif not in_range(item.published, since, until):
                    yield _range_problem(item.path or path, item.published)
                else:
                    yield item
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Problem(
            path, f"truncated or corrupt gzip; the rest is skipped ({type(exc).__name__}: {exc})", "truncated"
        )
    except OSError as exc:
        yield Problem(path, f"cannot read: {exc}", "unreadable")


# ------------------------------------------------------------ other files
def _read_other(path: str, since: str | None, until: str | None) -> Iterator[Article | Problem]:
    """Any other file (a saved page, a feed, a text) through ``crosswire.read.read_file``."""
    from crosswire.read import read_file
    from crosswire.read.meta import UserMeta
    from crosswire.settings import Settings

    try:
        for item in read_file(Path(path), user=UserMeta(), settings=Settings.load()):
            if isinstance(item, Rejection):
                yield Problem(item.path, item.reason, "unreadable")
            elif not in_range(item.published, since, until):
                yield _range_problem(item.path or path, item.published)
            else:
                yield item
    except Exception as exc:  # the reader failed on this file: report it, go on
        yield Problem(path, f"cannot read: {type(exc).__name__}: {exc}", "unreadable")
