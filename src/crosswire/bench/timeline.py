"""`crosswire bench timeline DIR`: timeline summarisation on the Timeline17 layout.

Per topic folder: ``articles.json`` (``uid, dct, text``; PTB-tokenised) and reference timelines
``*.timeline.json`` (``date, text``). For each reference timeline the system builds a timeline
with as many dates as the reference and, per date, as many sentences as the reference's
average (rounded, at least 1), within the reference's first..last date (the usual T17 setting).

System (crosswire): text de-tokenised, dates found and resolved with ``analysis.dates`` against each
article's ``dct``; every sentence with a day-precision date is a candidate for that date
(``timeline.candidates``). Dates are ranked by how many distinct articles mention them (ties:
total mentions); per date, sentences are ranked by TF-IDF cosine to the date's candidate
centroid plus cosine to the topic centroid, and picked greedily without near-repeats
(cosine < 0.5 to sentences already picked). Baseline, same run: dates by raw mention count,
the first sentence (by publication order) that mentions each date.

Metrics (averaged over reference timelines):
- date P/R/F1: the set of system dates against the reference dates;
- AR-N (N=1,2), alignment-based ROUGE with many-to-one date alignment after Martschat &
  Markert (2017/2018, tilse's ``align_date_content_costs_many_to_one``), implemented here: each
  system date d is aligned to the reference date r maximising w(d, r) * overlap_N(d, r), with
  w = 1 / (|d - r| in days + 1) (ties, or no overlap at all: the nearest reference date). The
  clipped n-gram overlap is weighted by w; P = sum of weighted overlaps / system n-grams,
  R = the same / reference n-grams (capped at 1). Tokens: lower-cased alphanumeric runs, no
  stemming, stop words kept (``ar*_f1``) and removed (``ar*_f1_no_stopwords``, scikit-learn's
  English list); published systems used tilse's own ROUGE set-up, so compare with care.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from crosswire.analysis.dates import parse_ref, time_refs
from crosswire.analysis.timeline import candidates, date_of
from crosswire.bench.common import Timer, prf, require
from crosswire.errors import BenchDataError

_PTB = [
    (r"-LRB-", "("),
    (r"-RRB-", ")"),
    (r"-LSB-", "["),
    (r"-RSB-", "]"),
    (r"-LCB-", "{"),
    (r"-RCB-", "}"),
    (r"`` ", '"'),
    (r" ''", '"'),
    (r"` ", "'"),
    (r" n't\b", "n't"),
    (r" '(s|re|ve|ll|d|m)\b", r"'\1"),
    (r" ([.,;:!?%])", r"\1"),
    (r"\$ (\d)", r"$\1"),
    (r"\( ", "("),
    (r" \)", ")"),
]


def detok(text: str) -> str:
    for a, b in _PTB:
        text = re.sub(a, b, text)
    return re.sub(r"\s+", " ", text).strip()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of de-tokenised text: cut after . ! ? (and a closing quote) before a capital."""
    spans, a = [], 0
    for m in re.finditer(r"[.!?][\"')]?(?=\s+[\"'(]?[A-Z0-9])", text):
        spans.append((a, m.end()))
        a = m.end()
        while a < len(text) and text[a].isspace():
            a += 1
    spans.append((a, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _ngrams(text: str, n: int, stop: frozenset = frozenset()) -> Counter:
    toks = [t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in stop]
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def _day(s: str) -> dt.date:
    return dt.date.fromisoformat(s[:10])


def date_prf(pred: list[str], ref: list[str]) -> tuple[float, float, float]:
    return prf(len(set(pred) & set(ref)), len(set(pred)), len(set(ref)))


def align_rouge(
    pred: dict[str, str], ref: dict[str, str], n: int, stop: frozenset = frozenset()
) -> tuple[float, float, float]:
    """Alignment-based ROUGE-N with many-to-one date alignment (see module docstring)."""
    ref_ng = {r: _ngrams(t, n, stop) for r, t in ref.items()}
    ref_days = {r: _day(r) for r in ref}
    total = 0.0
    n_pred = 0
    for d, text in pred.items():
        png = _ngrams(text, n, stop)
        n_pred += sum(png.values())
        dd = _day(d)
        best = None
        for r, rng in ref_ng.items():
            w = 1.0 / (abs((dd - ref_days[r]).days) + 1)
            ov = sum((png & rng).values())
            key = (w * ov, w)
            if best is None or key > best[0]:
                best = (key, w * ov)
        total += best[1] if best else 0.0
    n_ref = sum(sum(c.values()) for c in ref_ng.values())
    p = total / n_pred if n_pred else 0.0
    r = min(1.0, total / n_ref) if n_ref else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _load(folder: Path, limit: int | None) -> list[dict]:
    arts = json.loads((folder / "articles.json").read_text(encoding="utf-8"))
    arts.sort(key=lambda a: (a.get("dct") or "", str(a.get("uid"))))
    if limit and len(arts) > limit:
        step = len(arts) / limit
        arts = [arts[int(i * step)] for i in range(limit)]  # even sample over time, deterministic
    return arts


def _topic_candidates(arts: list[dict]) -> list:
    out = []
    for k, a in enumerate(arts):
        text = detok(a.get("text") or "")
        ref = parse_ref(a.get("dct"))
        if not text or ref is None:
            continue
        refs = [r for r in time_refs(str(k), text, ref) if (dv := date_of(r)) and dv[1] == "day"]
        for c in candidates(str(k), text, sentence_spans(text), refs):
            out.append((k, c))
    return out


def _system(cands, n_dates: int, per_date: int, lo: str, hi: str) -> dict[str, str]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    pool = [(k, c) for k, c in cands if lo <= c.date <= hi]
    if not pool:
        return {}
    arts_by_date: dict[str, set] = defaultdict(set)
    count = Counter()
    for k, c in pool:
        arts_by_date[c.date].add(k)
        count[c.date] += 1
    dates = sorted(arts_by_date, key=lambda d: (-len(arts_by_date[d]), -count[d], d))[:n_dates]
    texts = list(dict.fromkeys(c.text for _, c in pool))
    index = {t: i for i, t in enumerate(texts)}
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(texts)
    X = vec.transform(texts)
    topic = np.asarray(X.mean(axis=0)).ravel()
    topic /= np.linalg.norm(topic) or 1.0
    out = {}
    for d in dates:
        sents = list(dict.fromkeys(c.text for _, c in pool if c.date == d))
        rows = X[[index[t] for t in sents]]
        cen = np.asarray(rows.mean(axis=0)).ravel()
        cen /= np.linalg.norm(cen) or 1.0
        score = rows @ cen + rows @ topic
        picked: list[int] = []
        for i in np.argsort(-score):
            if len(picked) >= per_date:
                break
            if any((rows[i] @ rows[j].T).toarray()[0, 0] >= 0.5 for j in picked):
                continue
            picked.append(int(i))
        out[d] = " ".join(sents[i] for i in picked)
    return out


def _baseline(cands, n_dates: int, per_date: int, lo: str, hi: str) -> dict[str, str]:
    pool = [(k, c) for k, c in cands if lo <= c.date <= hi]
    count = Counter(c.date for _, c in pool)
    dates = [d for d, _ in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[:n_dates]]
    out = {}
    for d in dates:
        sents = list(dict.fromkeys(c.text for _, c in pool if c.date == d))
        out[d] = " ".join(sents[:per_date])
    return out


def _score(pred: dict[str, str], ref: dict[str, str]) -> dict[str, float]:
    _, _, df = date_prf(list(pred), list(ref))
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    stop = frozenset(ENGLISH_STOP_WORDS)
    return {
        "date_f1": df,
        "ar1_f1": align_rouge(pred, ref, 1)[2],
        "ar2_f1": align_rouge(pred, ref, 2)[2],
        "ar1_f1_no_stopwords": align_rouge(pred, ref, 1, stop)[2],
        "ar2_f1_no_stopwords": align_rouge(pred, ref, 2, stop)[2],
    }


def run(directory: str, limit: int | None = None) -> dict:
    root = require(directory, "Timeline17 folder")
    topics = sorted(p for p in root.iterdir() if p.is_dir())
    rows, base_rows, per_topic, skipped = [], [], {}, []
    n_articles = 0
    with Timer() as t:
        for folder in topics:
            refs = sorted(folder.glob("*.timeline.json"))
            if not (folder / "articles.json").exists() or not refs:
                skipped.append(f"{folder.name}: no articles.json or no reference timeline")
                continue
            try:
                arts = _load(folder, limit)
            except (OSError, ValueError, TypeError, KeyError) as exc:  # reported; other topics go on
                skipped.append(f"{folder.name}/articles.json: {exc}")
                continue
            n_articles += len(arts)
            cands = _topic_candidates(arts)
            for rp in refs:
                try:
                    ref_items = json.loads(rp.read_text(encoding="utf-8"))
                    if not ref_items:
                        raise ValueError("empty reference timeline")
                except (OSError, ValueError) as exc:
                    skipped.append(f"{folder.name}/{rp.name}: {exc}")
                    continue
                ref = defaultdict(list)
                for item in ref_items:
                    ref[item["date"][:10]].append(item["text"])
                ref = {d: " ".join(v) for d, v in ref.items()}
                n_sent = [len([s for s in re.split(r"\s\.\s", t) if s.strip()]) for t in ref.values()]
                per_date = max(1, round(sum(n_sent) / len(n_sent)))
                lo, hi = min(ref), max(ref)
                sys = _system(cands, len(ref), per_date, lo, hi)
                base = _baseline(cands, len(ref), per_date, lo, hi)
                s, b = _score(sys, ref), _score(base, ref)
                rows.append(s)
                base_rows.append(b)
                per_topic[f"{folder.name}/{rp.name}"] = {k: round(v, 4) for k, v in s.items()}
    if not rows:
        raise BenchDataError(f"{root}: no topic with articles.json and a reference timeline ({'; '.join(skipped)})")

    def mean(rs, k):
        return float(np.mean([r[k] for r in rs]))

    keys = ("date_f1", "ar1_f1", "ar2_f1", "ar1_f1_no_stopwords", "ar2_f1_no_stopwords")
    return {
        "timelines": len(rows),
        "articles": n_articles,
        "articles_per_topic_limit": limit,
        **{k: mean(rows, k) for k in keys},
        "seconds": round(t.seconds, 2),
        "baseline": {"name": "most-mentioned dates + first sentence", **{k: mean(base_rows, k) for k in keys}},
        "published": {"date-wise (Ghalandari & Ifrim 2020)": {"date_f1": 0.544, "ar1_f1": 0.120, "ar2_f1": 0.035}},
        "per_timeline": per_topic,
        "skipped": skipped,
    }
