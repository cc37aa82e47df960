"""Near-duplicates: syndicated copies and re-published updates of one article.

Word 5-gram shingles, MinHash signatures and LSH buckets (datasketch) find
candidate pairs; a pair is a copy when the exact shingle Jaccard similarity is
at least ``JACCARD`` or when the shorter article's shingles are at least
``CONTAINMENT`` contained in the longer one (a trimmed or extended re-post).
Groups are closed transitively. The canonical article of a group is the earliest
published, then the longest, then the smallest id; the others get
``duplicate_of`` = the canonical id and still count as coverage by their outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSH

from crosswire.model import Article

SHINGLE = 5
NUM_PERM = 64
LSH_THRESHOLD = 0.5
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
    for s in sh:
        m.update(s.encode("utf-8"))
    return m


def is_copy(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    inter = len(a & b)
    return inter / len(a | b) >= JACCARD or inter / min(len(a), len(b)) >= CONTAINMENT


def canonical_key(a: Article) -> tuple:
    """Sort key: earliest published (unknown last), then longest, then id."""
    return (a.published is None, (a.published or "")[:19], -len(a.text), a.id)


@dataclass
class DuplicateIndex:
    """An LSH index of articles seen so far; ``add`` returns the canonical id of a new copy."""

    lsh: MinHashLSH = field(default_factory=lambda: MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM))
    shingles: dict[str, set[str]] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)  # article id -> its group's canonical id

    def find(self, article: Article) -> tuple[set[str], list[str]]:
        """The article's shingles and the ids of indexed articles it is a copy of."""
        sh = shingles(article.text)
        if not sh:
            return sh, []
        hits = [h for h in self.lsh.query(_minhash(sh)) if h != article.id and is_copy(sh, self.shingles[h])]
        return sh, sorted(hits)

    def add(self, article: Article, sh: set[str] | None = None) -> None:
        if article.id in self.shingles:
            return
        sh = shingles(article.text) if sh is None else sh
        self.shingles[article.id] = sh
        if sh:
            self.lsh.insert(article.id, _minhash(sh))


def mark_duplicates(
    articles: list[Article], index: DuplicateIndex | None = None, known: dict[str, Article] | None = None
) -> list[Article]:
    """Set ``duplicate_of`` on near-copies among ``articles`` (and against ``index``, if given).

    ``known`` maps ids of already indexed articles to their Article objects; when a new
    article becomes the canonical of a group holding known articles, those are updated too.
    Returns every article whose ``duplicate_of`` changed (new ones and known ones).
    """
    index = index or DuplicateIndex()
    pool: dict[str, Article] = dict(known or {})
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

    for k, c in index.canonical.items():
        union(k, c)
    for a in articles:
        pool[a.id] = a
        sh, hits = index.find(a)
        index.add(a, sh)
        for h in hits:
            union(a.id, h)
    groups: dict[str, set[str]] = {}
    for x in set(parent) | set(parent.values()) | {a.id for a in articles}:
        groups.setdefault(root(x), set()).add(x)
    new_ids = {a.id for a in articles}
    changed: list[Article] = []
    for members in groups.values():
        if len(members) < 2 or not members & new_ids:
            continue
        arts = [pool[i] for i in sorted(members) if i in pool]
        canon = min(arts, key=canonical_key).id
        for art in arts:
            want = None if art.id == canon else canon
            index.canonical[art.id] = canon
            if art.duplicate_of != want:
                art.duplicate_of = want
                changed.append(art)
    return changed
