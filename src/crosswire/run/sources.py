"""What ``crosswire follow`` is given: source URLs, or files listing them (plain text or TOML).

Plain text: one URL a line, optionally followed by the outlet name to give its articles; blank
lines and lines starting with ``#`` are skipped. TOML: ``[[source]]`` tables with ``url`` and,
optionally, ``name`` (the outlet name) and ``kind`` (feed | sitemap | page; sniffed otherwise), or a
top-level ``sources = [URL, ...]`` list. A bad line or entry gets one rejection naming
``file:LINE`` (or ``file#source-N``) and the reason; the other sources are still followed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from crosswire.model import Rejection

KINDS = ("feed", "sitemap", "page")
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Source:
    url: str
    name: str | None = None  # the outlet name for its articles (else from the page or feed)
    kind: str | None = None  # feed | sitemap | page (else sniffed from what it sends)


def parse_duration(text: str) -> float:
    """Seconds in "90", "30s", "15m", "2h", "1d"; ValueError otherwise."""
    m = _DURATION_RE.match(text or "")
    if not m:
        raise ValueError(f"{text!r} is not a duration like 30s, 15m, 2h or 1d")
    return float(m.group(1)) * _UNITS[(m.group(2) or "s").lower()]


def normalise_url(url: str) -> str | None:
    """The URL with its scheme and host in lower case and without a #fragment; None if not http(s)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def load_sources(args: list[str]) -> tuple[list[Source], list[Rejection]]:
    """The sources named on the command line, in order, each once (by URL)."""
    found: list[Source] = []
    rejected: list[Rejection] = []
    for arg in args:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", arg):
            url = normalise_url(arg)
            if url:
                found.append(Source(url))
            else:
                rejected.append(Rejection(arg, "not an http(s) URL"))
            continue
        path = Path(arg)
        if not path.is_file():
            rejected.append(Rejection(arg, "neither an http(s) URL nor a file listing sources"))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            rejected.append(Rejection(arg, f"cannot be read ({exc.strerror or exc})"))
            continue
        text = data.decode("utf-8", errors="replace")
        if path.suffix.lower() == ".toml":
            _from_toml(text, arg, found, rejected)
        else:
            _from_lines(text, arg, found, rejected)
    unique: dict[str, Source] = {}
    for s in found:
        unique.setdefault(s.url, s)
    return list(unique.values()), rejected


def _from_lines(text: str, path: str, found: list[Source], rejected: list[Rejection]) -> None:
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        first, _, rest = line.partition(" ")
        url = normalise_url(first)
        if url is None:
            rejected.append(Rejection(f"{path}:{n}", f"not an http(s) URL: {first[:80]!r}"))
            continue
        found.append(Source(url, name=rest.strip() or None))


def _from_toml(text: str, path: str, found: list[Source], rejected: list[Rejection]) -> None:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        rejected.append(Rejection(path, f"not valid TOML ({exc})"))
        return
    entries: list[object] = list(doc.get("sources") or []) + list(doc.get("source") or [])
    if not entries:
        rejected.append(Rejection(path, 'no sources: expected [[source]] tables with a "url", or sources = [...]'))
    for n, entry in enumerate(entries, 1):
        where = f"{path}#source-{n}"
        if isinstance(entry, str):
            entry = {"url": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            rejected.append(Rejection(where, 'a source needs a "url" string'))
            continue
        url = normalise_url(entry["url"])
        kind = entry.get("kind")
        name = entry.get("name")
        if url is None:
            rejected.append(Rejection(where, f"not an http(s) URL: {entry['url'][:80]!r}"))
        elif kind is not None and kind not in KINDS:
            rejected.append(Rejection(where, f"kind {kind!r} is not one of {', '.join(KINDS)}"))
        elif name is not None and not isinstance(name, str):
            rejected.append(Rejection(where, '"name" must be a string'))
        else:
            found.append(Source(url, name=(name or "").strip() or None, kind=kind))
