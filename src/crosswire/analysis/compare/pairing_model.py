"""The same-fact model itself: two logistic regressions over the pair features of ``pairing`` (the first on
every compared pair, the second on each unit's best candidates with the token alignment added), the
thresholds chosen with them, and the matrix of P(same fact) over a story's units. Trained by
``scripts/train_pairing.py``; shipped in ``crosswire/data/pairing.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from crosswire.analysis.compare import pairing as features
from crosswire.analysis.compare.pairing import PairFeatures, Unit


@dataclass
class Logit:
    """A logistic regression over standardised features."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def predict(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0)
        z = ((X - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Logit:
        return cls(
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            np.asarray(data["coef"], dtype=np.float64),
            float(data["intercept"]),
        )


def _best_kept(
    pf: PairFeatures, kept: list[np.ndarray], p_kept: list[np.ndarray], X_kept: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidates among the pairs kept so far (ids ascending, chunk after chunk): ids, P and features."""
    ids, p, X = np.concatenate(kept), np.concatenate(p_kept), np.concatenate(X_kept)
    best = features.top_pairs(pf.pairs[ids], p, ids, pf.art_codes, features.CANDIDATES)
    at = np.searchsorted(ids, best)
    return best, p[at], X[at]


@dataclass
class PairModel:
    """Two stages: ``first`` scores every compared pair from cheap features; ``second`` rescores each unit's
    best candidates with the token alignment added. Plus the thresholds chosen with it."""

    first: Logit
    second: Logit
    thresholds: dict[str, float]
    record: dict[str, Any] = field(default_factory=dict)

    def score(self, units: list[Unit], emb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(pairs, P): the candidate pairs and their P(same fact). The first stage runs a chunk of pairs at
        a time and keeps the features of the candidates so far only (the best of a set that holds the best
        of the whole are the best of the whole); the second stage runs a chunk at a time too."""
        empty = np.zeros((0, 2), dtype=np.int64), np.zeros(0)
        if len(units) < 2:
            return empty
        pf = PairFeatures(units, emb)
        kept, p_kept, X_kept = (
            [np.zeros(0, dtype=np.int64)],
            [np.zeros(0)],
            [np.zeros((0, len(features.BASE_FEATURES)))],
        )
        held, limit = 0, 4 * features.PAIR_CHUNK
        for start, X in pf.chunks():
            p = self.first.predict(X)
            span = np.arange(start, start + len(X))
            keep = features.top_pairs(pf.pairs[span], p, span, pf.art_codes, features.CANDIDATES)
            kept.append(keep)
            p_kept.append(p[keep - start])
            X_kept.append(X[keep - start])
            held += len(keep)
            if held > limit:
                ids, p, X = _best_kept(pf, kept, p_kept, X_kept)
                kept, p_kept, X_kept = [ids], [p], [X]
                held = len(ids)
                limit = max(limit, 2 * held)
        final, _, X_final = _best_kept(pf, kept, p_kept, X_kept)
        if not len(final):
            return empty
        pairs = pf.pairs[final]
        del pf, kept, p_kept, X_kept
        tok = features.token_features(units, pairs)
        P = np.zeros(len(pairs))
        for start in range(0, len(pairs), features.PAIR_CHUNK):
            rows = slice(start, start + features.PAIR_CHUNK)
            P[rows] = self.second.predict(np.hstack([X_final[rows], tok[rows]]))
        return pairs, P

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(features.FEATURES),
            "first": self.first.to_json(),
            "second": self.second.to_json(),
            "candidates": features.CANDIDATES,
            "prefilter_cos": features.PREFILTER_COS,
            "thresholds": self.thresholds,
            "record": self.record,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PairModel:
        if list(data["features"]) != list(features.FEATURES):
            raise ValueError("the pairing model was trained on other features; retrain it (scripts/train_pairing.py)")
        return cls(
            Logit.from_json(data["first"]),
            Logit.from_json(data["second"]),
            {k: float(v) for k, v in data["thresholds"].items()},
            dict(data.get("record", {})),
        )

    @classmethod
    def packaged(cls) -> PairModel:
        text = resources.files("crosswire").joinpath("data/pairing.json").read_text(encoding="utf-8")
        return cls.from_json(json.loads(text))


def same_fact_matrix(units: list[Unit], emb: np.ndarray, model: PairModel) -> np.ndarray:
    """P(same fact) for every pair of units (symmetric; 0 on the diagonal, within one article and for
    pairs that were not worth comparing)."""
    n = len(units)
    out = np.zeros((n, n))
    pairs, p = model.score(units, emb)
    if len(pairs):
        out[pairs[:, 0], pairs[:, 1]] = p
        out[pairs[:, 1], pairs[:, 0]] = p
    return out
