"""Seconds per stage of a run, for ``--timings`` and ``crosswire bench analyze``.

Stages nest: time spent in an inner stage (embeddings inside the compare component) is
counted for the inner stage only, so the table adds up to the time measured. Worker
processes keep their own ``Timings`` and the parent adds them up with ``merge``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager


class Timings:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self._inner: list[float] = []

    @contextmanager
    def stage(self, name: str, count: int = 0) -> Iterator[None]:
        """Time a stage; ``count`` items it handled (texts, articles) go to ``counts``."""
        t0 = time.perf_counter()
        self._inner.append(0.0)
        try:
            yield
        finally:
            spent = time.perf_counter() - t0
            inner = self._inner.pop()
            self.add(name, spent - inner, count)
            if self._inner:
                self._inner[-1] += spent

    def add(self, name: str, seconds: float, count: int = 0) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        if count:
            self.counts[name] = self.counts.get(name, 0) + count

    def merge(self, seconds: Mapping[str, float], counts: Mapping[str, int] | None = None) -> None:
        for k, v in seconds.items():
            self.add(k, v)
        for k, n in (counts or {}).items():
            self.counts[k] = self.counts.get(k, 0) + n

    def snapshot(self) -> tuple[dict[str, float], dict[str, int]]:
        return dict(self.seconds), dict(self.counts)

    def clear(self) -> None:
        self.seconds.clear()
        self.counts.clear()
