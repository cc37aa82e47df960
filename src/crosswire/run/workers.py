"""Both cores: story analysis and embeddings in worker processes.

``StoryPool`` starts ``workers`` processes (spawned: no model or thread pool is inherited
half-initialised). Each loads spaCy and the encoder once and opens the run's store, if there
is one, as its model cache: parses and vectors computed in a worker are written there and
found there by the others and by later runs. The parent sends

- ``embed`` jobs (lists of texts): the clustering embeddings of a run's articles;
- ``story`` jobs (a story and its member articles): the per-story analysis of
  ``crosswire.run.dossier.analyze_one``, in the same code as in one process.

A worker returns what the story components provided, its stage seconds and its cache
counters. The int8 encoder embeds one text per call, so a vector does not depend on which
process computed it or what else it computed: one process or many give the same dossier. The fp32
encoder embeds in batches, whose padding can move a vector in its last float bits; the test corpus
(tests/test_paths_agree.py) gives the same dossier either way.

The worker's Language lives in ``_WORKER`` for the life of the worker process: that is the
per-process state a process pool's initializer sets up, not a singleton of the library.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crosswire.model import Article, RunWarning, Story, TimeRef
from crosswire.settings import Settings

EMBED_CHUNK = 16  # texts per embed job: small enough to keep both workers busy to the end


@dataclass(frozen=True)
class WorkerConfig:
    settings: Settings
    encoder: str  # int8 | fp32: the parent's, so that every process embeds alike
    db: str | None  # the store that serves as model cache, or None


@dataclass
class StoryJob:
    index: int
    story: Story
    members: list[Article]
    now: dt.datetime
    keep_going: bool
    vectors: dict[str, np.ndarray] = field(default_factory=dict)  # text -> vector the parent already has
    docs: dict[str, bytes] = field(default_factory=dict)  # article id -> packed Doc the parent already has


@dataclass
class StoryResult:
    index: int
    story: Story
    timerefs: dict[str, list[TimeRef]]
    warnings: list[RunWarning]
    seconds: dict[str, float]
    counts: dict[str, int]
    stats: dict[str, int]
    error: tuple[str, str, str, str] | None = None  # a ComponentError: component, story, cause type, cause text

    def raise_error(self) -> None:
        """Raise the worker's ComponentError again in this process (exceptions do not cross processes as-is)."""
        if self.error is None:
            return
        from crosswire.errors import ComponentError

        component, story, kind, text = self.error
        cause = type(kind, (Exception,), {})(text)
        raise ComponentError(component, story, cause)


@dataclass
class _Worker:
    lang: Any
    settings: Settings
    store: Any
    load_seconds: float = 0.0  # reported with the worker's first story


_WORKER: _Worker | None = None


def _init(config: WorkerConfig) -> None:
    global _WORKER
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # one core per worker: numpy's BLAS does not spread over the others
    from crosswire.nlp import Language

    store = None
    if config.db:
        from crosswire.store import Store

        store = Store(config.db)
    lang = Language(embed_batch=config.settings.embed_batch, encoder=config.encoder, cache=store, threads=1)
    _ = lang.spacy
    _ = lang.encoder
    _WORKER = _Worker(
        lang=lang, settings=config.settings, store=store, load_seconds=lang.timings.seconds["load models"]
    )


def _embed(texts: list[str]) -> np.ndarray:
    assert _WORKER is not None
    return _WORKER.lang.encoder.encode(texts)


def _story(job: StoryJob) -> StoryResult:
    from crosswire.run.dossier import analyze_one

    assert _WORKER is not None
    lang = _WORKER.lang
    lang.timings.clear()
    if _WORKER.load_seconds:  # the worker's model loading, once
        lang.timings.add("load models", _WORKER.load_seconds)
        _WORKER.load_seconds = 0.0
    before = dict(lang.stats)
    if job.vectors:
        lang.remember(list(job.vectors), np.stack(list(job.vectors.values())))
    docs = {aid: lang.unpack_doc(blob) for aid, blob in job.docs.items()}
    from crosswire.errors import ComponentError

    error: tuple[str, str, str, str] | None = None
    timerefs: dict[str, list[TimeRef]] = {}
    warnings: list[RunWarning] = []
    try:
        timerefs, warnings = analyze_one(
            job.story, job.members, lang, _WORKER.settings, now=job.now, keep_going=job.keep_going, docs=docs
        )
    except ComponentError as exc:  # the parent raises it again
        error = (exc.component, exc.story, type(exc.cause).__name__, str(exc.cause))
    seconds, counts = lang.timings.snapshot()
    stats = {k: v - before.get(k, 0) for k, v in lang.stats.items()}
    return StoryResult(job.index, job.story, timerefs, warnings, seconds, counts, stats, error)


class PoolEncoder:
    """An ``Encoder`` that spreads texts over the pool's workers (each embeds one text at a time)."""

    def __init__(self, pool: StoryPool, name: str):
        self.pool = pool
        self.name = name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.pool.embed(list(texts))


class StoryPool:
    """Worker processes for one run. Use as a context manager; the workers stop on exit."""

    def __init__(self, workers: int, config: WorkerConfig):
        self.workers = workers
        self.config = config
        ctx = multiprocessing.get_context("spawn")
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init, initargs=(config,))

    def __enter__(self) -> StoryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        chunks = [texts[i : i + EMBED_CHUNK] for i in range(0, len(texts), EMBED_CHUNK)]
        return np.concatenate(list(self.executor.map(_embed, chunks)), axis=0)

    def analyze(self, jobs: Sequence[StoryJob]) -> Iterator[StoryResult]:
        """Results as they finish; the largest stories are sent first so that no worker idles at the end."""
        order = sorted(jobs, key=lambda j: (-sum(len(a.text) for a in j.members), j.index))
        futures: list[Future[StoryResult]] = [self.executor.submit(_story, j) for j in order]
        from concurrent.futures import as_completed

        for f in as_completed(futures):
            yield f.result()
