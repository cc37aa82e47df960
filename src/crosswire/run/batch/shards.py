"""Input shards for batch runs: find them, name them, read one of them.

A *shard* is one input file (a WARC file such as a CC-News dump, a JSON-lines
file) read by one task. Reading a shard is ``crosswire.read.read_file``, the
reader ``crosswire analyze`` uses, without the whole-file size limit (a CC-News
shard is about 1 GB; each article is still limited): it yields ``Article``
objects and a ``Rejection`` with its kind for everything left out (a bad record,
a non-HTML payload, a truncated gzip), so a bad record costs that record and a
truncated shard costs its tail, never the job.

CC-News records are filtered by the article's *own* date, taken from the page
metadata (``article:published_time``, JSON-LD ...), never from ``WARC-Date``,
which is only the crawl date.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from crosswire.model import Article, Rejection, stable_id
from crosswire.read import Limits, UserMeta, list_files, read_file
from crosswire.settings import Settings


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


def list_shards(inputs: Sequence[str]) -> tuple[list[Shard], list[Rejection]]:
    """Expand files and directories into shards (sorted, each once); paths that are not read are rejections."""
    files, problems = list_files(inputs)
    shards: list[Shard] = []
    seen: set[str] = set()
    for f in files:
        s = Shard.of(f)
        if s.id not in seen:
            seen.add(s.id)
            shards.append(s)
    return shards, problems


def read_shard(
    path: str, *, since: str | None = None, until: str | None = None, settings: Settings | None = None
) -> Iterator[Article | Rejection]:
    """Articles of one shard in file order, with a ``Rejection`` (and its kind) for everything left out."""
    settings = settings or Settings.load()
    limits = Limits.of(settings, whole_file=False)
    for item in read_file(Path(path), user=UserMeta(), settings=settings, limits=limits):
        if isinstance(item, Article) and not in_range(item.published, since, until):
            yield _out_of_range(item.path or path, item.published)
        else:
            yield item


def in_range(published: str | None, since: str | None, until: str | None) -> bool:
    if not since and not until:
        return True
    if not published:
        return False
    day = published[:10]
    return (not since or day >= since[:10]) and (not until or day <= until[:10])


def _out_of_range(where: str, published: str | None) -> Rejection:
    if not published:
        return Rejection(where, "no publication date in the page metadata (outside --since/--until)", "out_of_range")
    return Rejection(where, f"published {published[:10]}, outside --since/--until", "out_of_range")
