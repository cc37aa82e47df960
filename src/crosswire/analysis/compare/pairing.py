"""Do two sentences from different articles report the same fact? A small trained model.

Every sentence of a story's articles becomes a ``Unit`` (its words, content lemmas, names,
numbers, quoted words and embedding). For each pair of units from two different articles,
``pair_features`` measures how much they share: embedding cosine, weighted and plain word
overlap, shared names and numbers, shared word sequences and quoted words, and how the pair
ranks among the alternatives in the other article. ``PairModel`` turns the features into
P(same fact) with a logistic regression trained on careful readers' verdicts
(``scripts/train_pairing.py``: shared facts are positive pairs, different facts and a fact
only one article reports are negative pairs). The coefficients, thresholds and a record of
what they were trained on ship in ``crosswire/data/pairing.json``.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from crosswire.text import numbers_in

_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
_QUOTED = re.compile(r"[\"“]([^\"“”]{12,}?)[\"”]")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LIGHT_VERBS = {"be", "have", "say", "do", "make", "get", "tell", "go", "take", "come"}

BASE_FEATURES = (
    "cos",
    "wjacc",
    "jacc",
    "names",
    "names_any",
    "num_shared",
    "num_conflict",
    "trigrams",
    "quoted",
    "best_ij",
    "best_ji",
    "margin",
    "len_min",
    "len_ratio",
    "cos_x_wjacc",
    "cover_min",
    "cover_max",
    "rare_names",
    "lead_both",
    "pos_gap",
    "cos_z",
    "rare_unshared",
    "num_unshared",
)
TOKEN_FEATURES = ("align_p", "align_r", "align_f", "align_min", "idf_align_min", "rare_unmatched")
FEATURES = BASE_FEATURES + TOKEN_FEATURES
# pairs below this cosine that share no name are not compared further (P = 0): it keeps the work
# near-linear in practice; 2 % of the readers' same-fact pairs fall under it (train_pairing.py data)
PREFILTER_COS = 0.15
CANDIDATES = 3  # per unit and other article: the best pairs by the first stage get the token alignment


@dataclass
class Unit:
    """One sentence (or headline) of an article, with what the pair features read."""

    article: str
    start: int
    end: int
    text: str
    lemmas: frozenset[str]
    names: frozenset[str]
    numbers: frozenset[str]
    trigrams: frozenset[tuple[str, ...]]
    quoted: frozenset[str]
    content_words: int
    tokens: np.ndarray | None = None  # content-word token vectors (Language.embed_with_tokens)
    pieces: list[str] = field(default_factory=list)  # the word pieces of those vectors
    embed_text: str = ""  # what is embedded: the text, with a leading "He"/"She" replaced by who it is
    extra: dict[str, Any] = field(default_factory=dict)


_PRONOUN_START = re.compile(r"(He|She)\b")


def _referent(span: Any) -> str | None:
    """For a sentence that opens with "He"/"She": the named subject of the sentence before it, if any."""
    if span.start == 0:
        return None
    prev = span.doc[span.start - 1].sent
    subj = [c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN"]
    if not subj:
        return None
    return span.doc[subj[0].left_edge.i : subj[0].i + 1].text


def unit_of(span: Any, article: str, tokens: np.ndarray | None = None) -> Unit:
    """A Unit from a spaCy Span over an article's cleaned text."""
    text = span.text
    embed_text = text
    extra_names: set[str] = set()
    m = _PRONOUN_START.match(text)
    who = _referent(span) if m else None
    if m and who:
        embed_text = who + text[m.end() :]
        extra_names = {w.lower() for w in who.split() if w[:1].isupper()}
    lemmas = frozenset(
        t.lemma_.lower()
        for t in span
        if t.pos_ in _CONTENT_POS and not t.is_stop and t.is_alpha and t.lemma_.lower() not in _LIGHT_VERBS
    )
    names = set(extra_names)
    for ent in span.ents:
        if ent.label_ in _NAME_LABELS:
            for t in ent:
                if t.pos_ == "PROPN" or t.is_title:
                    names.add(t.text.lower().replace("’s", "").replace("'s", ""))
    for t in span:
        if t.pos_ == "PROPN" and t.is_alpha and len(t) > 1:
            names.add(t.text.lower())
    words = _WORD.findall(text.lower().replace("’", "'"))
    tri = frozenset(zip(words, words[1:], words[2:]))
    quoted = frozenset(
        " ".join(_WORD.findall(m.group(1).lower())) for m in _QUOTED.finditer(text) if len(m.group(1).split()) >= 4
    )
    return Unit(
        article=article,
        start=span.start_char,
        end=span.end_char,
        text=text,
        lemmas=lemmas,
        names=frozenset(names),
        numbers=frozenset(numbers_in(text)),
        trigrams=tri,
        quoted=quoted,
        content_words=max(1, len(lemmas)),
        tokens=tokens,
        embed_text=embed_text,
    )


def _idf(units: list[Unit]) -> dict[str, float]:
    df: dict[str, int] = {}
    for u in units:
        for lemma in u.lemmas:
            df[lemma] = df.get(lemma, 0) + 1
    n = len(units)
    return {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}


def pair_features(units: list[Unit], emb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first-stage features of the pairs of units from different articles worth comparing
    (cosine at least ``PREFILTER_COS``, or a shared name).

    Returns (pairs, X): ``pairs`` is an (m, 2) array of unit indexes (i < j), ``X`` is (m, len(BASE_FEATURES)).
    """
    n = len(units)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64), np.zeros((0, len(BASE_FEATURES)))
    idf = _idf(units)
    cos = np.asarray(emb @ emb.T, dtype=np.float64)
    arts = np.array([u.article for u in units])
    same = arts[:, None] == arts[None, :]
    # for each unit and each other article: the best and second-best cosine in that article
    best_in: dict[tuple[int, str], tuple[int, float, float]] = {}
    for i in range(n):
        for art in set(arts.tolist()):
            if art == arts[i]:
                continue
            idx = np.flatnonzero(arts == art)
            vals = cos[i, idx]
            order = np.argsort(-vals)
            first = float(vals[order[0]])
            second = float(vals[order[1]]) if len(order) > 1 else 0.0
            best_in[(i, art)] = (int(idx[order[0]]), first, second)
    names = sorted({nm for u in units for nm in u.names})
    col = {nm: k for k, nm in enumerate(names)}
    has = np.zeros((n, max(1, len(names))), dtype=np.float32)
    for i, u in enumerate(units):
        for nm in u.names:
            has[i, col[nm]] = 1.0
    share_name = (has @ has.T) > 0
    ii, jj = np.nonzero(np.triu(~same & ((cos >= PREFILTER_COS) | share_name), k=1))
    X = np.zeros((len(ii), len(BASE_FEATURES)))
    weight = {w: idf.get(w, 0.0) for u in units for w in u.lemmas}
    # position in its article (0 = first sentence) and how rare each name is in the story
    pos = np.zeros(n)
    seen: dict[str, int] = {}
    count = {a: int((arts == a).sum()) for a in set(arts.tolist())}
    for i, u in enumerate(units):
        pos[i] = seen.get(u.article, 0) / max(1, count[u.article] - 1)
        seen[u.article] = seen.get(u.article, 0) + 1
    name_df: dict[str, int] = {}
    for u in units:
        for nm in u.names:
            name_df[nm] = name_df.get(nm, 0) + 1
    # how exceptional a cosine is for this unit: z-score against the unit's cosines to other articles
    other = np.where(same, np.nan, cos)
    with warnings.catch_warnings():  # a one-article story has no other article: its rows are all NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        mu = np.nanmean(other, axis=1)
        sd = np.nanstd(other, axis=1) + 1e-6
    for k, (i, j) in enumerate(zip(ii.tolist(), jj.tolist())):
        a, b = units[i], units[j]
        inter = a.lemmas & b.lemmas
        union = a.lemmas | b.lemmas
        wi = sum(weight[w] for w in inter)
        wu = sum(weight[w] for w in union) or 1.0
        names_inter = len(a.names & b.names)
        bi, first_i, second_i = best_in[(i, b.article)]
        bj, first_j, second_j = best_in[(j, a.article)]
        c = cos[i, j]
        X[k] = (
            c,
            wi / wu,
            len(inter) / max(1, len(union)),
            names_inter / max(1, min(len(a.names), len(b.names))) if a.names and b.names else 0.0,
            1.0 if names_inter else 0.0,
            1.0 if a.numbers & b.numbers else 0.0,
            1.0 if a.numbers and b.numbers and not a.numbers & b.numbers else 0.0,
            math.log1p(len(a.trigrams & b.trigrams)),
            1.0 if a.quoted & b.quoted else 0.0,
            1.0 if bi == j else 0.0,
            1.0 if bj == i else 0.0,
            min(c - max(second_i if bi == j else first_i, 0.0), c - max(second_j if bj == i else first_j, 0.0)),
            math.log(min(a.content_words, b.content_words)),
            min(a.content_words, b.content_words) / max(a.content_words, b.content_words),
            c * (wi / wu),
            min(_cover(a.lemmas, b.lemmas, weight), _cover(b.lemmas, a.lemmas, weight)),
            max(_cover(a.lemmas, b.lemmas, weight), _cover(b.lemmas, a.lemmas, weight)),
            sum(1.0 / name_df[nm] for nm in a.names & b.names),
            1.0 if pos[i] < 0.2 and pos[j] < 0.2 else 0.0,
            abs(pos[i] - pos[j]),
            min((c - mu[i]) / sd[i], (c - mu[j]) / sd[j]),
            sum(1.0 / name_df[nm] for nm in a.names ^ b.names),
            float(len(a.numbers ^ b.numbers)),
        )
    return np.stack([ii, jj], axis=1), X


def _cover(a: frozenset[str], b: frozenset[str], weight: dict[str, float]) -> float:
    """Share of ``a``'s weighted content words that ``b`` also has."""
    total = sum(weight[w] for w in a)
    return sum(weight[w] for w in a & b) / total if total else 0.0


def token_features(units: list[Unit], pairs: np.ndarray) -> np.ndarray:
    """Token alignment of each pair (BERTScore-like, on the encoder's own token vectors): the mean best
    match of A's content tokens in B (precision), of B's in A (recall), their F1 and the smaller one;
    the smaller of the two directions weighted by how rare each word piece is in the story; and how
    many of each side's three rarest pieces find no counterpart (best match under 0.5) in the other."""
    df: dict[str, int] = {}
    for u in units:
        for piece in set(u.pieces):
            df[piece] = df.get(piece, 0) + 1
    n = len(units)

    def idf(pieces: list[str]) -> np.ndarray:
        return np.asarray([math.log((n + 1) / (df.get(p, 0) + 0.5)) for p in pieces])

    X = np.zeros((len(pairs), len(TOKEN_FEATURES)))
    for k, (i, j) in enumerate(pairs.tolist()):
        a, b = units[i].tokens, units[j].tokens
        if a is None or b is None or not len(a) or not len(b):
            continue
        sim = a @ b.T
        best_a, best_b = sim.max(axis=1), sim.max(axis=0)
        p, r = float(best_a.mean()), float(best_b.mean())
        wa, wb = idf(units[i].pieces[: len(a)]), idf(units[j].pieces[: len(b)])
        ip = float(best_a @ wa / wa.sum()) if len(wa) == len(best_a) and wa.sum() > 0 else p
        ir = float(best_b @ wb / wb.sum()) if len(wb) == len(best_b) and wb.sum() > 0 else r
        rare = 0
        for best, w in ((best_a, wa), (best_b, wb)):
            if len(w) == len(best):
                rare += int((best[np.argsort(-w)[:3]] < 0.5).sum())
        X[k] = (p, r, 2 * p * r / (p + r) if p + r > 0 else 0.0, min(p, r), min(ip, ir), rare)
    return X


def candidates(pairs: np.ndarray, p1: np.ndarray, units: list[Unit], k: int = CANDIDATES) -> np.ndarray:
    """Indexes (into ``pairs``) of each unit's ``k`` best pairs in every other article, by the first stage."""
    best: dict[tuple[int, str], list[tuple[float, int]]] = {}
    for m, (i, j) in enumerate(pairs.tolist()):
        best.setdefault((i, units[j].article), []).append((p1[m], m))
        best.setdefault((j, units[i].article), []).append((p1[m], m))
    keep: set[int] = set()
    for found in best.values():
        found.sort(reverse=True)
        keep.update(m for _, m in found[:k])
    return np.asarray(sorted(keep), dtype=np.int64)


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


@dataclass
class PairModel:
    """Two stages: ``first`` scores every compared pair from cheap features; ``second`` rescores each unit's
    best candidates with the token alignment added. Plus the thresholds chosen with it."""

    first: Logit
    second: Logit
    thresholds: dict[str, float]
    record: dict[str, Any] = field(default_factory=dict)

    def score(self, units: list[Unit], emb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(pairs, P): the candidate pairs and their P(same fact)."""
        pairs, X = pair_features(units, emb)
        if not len(pairs):
            return pairs, np.zeros(0)
        keep = candidates(pairs, self.first.predict(X), units)
        pairs = pairs[keep]
        full = np.hstack([X[keep], token_features(units, pairs)])
        return pairs, self.second.predict(full)

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "first": self.first.to_json(),
            "second": self.second.to_json(),
            "candidates": CANDIDATES,
            "prefilter_cos": PREFILTER_COS,
            "thresholds": self.thresholds,
            "record": self.record,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PairModel:
        if list(data["features"]) != list(FEATURES):
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
