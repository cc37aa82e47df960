"""Near-duplicates: syndicated copies and re-published updates of one article.

Word 5-gram shingles and MinHash signatures (datasketch) cut into LSH bands find
candidate pairs; a pair is a copy when the exact shingle Jaccard similarity is
at least ``JACCARD`` or when the shorter article's shingles are at least
``CONTAINMENT`` contained in the longer one (a trimmed or extended re-post).
Groups are closed transitively. The canonical article of a group is the earliest
published, then the longest, then the smallest id; the others get
``duplicate_of`` = the canonical id and still count as coverage by their outlet.

``mark_duplicates`` works against a ``CopyIndex``: ``DuplicateIndex`` keeps
everything in memory (one run); the store keeps the same bands in a table, so
``crosswire ingest`` looks up only an article's candidates (``crosswire.run.ingest``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from datasketch import MinHash

from crosswire.model import Article

SHINGLE = 5
NUM_PERM = 64
# LSH bands: BANDS bands of ROWS MinHash values each, what datasketch's MinHashLSH chooses for a
# Jaccard threshold of 0.5 with 64 permutations (two sets are candidates when one band is equal)
BANDS, ROWS = 14, 4
JACCARD = 0.6
CONTAINMENT = 0.8
_TOKEN = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    toks = [t.lower() for t in _TOKEN.findall(text)]
    if len(toks) < k:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + k]) for i in range(len(toks) - k + 1)}


def _minhash(sh: set[str]) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.encode("utf-8") for s in sorted(sh)])
    return m


def band_keys(sh: set[str]) -> list[int]:
    """The LSH bucket keys of a shingle set: one signed 64-bit key per band (none for no shingles)."""
    if not sh:
        return []
    values = _minhash(sh).hashvalues
    keys = []
    for b in range(BANDS):
        digest = hashlib.blake2b(values[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8, person=bytes([b]))
        keys.append(int.from_bytes(digest.digest(), "big", signed=True))
    return keys


def is_copy(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    inter = len(a & b)
    return inter / len(a | b) >= JACCARD or inter / min(len(a), len(b)) >= CONTAINMENT


def canonical_key(a: Article) -> tuple:
    """Sort key: earliest published (unknown last), then longest, then id."""
    return (a.published is None, (a.published or "")[:19], -len(a.text), a.id)


class CopyIndex(Protocol):
    """What ``mark_duplicates`` asks of the articles seen before."""

    def candidates(self, keys: list[int]) -> set[str]:
        """Ids of indexed articles sharing a band key."""
        ...

    def shingles_of(self, ids: Iterable[str]) -> dict[str, set[str]]: ...

    def canonical_of(self, article_id: str) -> str:
        """The canonical id of the article's group (itself when it is in none)."""
        ...

    def members(self, canonical: str) -> set[str]:
        """Every id of the group whose canonical is ``canonical`` (itself included)."""
        ...

    def articles(self, ids: Iterable[str]) -> dict[str, Article]:
        """The Article objects (changes to ``duplicate_of`` are made on these)."""
        ...

    def add(self, article: Article, sh: set[str], keys: list[int]) -> None: ...

    def set_canonical(self, article_id: str, canonical: str) -> None: ...


@dataclass
class DuplicateIndex:
    """The copy index of one run, in memory."""

    buckets: dict[int, list[str]] = field(default_factory=dict)
    shingles: dict[str, set[str]] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)  # article id -> its group's canonical id
    groups: dict[str, set[str]] = field(default_factory=dict)  # canonical id -> the ids it is canonical of
    pool: dict[str, Article] = field(default_factory=dict)

    def candidates(self, keys: list[int]) -> set[str]:
        return {aid for k in keys for aid in self.buckets.get(k, ())}

    def shingles_of(self, ids: Iterable[str]) -> dict[str, set[str]]:
        return {i: self.shingles[i] for i in ids if i in self.shingles}

    def canonical_of(self, article_id: str) -> str:
        return self.canonical.get(article_id, article_id)

    def members(self, canonical: str) -> set[str]:
        return self.groups.get(canonical, set()) | {canonical}

    def articles(self, ids: Iterable[str]) -> dict[str, Article]:
        return {i: self.pool[i] for i in ids if i in self.pool}

    def add(self, article: Article, sh: set[str], keys: list[int]) -> None:
        if article.id in self.shingles:
            return
        self.pool[article.id] = article
        self.shingles[article.id] = sh
        for k in keys:
            self.buckets.setdefault(k, []).append(article.id)

    def set_canonical(self, article_id: str, canonical: str) -> None:
        old = self.canonical.get(article_id)
        if old is not None:
            self.groups.get(old, set()).discard(article_id)
        self.canonical[article_id] = canonical
        self.groups.setdefault(canonical, set()).add(article_id)


def mark_duplicates(articles: list[Article], index: CopyIndex | None = None) -> list[Article]:
    """Set ``duplicate_of`` on near-copies among ``articles`` and against the articles of ``index``.

    Each article is indexed as it is seen. When a new article becomes the canonical of a group
    holding indexed articles, those are updated too. Returns every article whose ``duplicate_of``
    changed (new ones and indexed ones).
    """
    index = index if index is not None else DuplicateIndex()
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    def join_group(x: str) -> None:  # x and every article of its existing group
        canon = index.canonical_of(x)
        for m in index.members(canon):
            union(m, canon)
        union(x, canon)

    new_ids: list[str] = []
    for a in articles:
        new_ids.append(a.id)
        sh = shingles(a.text)
        keys = band_keys(sh)
        found = index.candidates(keys) - {a.id}
        theirs = index.shingles_of(found) if found else {}
        hits = sorted(h for h, other in theirs.items() if is_copy(sh, other))
        join_group(a.id)
        index.add(a, sh, keys)
        for h in hits:
            join_group(h)
            union(a.id, h)
    groups: dict[str, set[str]] = {}
    for x in set(parent) | set(parent.values()) | set(new_ids):
        groups.setdefault(root(x), set()).add(x)
    new = set(new_ids)
    changed: list[Article] = []
    for members in groups.values():
        if len(members) < 2 or not members & new:
            continue
        pool = index.articles(sorted(members))
        arts = [pool[i] for i in sorted(members) if i in pool]
        canon = min(arts, key=canonical_key).id
        for art in arts:
            want = None if art.id == canon else canon
            index.set_canonical(art.id, canon)
            if art.duplicate_of != want:
                art.duplicate_of = want
                changed.append(art)
    return changed
