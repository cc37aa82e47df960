"""The same-fact model scores a long story a chunk of pairs at a time (issue 13: memory) and gets the
same pairs and probabilities as scoring every pair at once."""

import numpy as np
import pytest

from crosswire.analysis.compare import pairing
from crosswire.analysis.compare.pairing import Unit, candidates, pair_features
from crosswire.analysis.compare.pairing_model import PairModel


def _reference_candidates(pairs: np.ndarray, p1: np.ndarray, units: list[Unit], k: int) -> list[int]:
    """Each unit's k best pairs in every other article, written the plain way: (p, index) descending."""
    best: dict[tuple[int, str], list[tuple[float, int]]] = {}
    for m, (i, j) in enumerate(pairs.tolist()):
        best.setdefault((i, units[j].article), []).append((p1[m], m))
        best.setdefault((j, units[i].article), []).append((p1[m], m))
    keep: set[int] = set()
    for found in best.values():
        keep.update(m for _, m in sorted(found, reverse=True)[:k])
    return sorted(keep)


def _story(n_articles: int, per_article: int, seed: int) -> tuple[list[Unit], np.ndarray]:
    rng = np.random.default_rng(seed)
    vocab = [f"w{k}" for k in range(40)]
    names = ["merkel", "scholz", "kyiv", "nato", "putin"]
    units = []
    for a in range(n_articles):
        for s in range(per_article):
            lemmas = frozenset(rng.choice(vocab, size=5, replace=False).tolist())
            units.append(
                Unit(
                    article=f"a{a}",
                    start=s * 10,
                    end=s * 10 + 9,
                    text=" ".join(sorted(lemmas)),
                    lemmas=lemmas,
                    names=frozenset(rng.choice(names, size=int(rng.integers(0, 3)), replace=False).tolist()),
                    numbers=frozenset({str(int(rng.integers(0, 4)))} if rng.random() < 0.3 else set()),
                    trigrams=frozenset(),
                    quoted=frozenset(),
                    content_words=5,
                )
            )
    emb = rng.normal(size=(len(units), 16)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    return units, emb


def test_candidates_match_the_plain_definition_ties_included():
    units, _ = _story(4, 6, seed=1)
    rng = np.random.default_rng(2)
    pairs = np.array(
        [(i, j) for i in range(len(units)) for j in range(i + 1, len(units)) if units[i].article != units[j].article]
    )
    p1 = rng.choice([0.1, 0.2, 0.5, 0.9], size=len(pairs))  # many ties
    for k in (1, 3):
        assert candidates(pairs, p1, units, k).tolist() == _reference_candidates(pairs, p1, units, k)


@pytest.mark.parametrize("chunk", [7, 64])
def test_chunked_scoring_equals_scoring_at_once(monkeypatch, chunk):
    units, emb = _story(5, 12, seed=3)
    model = PairModel.packaged()
    whole_pairs, whole_X = pair_features(units, emb)
    keep = _reference_candidates(whole_pairs, model.first.predict(whole_X), units, pairing.CANDIDATES)
    assert 0 < len(keep) < len(whole_pairs)  # the candidates are a real subset: the test can fail
    monkeypatch.setattr(pairing, "PAIR_CHUNK", chunk)
    monkeypatch.setattr(pairing, "ROW_BLOCK", 5)
    pairs, P = model.score(units, emb)
    assert pairs.tolist() == whole_pairs[keep].tolist()
    full = np.hstack([whole_X[keep], pairing.token_features(units, whole_pairs[keep])])
    np.testing.assert_allclose(P, model.second.predict(full), rtol=0, atol=1e-12)
    # the features themselves do not depend on the row blocks
    monkeypatch.setattr(pairing, "ROW_BLOCK", 1000)
    again_pairs, again_X = pair_features(units, emb)
    assert again_pairs.tolist() == whole_pairs.tolist()
    assert np.array_equal(again_X, whole_X)
