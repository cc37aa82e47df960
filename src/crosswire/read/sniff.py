"""Format sniffing and decoding: decide what a file is from its first bytes, not its name.

``sniff(head, name)`` looks at up to the first 64 KiB and returns one of
``text | html | feed | jsonl | warc | binary | empty``. The extension is only a
tie-breaker for text that could be either plain text or JSON lines.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib

HEAD_BYTES = 64 * 1024

_GZIP_MAGIC = b"\x1f\x8b"
_HTML_RE = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title[\s>]|<(p|div|article)[\s>]", re.I
)
_FEED_RE = re.compile(rb"<rss[\s>]|<feed[\s>]|<rdf:rdf[\s>]|<channel[\s>]", re.I)
_XML_RE = re.compile(rb"^\s*(<\?xml[^>]*>)?\s*(<!--.*?-->\s*)*<", re.S)


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(data: bytes) -> tuple[str, str]:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252, else Latin-1.

    Returns (text, encoding). Line endings are normalised to ``\\n``. Bytes that start with a UTF-16
    byte-order mark but are not UTF-16 (an odd number of bytes, a lone surrogate) raise
    UnicodeDecodeError (``decode_error`` words it); every other byte string decodes.
    """
    if data.startswith(UTF16_BOMS):
        text, enc = data.decode("utf-16"), "utf-16"
    else:
        try:
            text, enc = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, enc = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, enc = data.decode("latin-1"), "latin-1"
    return text.replace("\r\n", "\n").replace("\r", "\n"), enc


def decode_error(exc: UnicodeDecodeError) -> str:
    """One line on why bytes could not be decoded."""
    return f"cannot be decoded as {exc.encoding.upper()} ({exc.reason} at byte {exc.start})"


def is_binary(head: bytes) -> bool:
    """NUL bytes or many control characters mean the bytes are not text."""
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text with a byte-order mark
    if b"\x00" in head:
        return True
    sample = head[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > 0.05


# Well-known binary formats, named in the rejection ("unknown format: PDF document").
SIGNATURES = {
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (or DOCX/XLSX)",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\xd0\xcf\x11\xe0": "MS Office document",
    b"{\\rtf": "RTF document",
    b"SQLite format 3": "SQLite database",
    b"\x7fELF": "executable",
}


def signature(head: bytes) -> str | None:
    """The name of a well-known non-article format, if the bytes start with its signature."""
    for magic, what in SIGNATURES.items():
        if head.startswith(magic):
            return what
    return None


def sniff(head: bytes, name: str = "") -> str:
    """What the file is, from its first bytes (``head``) and, as a tie-breaker, its name."""
    if not head.strip():
        return "empty"
    if head.startswith(UTF16_BOMS):  # sniff UTF-16 text by its characters, not its bytes
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
        if not head.strip():
            return "empty"
        return "binary" if is_binary(head) else sniff_text(head, name)
    if signature(head):
        return "known-binary"
    if head.startswith(_GZIP_MAGIC):
        inner = _gunzip_head(head)
        if inner is not None and inner.lstrip().startswith(b"WARC/"):
            return "warc"
        return "gzip"
    if head.lstrip().startswith(b"WARC/"):
        return "warc"
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0].strip()
    if first.startswith(b"{") and first.endswith(b"}") and not is_binary(first):
        return "jsonl"  # JSON lines, even when a later line is binary: that line alone is rejected
    if is_binary(head):
        return "binary"
    return sniff_text(head, name)


def sniff_text(head: bytes, name: str) -> str:
    """What a text file is: jsonl, feed, html, unknown-xml or text."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        first = text.split(b"\n", 1)[0].strip()
        if first.endswith(b"}") or name.lower().endswith((".jsonl", ".ndjson", ".json")):
            return "jsonl"
    if _XML_RE.match(text) and _FEED_RE.search(text[:4096]):
        return "feed"
    if text.startswith(b"<") and _HTML_RE.search(text[:8192]):
        return "html"
    if _HTML_RE.search(text[:2048]) and text.count(b"<") > 20:
        return "html"
    if text.startswith(b"<?xml"):
        return "unknown-xml"
    return "text"


def _gunzip_head(head: bytes) -> bytes | None:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(head)) as gz:
            return gz.read(256)
    except (OSError, EOFError, zlib.error):
        return None
