"""Readers, one per input format; ``read_paths`` is the entry point and yields Article or Rejection.

Formats are sniffed from content (sniff.py): plain text (text.py), saved HTML pages (html.py),
RSS/Atom feeds (feed.py), JSON lines (jsonl.py) and WARC files (warc.py); gzipped WARC and
JSON lines are streamed, a gzipped single article is decompressed up to ``max_article_mb``.
Directories recurse (hidden files and folders are skipped). Every bad input gives ONE
Rejection naming the file (or ``file:LINE`` / ``file#entry-N`` / ``file#record-N``) and the
reason, and the batch goes on. Source and date resolution: see meta.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from crosswire.errors import InputError
from crosswire.model import Article, Rejection
from crosswire.read.base import make_article
from crosswire.read.meta import UserMeta, load_sidecar, normalise_date
from crosswire.read.sniff import HEAD_BYTES, decode, signature, sniff
from crosswire.settings import Settings

__all__ = ["read_paths", "read_file", "list_files", "UserMeta", "normalise_date"]

Progress = Callable[[str, int, int], None]
# Formats that hold one article per file; containers (jsonl, feed, warc) hold many.
SINGLE = ("text", "html")


def list_files(paths: Sequence[str]) -> tuple[list[Path], list[Rejection]]:
    """Every file under the given paths (directories recurse, hidden entries skipped), in order."""
    files: list[Path] = []
    missing: list[Rejection] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path).parts
                if f.is_file() and not any(part.startswith(".") for part in rel):
                    files.append(f)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            missing.append(Rejection(str(p), "not a regular file"))
        else:
            missing.append(Rejection(str(p), "path does not exist"))
    return files, missing


def read_paths(
    paths: Sequence[str],
    *,
    source: str | None = None,
    published: str | None = None,
    sidecar: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Iterator[Article | Rejection]:
    """Read every path; yield an Article per article found and a Rejection per bad input."""
    settings = settings or Settings.load()
    user = UserMeta(source=source or None)
    if published:
        user.published = normalise_date(published)
        if user.published is None:
            yield Rejection("--published", f"{published!r} is not an ISO date (YYYY-MM-DD); dates stay unknown")
    if sidecar:
        try:
            user.sidecar = load_sidecar(sidecar)
        except InputError as exc:
            yield Rejection(exc.path, exc.reason)
    files, missing = list_files(paths)
    yield from missing
    for i, f in enumerate(files):
        yield from read_file(f, user=user, settings=settings)
        if progress:
            progress("read", i + 1, len(files))


def read_file(f: Path, *, user: UserMeta, settings: Settings) -> Iterator[Article | Rejection]:
    """Read one file of any format."""
    path = str(f)
    try:
        size = f.stat().st_size
        with open(f, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        yield Rejection(path, f"cannot be read ({exc.strerror or exc})")
        return
    mb = size / 1_000_000
    if size == 0 or not head.strip():
        yield Rejection(path, "empty file")
        return
    fmt = sniff(head, f.name)
    if fmt == "binary":
        yield Rejection(path, "binary file, not text, HTML, a feed, JSON lines or WARC")
        return
    if fmt == "gzip":
        yield from _read_gzip(f, path, user, settings)
        return
    if fmt == "known-binary":
        yield Rejection(path, f"unknown format: {signature(head)}, not an article format")
        return
    if fmt == "unknown-xml":
        yield Rejection(path, "unknown format: XML that is neither an RSS/Atom feed nor HTML")
        return
    limit = settings.max_article_mb if fmt in SINGLE else settings.max_file_mb
    if mb > limit:
        what = "one article" if fmt in SINGLE else "a file"
        yield Rejection(path, f"too large: {mb:.1f} MB is over the {limit:g} MB limit for {what} ({fmt})")
        return
    try:
        if fmt == "jsonl":
            from crosswire.read.jsonl import read_jsonl

            with open(f, "rb") as fh:
                yield from read_jsonl(fh, path, user)
        elif fmt == "warc":
            from crosswire.read.warc import read_warc

            with open(f, "rb") as fh:
                yield from read_warc(fh, path, user)
        elif fmt == "feed":
            from crosswire.read.feed import read_feed

            yield from read_feed(f.read_bytes(), path, user)
        elif fmt == "html":
            yield from _read_html(f.read_bytes(), path, user)
        else:
            yield from _read_text(f.read_bytes(), path, user)
    except OSError as exc:
        yield Rejection(path, f"cannot be read ({exc.strerror or exc})")


def _read_gzip(f: Path, path: str, user: UserMeta, settings: Settings) -> Iterator[Article | Rejection]:
    """A gzipped file that is not a WARC: JSON lines are streamed; one article (text/HTML/feed) is
    decompressed up to the size limit; anything else is rejected."""
    import gzip
    import zlib

    try:
        with gzip.open(f, "rb") as gz:
            inner = gz.read(HEAD_BYTES)
        fmt = sniff(inner, f.name[:-3] if f.name.endswith(".gz") else f.name)
        if fmt == "jsonl":
            from crosswire.read.jsonl import read_jsonl

            with gzip.open(f, "rb") as gz:
                yield from read_jsonl(gz, path, user)
            return
        if fmt not in ("text", "html", "feed"):
            yield Rejection(path, f"unknown format: gzip-compressed {fmt} file, not an article format")
            return
        cap = int(settings.max_article_mb * 1_000_000)
        with gzip.open(f, "rb") as gz:
            data = gz.read(cap + 1)
    except (OSError, EOFError, zlib.error) as exc:
        yield Rejection(path, f"truncated or corrupt gzip file ({type(exc).__name__}: {exc})")
        return
    if len(data) > cap:
        yield Rejection(
            path, f"too large: over the {settings.max_article_mb:g} MB limit for one article once decompressed"
        )
    elif fmt == "feed":
        from crosswire.read.feed import read_feed

        yield from read_feed(data, path, user)
    elif fmt == "html":
        yield from _read_html(data, path, user)
    else:
        yield from _read_text(data, path, user)


def _read_text(data: bytes, path: str, user: UserMeta) -> Iterator[Article | Rejection]:
    text, encoding = decode(data)
    if not text.strip():
        yield Rejection(path, "empty file (only white space)")
        return
    extra = {"encoding": encoding} if encoding != "utf-8" else None
    yield make_article(text, path=path, file_path=path, fmt="text", user=user, extra=extra)


def _read_html(data: bytes, path: str, user: UserMeta) -> Iterator[Article | Rejection]:
    from crosswire.read.html import extract_page

    try:
        page = extract_page(data, path)
    except InputError as exc:
        yield Rejection(exc.path, exc.reason)
        return
    yield make_article(
        page.text,
        path=path,
        file_path=path,
        fmt="html",
        user=user,
        title=page.title,
        url=page.url,
        meta_published=page.date,
        author=page.author,
        site_name=page.site_name,
    )
