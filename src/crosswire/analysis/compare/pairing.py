"""Do two sentences from different articles report the same fact? A small trained model.

Every sentence of a story's articles becomes a ``Unit`` (its words, content lemmas, names,
numbers, quoted words and embedding). For each pair of units from two different articles,
``pair_features`` measures how much they share: embedding cosine, weighted and plain word
overlap, shared names and numbers, shared word sequences and quoted words, and how the pair
ranks among the alternatives in the other article. ``pairing_model.PairModel`` turns the features into
P(same fact) with a logistic regression trained on careful readers' verdicts
(``scripts/train_pairing.py``: shared facts are positive pairs, different facts and a fact
only one article reports are negative pairs). The coefficients, thresholds and a record of
what they were trained on ship in ``crosswire/data/pairing.json``.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
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


PAIR_CHUNK = 20_000  # pairs whose features are held at once (about 4 MB); a long story compares millions
ROW_BLOCK = 256  # rows of the unit x unit matrices computed at once


class PairFeatures:
    """The pairs of units from different articles worth comparing (cosine at least ``PREFILTER_COS``, or a
    shared name) and their first-stage features, computed a chunk at a time: a story of a few thousand
    units compares millions of pairs, whose features at once would take hundreds of MB.

    ``pairs`` is an (m, 2) array of unit indexes (i < j) in row-major order; ``chunks()`` yields
    (offset, X) with X the (k, len(BASE_FEATURES)) features of ``pairs[offset : offset + k]``.
    The values are those of computing everything at once: cosines are read from the products in their
    own precision as float64, and each row's statistics are reduced over the same row."""

    def __init__(self, units: list[Unit], emb: np.ndarray):
        self.units = units
        n = len(units)
        self.cos = np.asarray(emb @ emb.T)  # float32 for the encoder's vectors: half the size of float64
        arts = np.array([u.article for u in units])
        self.art_codes = _article_codes(units)  # each unit's article as a small integer (for ``top_pairs``)
        names = sorted({nm for u in units for nm in u.names})
        col = {nm: k for k, nm in enumerate(names)}
        has = np.zeros((n, max(1, len(names))), dtype=np.float32)
        for i, u in enumerate(units):
            for nm in u.names:
                has[i, col[nm]] = 1.0
        # per row block: the compared pairs (upper triangle) and the unit's cosine statistics against the
        # other articles (how exceptional a cosine is for this unit: its z-score among them)
        ii_parts, jj_parts = [], []
        self.mu, self.sd = np.zeros(n), np.zeros(n)
        cols = np.arange(n)
        for r0 in range(0, n, ROW_BLOCK):
            r1 = min(n, r0 + ROW_BLOCK)
            cos_b = self.cos[r0:r1].astype(np.float64)
            same_b = arts[r0:r1, None] == arts[None, :]
            share_b = (has[r0:r1] @ has.T) > 0
            mask = ~same_b & ((cos_b >= PREFILTER_COS) | share_b) & (cols[None, :] > np.arange(r0, r1)[:, None])
            bi, bj = np.nonzero(mask)
            ii_parts.append(bi + r0)
            jj_parts.append(bj)
            other = np.where(same_b, np.nan, cos_b)
            with warnings.catch_warnings():  # a one-article story has no other article: its rows are all NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                self.mu[r0:r1] = np.nanmean(other, axis=1)
                self.sd[r0:r1] = np.nanstd(other, axis=1) + 1e-6
        ii = np.concatenate(ii_parts) if ii_parts else np.zeros(0, dtype=np.int64)
        jj = np.concatenate(jj_parts) if jj_parts else np.zeros(0, dtype=np.int64)
        self.pairs = np.stack([ii, jj], axis=1).astype(np.int64)
        # for each unit and each other article: the best and second-best cosine in that article
        self.best_in: dict[tuple[int, str], tuple[int, float, float]] = {}
        members = {art: np.flatnonzero(arts == art) for art in set(arts.tolist())}
        for i in range(n):
            for art, idx in members.items():
                if art == arts[i]:
                    continue
                vals = self.cos[i, idx].astype(np.float64)
                order = np.argsort(-vals)
                first = float(vals[order[0]])
                second = float(vals[order[1]]) if len(order) > 1 else 0.0
                self.best_in[(i, art)] = (int(idx[order[0]]), first, second)
        idf = _idf(units)
        self.weight = {w: idf.get(w, 0.0) for u in units for w in u.lemmas}
        # position in its article (0 = first sentence) and how rare each name is in the story
        self.pos = np.zeros(n)
        seen: dict[str, int] = {}
        count = {a: len(idx) for a, idx in members.items()}
        for i, u in enumerate(units):
            self.pos[i] = seen.get(u.article, 0) / max(1, count[u.article] - 1)
            seen[u.article] = seen.get(u.article, 0) + 1
        self.name_df: dict[str, int] = {}
        for u in units:
            for nm in u.names:
                self.name_df[nm] = self.name_df.get(nm, 0) + 1

    def chunks(self, size: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
        size = size or PAIR_CHUNK
        for start in range(0, len(self.pairs), size):
            yield start, self.features(self.pairs[start : start + size])

    def features(self, pairs: np.ndarray) -> np.ndarray:
        units, weight, name_df, pos, mu, sd = self.units, self.weight, self.name_df, self.pos, self.mu, self.sd
        X = np.zeros((len(pairs), len(BASE_FEATURES)))
        for k, (i, j) in enumerate(pairs.tolist()):
            a, b = units[i], units[j]
            inter = a.lemmas & b.lemmas
            union = a.lemmas | b.lemmas
            wi = sum(weight[w] for w in inter)
            wu = sum(weight[w] for w in union) or 1.0
            names_inter = len(a.names & b.names)
            bi, first_i, second_i = self.best_in[(i, b.article)]
            bj, first_j, second_j = self.best_in[(j, a.article)]
            c = float(self.cos[i, j])
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
        return X


def pair_features(units: list[Unit], emb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every compared pair and its first-stage features at once (``PairFeatures``; for training).

    Returns (pairs, X): ``pairs`` is an (m, 2) array of unit indexes (i < j), ``X`` is (m, len(BASE_FEATURES)).
    """
    if len(units) < 2:
        return np.zeros((0, 2), dtype=np.int64), np.zeros((0, len(BASE_FEATURES)))
    pf = PairFeatures(units, emb)
    parts = [X for _, X in pf.chunks()]
    return pf.pairs, (np.concatenate(parts) if parts else np.zeros((0, len(BASE_FEATURES))))


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
    """Indexes (into ``pairs``) of each unit's ``k`` best pairs in every other article, by the first stage
    (ties: the later pair first)."""
    return top_pairs(pairs, p1, np.arange(len(pairs)), _article_codes(units), k)


def _article_codes(units: list[Unit]) -> np.ndarray:
    code: dict[str, int] = {}
    return np.array([code.setdefault(u.article, len(code)) for u in units], dtype=np.int64)


def top_pairs(pairs: np.ndarray, p1: np.ndarray, ids: np.ndarray, art: np.ndarray, k: int) -> np.ndarray:
    """Of the pairs (ids: their indexes), those among the ``k`` best of either unit in the other's article,
    as sorted ids. The best of a subset that holds the best of the whole are the best of the whole."""
    if not len(pairs):
        return np.zeros(0, dtype=np.int64)
    n_art = int(art.max()) + 1
    i, j = pairs[:, 0], pairs[:, 1]
    key = np.concatenate([i * n_art + art[j], j * n_art + art[i]])
    p = np.concatenate([p1, p1])
    m = np.concatenate([ids, ids])
    order = np.lexsort((-m, -p, key))  # by unit and article, then the surest first, ties the later first
    key, m = key[order], m[order]
    first = np.r_[True, key[1:] != key[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(key)), 0))
    return np.unique(m[np.arange(len(key)) - start < k])
