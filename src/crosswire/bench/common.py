"""Shared helpers for the benchmark modules: data paths, clustering metrics, printing."""

from __future__ import annotations

import resource
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

from crosswire.errors import BenchDataError


def require(path: str | Path, what: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise BenchDataError(
            f"{p}: {what} not found (benchmark data lives in ../shared/bench or $CROSSWIRE_BENCH_DATA)"
        )
    return p


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Timer:
    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0


def prf(tp: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def bcubed(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """BCubed precision, recall, F1 of a clustering (pred) against gold labels, item by item."""
    n = len(pred)
    if n == 0:
        return 0.0, 0.0, 0.0
    pair = Counter(zip(pred, gold))
    psize = Counter(pred)
    gsize = Counter(gold)
    p = sum(c * c / psize[pl] for (pl, gl), c in pair.items()) / n
    r = sum(c * c / gsize[gl] for (pl, gl), c in pair.items()) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def pairwise(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """Pairwise (link) precision, recall, F1: pairs of items put together."""

    def pairs(counter: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())

    tp = pairs(Counter(zip(pred, gold)))
    return prf(tp, pairs(Counter(pred)), pairs(Counter(gold)))


def format_table(result: dict[str, Any], indent: str = "") -> str:
    """A plain text rendering of a (nested) result dict."""
    lines = []
    for k, v in result.items():
        if isinstance(v, dict):
            lines.append(f"{indent}{k}:")
            lines.append(format_table(v, indent + "  "))
        elif isinstance(v, float):
            lines.append(f"{indent}{k:<28} {v:.4f}")
        else:
            lines.append(f"{indent}{k:<28} {v}")
    return "\n".join(lines)
