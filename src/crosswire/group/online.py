"""Online story clustering: each article joins the best open story or opens a new one.

An article is compared with a story by a weighted sum of three cosines, each
against the story's running centroid:

* words: sub-linear TF times an incremental IDF (document frequencies grow as
  articles arrive, so the IDF of an article is fixed when it arrives and never
  re-weighted later, which keeps earlier decisions and ids stable);
* names: capitalised names, weighted the same way (they split "two earthquakes
  of the same kind": different places, people, dates);
* the MiniLM embedding of the headline and lead.

Time: when both dates are known, a story more than ``window_days`` older than
the article is closed (pruned from the index), and the similarity drops
linearly with the gap. Without dates, at most ``max_open`` most recently
touched stories stay open. Candidates are the ``top_k`` open stories nearest
by embedding (one matrix product over open stories only), so the cost per
article is bounded by the open set, not by the number of stories ever made.

Topics are a second, coarser clustering of the same kind: a new story joins
the nearest topic above ``topic_threshold`` (or founds one), and every article
of a story also updates its topic's centroid.

Saved state can be loaded whole (``from_state``) or lazily (``from_heads``): then only the open
centroids' heads (dates, counts, embedding sums) are in memory, and a centroid's term vectors
are read through the loader when the article at hand is scored against it or joins it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from crosswire.group.features import Features
from crosswire.model import stable_id

DIM = 384


@dataclass(frozen=True)
class Params:
    """Clustering defaults. Fixed in code; chosen on the odd-numbered ECB+ topics only
    (see ``crosswire.bench.stories_tune``) and never on the data they are scored on."""

    # topic step: which coarse topic does the article belong to?
    topic_words: float = 0.4
    topic_names: float = 0.3
    topic_embed: float = 0.3
    topic_threshold: float = 0.25
    # story step: which story of that topic (names and rare words tell events apart)
    w_words: float = 0.3
    w_names: float = 0.7
    w_embed: float = 0.0
    threshold: float = 0.25
    window_days: float = 21.0
    time_penalty: float = 0.15  # similarity lost at a gap of window_days
    top_k: int = 20
    max_open: int = 5000
    max_terms: int = 400  # centroid terms kept (by weight) after pruning


@dataclass
class Centroid:
    """The running centre of a story or a topic."""

    id: str
    founder: str
    count: int = 0
    words: dict[str, float] = field(default_factory=dict)
    words_n2: float = 0.0
    names: dict[str, float] = field(default_factory=dict)
    names_n2: float = 0.0
    vec: np.ndarray | None = None  # sum of member embeddings
    first_day: int | None = None
    last_day: int | None = None
    seq: int = 0  # arrival counter of its last article
    topic: str | None = None
    closed: bool = False  # faded: out of the index, term centroids freed
    partial: bool = False  # loaded without its term vectors (words, names): see OnlineClusterer.from_heads

    def add(
        self,
        words: dict[str, float],
        names: dict[str, float],
        vec: np.ndarray | None,
        day: int | None,
        seq: int,
        max_terms: int,
    ) -> None:
        self.words_n2 = _add_into(self.words, self.words_n2, words, max_terms)
        self.names_n2 = _add_into(self.names, self.names_n2, names, max_terms)
        if vec is not None:
            self.vec = vec.astype(np.float32).copy() if self.vec is None else self.vec + vec
        if day is not None:
            self.first_day = day if self.first_day is None else min(self.first_day, day)
            self.last_day = day if self.last_day is None else max(self.last_day, day)
        self.count += 1
        self.seq = seq

    def unit_vec(self) -> np.ndarray | None:
        if self.vec is None:
            return None
        n = float(np.linalg.norm(self.vec))
        return self.vec / n if n else self.vec

    def to_state(self) -> dict[str, Any]:
        if self.partial:
            raise ValueError(f"centroid {self.id} was loaded without its terms")
        d = asdict(self)
        d.pop("partial")
        d["vec"] = None if self.vec is None else [float(x) for x in self.vec]  # exact for float32
        return d

    def head_state(self) -> dict[str, Any]:
        """The state without the term vectors and the embedding sum (kept apart: see from_head)."""
        d = self.to_state()
        for k in ("words", "names", "vec"):
            d.pop(k)
        return d

    @classmethod
    def from_state(cls, d: dict[str, Any]) -> Centroid:
        d = {k: v for k, v in d.items() if k != "partial"}
        d["vec"] = None if d.get("vec") is None else np.array(d["vec"], dtype=np.float32)
        d["words"], d["names"] = dict(d.get("words") or {}), dict(d.get("names") or {})  # never share the caller's
        return cls(**d)

    @classmethod
    def from_head(cls, head: dict[str, Any], vec: np.ndarray | None) -> Centroid:
        """A centroid without its term vectors (``partial``), from ``head_state`` and its embedding sum."""
        d = {k: v for k, v in head.items() if k not in ("words", "names", "vec", "partial")}
        return cls(**d, vec=vec, partial=not d.get("closed", False))


def _add_into(acc: dict[str, float], n2: float, vec: dict[str, float], max_terms: int) -> float:
    """acc += vec, keeping the squared norm up to date; prune small terms when it grows."""
    for t, v in vec.items():
        old = acc.get(t, 0.0)
        acc[t] = old + v
        n2 += 2 * old * v + v * v
    if len(acc) > 2 * max_terms:
        keep = sorted(acc.items(), key=lambda kv: -kv[1])[:max_terms]
        acc.clear()
        acc.update(keep)
        n2 = sum(v * v for v in acc.values())
    return n2


def _cos(a: dict[str, float], c: dict[str, float], c_n2: float) -> float:
    if not a or c_n2 <= 0:
        return 0.0
    if len(a) > len(c):
        dot = sum(v * a[t] for t, v in c.items() if t in a)
    else:
        dot = sum(v * c[t] for t, v in a.items() if t in c)
    return dot / math.sqrt(c_n2)


class _Index:
    """Open clusters' unit embedding centroids in one matrix, for top-k candidate search."""

    def __init__(self):
        self.ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.mat = np.zeros((64, DIM), dtype=np.float32)

    def put(self, cid: str, unit: np.ndarray | None) -> None:
        if cid not in self.pos:
            if len(self.ids) == self.mat.shape[0]:
                self.mat = np.vstack([self.mat, np.zeros_like(self.mat)])
            self.pos[cid] = len(self.ids)
            self.ids.append(cid)
        self.mat[self.pos[cid]] = 0.0 if unit is None else unit

    def remove(self, cid: str) -> None:
        i = self.pos.pop(cid, None)
        if i is None:
            return
        last = len(self.ids) - 1
        if i != last:
            moved = self.ids[last]
            self.ids[i] = moved
            self.pos[moved] = i
            self.mat[i] = self.mat[last]
        self.ids.pop()

    def top(self, vec: np.ndarray | None, k: int) -> list[str]:
        n = len(self.ids)
        if n <= k or vec is None:
            return list(self.ids)
        sims = self.mat[:n] @ vec
        idx = np.argpartition(-sims, k)[:k]
        return [self.ids[i] for i in idx]


Loader = Callable[[str], Centroid | None]
DfLoader = Callable[[str, list[str]], dict[str, int]]  # (words | names, terms) -> their document frequencies


class _Pool(dict):
    """Centroids by id; with a loader, one that is not in memory is read on first use."""

    def __init__(self, loader: Loader | None = None):
        super().__init__()
        self.loader = loader

    def __missing__(self, cid: str) -> Centroid:
        c = self.loader(cid) if self.loader is not None else None
        if c is None:
            raise KeyError(cid)
        self[cid] = c
        return c


class OnlineClusterer:
    """Assigns articles to stories (and stories to topics) one at a time."""

    def __init__(self, params: Params | None = None, loader: Loader | None = None, df_loader: DfLoader | None = None):
        self.p = params or Params()
        self.n_docs = 0
        self.df_words: dict[str, int] = {}
        self.df_names: dict[str, int] = {}
        self.stories: dict[str, Centroid] = _Pool(loader)
        self.topics: dict[str, Centroid] = _Pool(loader)
        self._loader = loader
        self._df_loader = df_loader
        self._open = _Index()
        self._open_topics = _Index()
        self._by_topic: dict[str, set[str]] = {}  # topic id -> its open stories
        self.seq = 0
        self.today: int | None = None  # latest publication day seen
        self.changed: set[str] = set()  # ids of centroids changed since the last take_changes()

    # -- weighting ---------------------------------------------------------
    def _weigh(self, tf: dict[str, float], df: dict[str, int]) -> dict[str, float]:
        n = self.n_docs
        out = {t: v * (math.log((n + 1) / (df.get(t, 0) + 1)) + 1.0) for t, v in tf.items()}
        norm = math.sqrt(sum(v * v for v in out.values())) or 1.0
        return {t: v / norm for t, v in out.items()}

    def _score(
        self, c: Centroid, words: dict[str, float], names: dict[str, float], f: Features, w: tuple[float, ...]
    ) -> float:
        p = self.p
        s = w[0] * _cos(words, c.words, c.words_n2) + w[1] * _cos(names, c.names, c.names_n2)
        if w[2] and f.vector is not None and c.vec is not None:
            n = float(np.linalg.norm(c.vec))
            s += w[2] * (float(f.vector @ c.vec) / n if n else 0.0)
        elif w[2]:  # no embeddings: re-scale the other two
            s /= (w[0] + w[1]) or 1.0
        if f.day is not None and c.last_day is not None:
            gap = max(0, f.day - c.last_day, c.first_day - f.day if c.first_day is not None else 0)
            s -= p.time_penalty * min(gap, p.window_days) / p.window_days
        return s

    def _best(
        self, pool: dict[str, Centroid], candidates: list[str], words, names, f: Features, w: tuple[float, ...]
    ) -> tuple[str | None, float]:
        best, best_s = None, -1.0
        for cid in sorted(candidates):
            c = pool[cid]
            if f.day is not None and c.last_day is not None and f.day - c.last_day > self.p.window_days:
                continue
            s = self._score(self._full(pool, c), words, names, f, w)
            if s > best_s:
                best, best_s = cid, s
        return best, best_s

    # -- the step ----------------------------------------------------------
    def add(self, f: Features) -> tuple[str, str, bool]:
        """Place one article. Returns (story id, topic id, whether the story is new)."""
        if self._df_loader is not None:  # lazily loaded: read the frequencies of this article's terms
            need_words, need_names = self.needs_df(f)
            self.df_words.update(self._df_loader("words", need_words) if need_words else {})
            self.df_names.update(self._df_loader("names", need_names) if need_names else {})
        self.seq += 1
        self.n_docs += 1
        for t in f.words:
            self.df_words[t] = self.df_words.get(t, 0) + 1
        for t in f.names:
            self.df_names[t] = self.df_names.get(t, 0) + 1
        words = self._weigh(f.words, self.df_words)
        names = self._weigh(f.names, self.df_names)
        if f.day is not None and (self.today is None or f.day > self.today):
            self.today = f.day
            self._prune_by_time()

        p = self.p
        tid, ts = self._best(
            self.topics,
            self._open_topics.top(f.vector, p.top_k),
            words,
            names,
            f,
            (p.topic_words, p.topic_names, p.topic_embed),
        )
        if tid is None or ts < p.topic_threshold:
            tid = stable_id("t_", f.article)
            self.topics[tid] = Centroid(id=tid, founder=f.article)
            self._by_topic[tid] = set()
            sid, s = None, 0.0
        else:
            sid, s = self._best(
                self.stories, self._story_candidates(tid, f), words, names, f, (p.w_words, p.w_names, p.w_embed)
            )
        new = sid is None or s < p.threshold
        if new:
            sid = stable_id("s_", f.article)
            self.stories[sid] = Centroid(id=sid, founder=f.article, topic=tid)
            self._by_topic.setdefault(tid, set()).add(sid)
        story = self._full(self.stories, self.stories[sid])
        story.add(words, names, f.vector, f.day, self.seq, self.p.max_terms)
        topic = self._full(self.topics, self.topics[story.topic])
        topic.add(words, names, f.vector, f.day, self.seq, self.p.max_terms)
        self._open.put(sid, story.unit_vec())
        self._open_topics.put(topic.id, topic.unit_vec())
        self.changed.update((sid, topic.id))
        if len(self._open.ids) > self.p.max_open:
            self._prune_by_count()
        return sid, story.topic, new

    def _full(self, pool: dict[str, Centroid], c: Centroid) -> Centroid:
        """The centroid with its term vectors (read through the loader when only its head is in memory)."""
        if not c.partial:
            return c
        full = self._loader(c.id) if self._loader is not None else None
        if full is None or full.partial:
            raise KeyError(f"the terms of centroid {c.id} cannot be loaded")
        pool[c.id] = full
        return full

    def topic_of(self, sid: str) -> str | None:
        """The topic of a story (None when the story is unknown)."""
        try:
            return self.stories[sid].topic
        except KeyError:
            return None

    def _story_candidates(self, tid: str, f: Features) -> list[str]:
        ids = self._by_topic.get(tid, set())
        if len(ids) <= self.p.top_k or f.vector is None:
            return list(ids)
        ranked = sorted(ids, key=lambda c: -float(self._open.mat[self._open.pos[c]] @ f.vector))
        return ranked[: self.p.top_k]

    def _prune_by_time(self) -> None:
        if self.today is None or self.seq % 64:
            return
        limit = self.today - self.p.window_days
        for pool, index in ((self.stories, self._open), (self.topics, self._open_topics)):
            for cid in [c for c in index.ids if pool[c].last_day is not None and pool[c].last_day < limit]:
                index.remove(cid)
                self._drop_terms(pool[cid])

    def _prune_by_count(self) -> None:
        for pool, index in ((self.stories, self._open), (self.topics, self._open_topics)):
            extra = len(index.ids) - self.p.max_open
            if extra <= 0:
                continue
            for cid in sorted(index.ids, key=lambda c: pool[c].seq)[: max(extra, self.p.max_open // 10)]:
                index.remove(cid)
                self._drop_terms(pool[cid])

    def _drop_terms(self, c: Centroid) -> None:
        """A closed cluster keeps its id, dates and size; its term centroids are freed."""
        c.words, c.names, c.closed, c.partial = {}, {}, True, False
        self.changed.add(c.id)
        if c.topic is not None:
            self._by_topic.get(c.topic, set()).discard(c.id)

    # -- persistence ---------------------------------------------------------
    def take_changes(self) -> set[str]:
        out, self.changed = self.changed, set()
        return out

    def centroid(self, cid: str) -> Centroid:
        return self.stories[cid] if cid in self.stories else self.topics[cid]

    def header_state(self) -> dict[str, Any]:
        return {"n_docs": self.n_docs, "seq": self.seq, "today": self.today, "params": asdict(self.p)}

    def to_state(self) -> dict[str, Any]:
        return {
            **self.header_state(),
            "df_words": self.df_words,
            "df_names": self.df_names,
            "stories": [c.to_state() for c in self.stories.values()],
            "topics": [c.to_state() for c in self.topics.values()],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], params: Params | None = None) -> OnlineClusterer:
        self = cls(params)
        self.n_docs, self.seq, self.today = state["n_docs"], state["seq"], state.get("today")
        self.df_words = dict(state.get("df_words", {}))
        self.df_names = dict(state.get("df_names", {}))
        for d in state.get("topics", []):
            self.topics[d["id"]] = Centroid.from_state(d)
        for d in state.get("stories", []):
            self.stories[d["id"]] = Centroid.from_state(d)
        self._index_open()
        return self

    @classmethod
    def from_heads(
        cls,
        header: dict[str, Any],
        heads: Iterable[Centroid],
        loader: Loader,
        df_loader: DfLoader,
        params: Params | None = None,
    ) -> OnlineClusterer:
        """A clusterer that holds only the given centroid heads (at least every open one) and reads the
        rest through ``loader``; ``add`` reads the document frequencies of the article's terms it has
        not seen through ``df_loader``."""
        self = cls(params, loader, df_loader)
        self.n_docs, self.seq, self.today = header["n_docs"], header["seq"], header.get("today")
        for c in heads:
            (self.stories if c.id.startswith("s_") else self.topics)[c.id] = c
        self._index_open()
        return self

    def needs_df(self, f: Features) -> tuple[list[str], list[str]]:
        """The article's terms whose document frequencies are not in memory (words, names)."""
        return [t for t in f.words if t not in self.df_words], [t for t in f.names if t not in self.df_names]

    def _index_open(self) -> None:
        for pool, index in ((self.stories, self._open), (self.topics, self._open_topics)):
            for c in sorted(pool.values(), key=lambda c: c.seq):
                if not c.closed:
                    index.put(c.id, c.unit_vec())
                    if c.topic is not None:
                        self._by_topic.setdefault(c.topic, set()).add(c.id)
