"""Byte and character limits, enforced while reading (never only from ``stat``).

* a container (JSON lines, feed, WARC) may hold at most ``file_bytes`` bytes, counted after
  decompression (``None``: no limit, for ``crosswire batch`` shards of a gigabyte or more);
* one article may be at most ``article_bytes`` bytes: a one-article file, one JSON line, one WARC
  record's payload, a gzipped single article once decompressed;
* an article's text may be at most ``article_chars`` characters: the spaCy parser's ``max_length``
  (nlp.py sets it from the same setting), so every article read can be parsed.

``Capped`` wraps a stream and raises ``TooLarge`` as soon as more than its limit has been read, so a
gzip bomb or a file that grows while it is read costs at most the limit.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import IO

from crosswire.settings import Settings

MB = 1_000_000


class TooLarge(Exception):
    """More bytes than a limit allows; ``what`` names the limit."""

    def __init__(self, what: str, limit: int):
        super().__init__(f"over the {limit / MB:g} MB limit for {what}")
        self.what = what
        self.limit = limit


@dataclass(frozen=True)
class Limits:
    file_bytes: int | None
    article_bytes: int
    article_chars: int

    @classmethod
    def of(cls, settings: Settings, *, whole_file: bool = True) -> Limits:
        """The limits the settings give; ``whole_file=False`` lifts the container limit (batch shards)."""
        return cls(
            file_bytes=int(settings.max_file_mb * MB) if whole_file else None,
            article_bytes=int(settings.max_article_mb * MB),
            article_chars=int(settings.max_article_chars),
        )


class Capped(io.RawIOBase):
    """A read-only stream over ``inner`` that raises TooLarge once more than ``limit`` bytes were read."""

    def __init__(self, inner: IO[bytes], limit: int | None, what: str):
        self.inner = inner
        self.limit = limit
        self.what = what
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        want = len(b)
        if self.limit is not None:
            want = min(want, self.limit + 1 - self.count)
            if want <= 0:
                raise TooLarge(self.what, self.limit)
        data = self.inner.read(want)
        n = len(data)
        b[:n] = data
        self.count += n
        if self.limit is not None and self.count > self.limit:
            raise TooLarge(self.what, self.limit)
        return n


class Gunzip(io.RawIOBase):
    """Decompresses a gzip stream (any number of members) as it is read, a bounded piece at a time.

    A stream cut short ends where its data ends, with ``truncated`` set (the readers then see a cut
    file and say where it breaks); corrupt data raises ``zlib.error``."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._pending = b""  # input read but not yet given to the decompressor (the next member's start)
        self._started = False  # the current member has begun
        self.truncated = False

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        want = len(b)
        while True:
            if self._d.unconsumed_tail:
                data = self._d.unconsumed_tail
            elif self._pending:
                data, self._pending = self._pending, b""
            else:
                data = self.raw.read(1 << 16)
                if not data:
                    self.truncated = self._started
                    return 0
            if not self._started:  # between members: NUL padding may follow the last one
                data = data.lstrip(b"\x00")
                if not data:
                    continue
            self._started = True
            out = self._d.decompress(data, want)
            if self._d.eof:
                self._pending = self._d.unused_data
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._started = False
            if out:
                b[: len(out)] = out
                return len(out)


def buffered(inner: IO[bytes], limit: int | None, what: str) -> io.BufferedReader:
    """``inner`` capped at ``limit`` bytes, buffered (readline works, and is bounded by its size argument)."""
    return io.BufferedReader(Capped(inner, limit, what), buffer_size=1 << 16)


def read_at_most(stream: IO[bytes], limit: int, what: str) -> bytes:
    """All of a stream, or TooLarge when it holds more than ``limit`` bytes (at most limit + 1 are read)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(what, limit)
    return data
