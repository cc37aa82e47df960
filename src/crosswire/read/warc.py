"""WARC files (warcio), gzipped or not: each HTML ``response`` record is extracted like a saved
page. The URL comes from the record; the date from the page's metadata, else it is unknown:
the WARC date is when the page was crawled, not when it was published.

Every record left out is a Rejection with its kind: ``non_html`` (images, scripts, PDFs) and
``http_error`` (redirects, error pages) are not articles (``read_paths`` does not report them;
``crosswire batch`` counts them), ``too_large`` (a payload over the article limit), ``no_text``,
``bad_record``. A truncated or corrupt WARC keeps the records before the break; the rest is one
``truncated`` (or ``corrupt``) Rejection. The stream given is already decompressed and capped by
the caller (read/__init__.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from crosswire.errors import InputError
from crosswire.model import Article, Rejection
from crosswire.read.html import extract_page, page_article
from crosswire.read.limits import MB, Limits, TooLarge
from crosswire.read.meta import UserMeta

NOT_ARTICLES = ("non_html", "http_error")  # record kinds that are no fault of the file


def read_warc(stream: IO[bytes], path: str, user: UserMeta, limits: Limits) -> Iterator[Article | Rejection]:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    try:
        for record in ArchiveIterator(stream):
            n += 1
            where = f"{path}#record-{n}"
            if record.format != "warc":  # warcio falls back to ARC on garbage: the file is not WARC
                yield Rejection(
                    where, "not a WARC record (corrupt file or wrong format); the rest is skipped", "corrupt"
                )
                return
            if record.rec_type != "response":
                continue  # warcinfo, request, metadata: not articles
            try:
                item = _response(record, path, where, user, limits)
            except _Truncated as exc:
                yield Rejection(where, f"truncated WARC: {exc}; the {n - 1} records before it were kept", "truncated")
                return
            except TooLarge:
                raise
            except Exception as exc:  # one broken record: say so, go on
                yield Rejection(where, f"broken WARC record ({type(exc).__name__}: {exc})", "bad_record")
                continue
            if item is not None:
                yield item
    except TooLarge:
        raise  # the caller words it (the file limit)
    except Exception as exc:  # warcio raises ArchiveLoadFailed, EOFError, zlib errors on broken input
        reason = f"{type(exc).__name__}: {exc}".strip()
        yield Rejection(
            f"{path}#record-{n + 1}",
            f"truncated or corrupt WARC after {n} records; the rest is skipped ({reason})",
            "truncated",
        )


class _Truncated(Exception):
    pass


def _response(record, path: str, where: str, user: UserMeta, limits: Limits) -> Article | Rejection | None:
    http = record.http_headers
    if http is not None:
        status = http.get_statuscode() or ""
        if status and not status.startswith("2"):
            return Rejection(where, f"HTTP status {status}, not a page", "http_error")
    ctype = ((http.get_header("Content-Type") if http else "") or "").lower()
    if "html" not in ctype:
        return Rejection(where, f"non-HTML payload ({ctype.split(';')[0].strip() or 'no Content-Type'})", "non_html")
    body = record.content_stream().read(limits.article_bytes + 1)
    if len(body) > limits.article_bytes:
        return Rejection(
            where, f"page is over the {limits.article_bytes / MB:g} MB limit for one article; skipped", "too_large"
        )
    missing = getattr(record.raw_stream, "limit", 0) or 0  # warcio's LimitReader: bytes still owed
    if missing > 0:  # warcio stops quietly at the end of a cut file
        raise _Truncated(f"the record ends {missing} bytes short of its declared length")
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        page = extract_page(body, where, url=url)
    except InputError as exc:
        return Rejection(exc.path, exc.reason, "no_text")
    if url:
        page.url = url
    extra = {
        "warc_date": record.rec_headers.get_header("WARC-Date"),
        "warc_length": record.rec_headers.get_header("Content-Length"),
    }
    return page_article(page, path=where, file_path=path, fmt="warc", user=user, extra=extra)
