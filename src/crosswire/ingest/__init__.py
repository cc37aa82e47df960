"""Readers, one per input format. ``read_paths`` yields Article or Rejection.

Placeholder: plain text only (the ingest work replaces this with all formats).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, Sequence

from ..model import Article, Rejection


def read_paths(paths: Sequence[str], *, source=None, published=None, sidecar=None, settings=None, progress=None) -> Iterator[Article | Rejection]:
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend(sorted(f for f in path.rglob("*") if f.is_file()))
        elif path.exists():
            files.append(path)
        else:
            yield Rejection(str(p), "path does not exist")
    for f in files:
        raw = f.read_text(encoding="utf-8", errors="replace")
        if not raw.strip():
            yield Rejection(str(f), "empty file")
            continue
        yield Article(id=Article.make_id(raw), text=raw, raw=raw, path=str(f), source=source,
                      published=published, published_from="user" if published else None, format="text")
