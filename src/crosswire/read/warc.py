"""WARC files (warcio), gzipped or not: each HTML ``response`` record is extracted like a saved
page. The URL comes from the record; the date from the page's metadata, else it is unknown:
the WARC date is when the page was crawled, not when it was published.

A truncated or corrupt WARC keeps the records before the break; the rest is rejected with the reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from crosswire.errors import InputError
from crosswire.model import Article, Rejection
from crosswire.read.base import make_article
from crosswire.read.html import extract_page
from crosswire.read.meta import UserMeta


def read_warc(stream: IO[bytes], path: str, user: UserMeta) -> Iterator[Article | Rejection]:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    try:
        for record in ArchiveIterator(stream):
            n += 1
            if record.rec_type != "response":
                continue
            http = record.http_headers
            status = (http.get_statuscode() if http else "") or ""
            ctype = (http.get_header("Content-Type") if http else "") or ""
            if "html" not in ctype.lower() or (status and not status.startswith("2")):
                continue  # images, scripts, redirects and error pages are not articles
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{path}#record-{n}"
            body = record.content_stream().read()
            declared = record.rec_headers.get_header("Content-Length")
            missing = getattr(record.raw_stream, "limit", 0) or 0
            if missing > 0:  # warcio stops quietly at the end of a cut file
                yield Rejection(
                    where,
                    f"truncated WARC: record {n} ends {missing} bytes short of its declared "
                    f"length; the {n - 1} records before it were kept, the rest is skipped",
                )
                return
            try:
                page = extract_page(body, where, url=url)
            except InputError as exc:
                yield Rejection(exc.path, exc.reason)
                continue
            yield make_article(
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
                extra={"warc_date": record.rec_headers.get_header("WARC-Date"), "warc_length": declared},
            )
    except Exception as exc:  # warcio raises ArchiveLoadFailed, EOFError, zlib errors on broken input
        reason = f"{type(exc).__name__}: {exc}".strip()
        yield Rejection(
            f"{path}#record-{n + 1}", f"truncated or corrupt WARC after {n} records; the rest is skipped ({reason})"
        )
