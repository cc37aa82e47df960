"""Story component: the story's timeline, dated happenings taken from the text.

Every sentence that carries a resolved calendar date (a ``TimeRef`` of type DATE/TIME with a
day, month or year value, from ``crosswire.analysis.dates``) is a *candidate* dated by it. A
sentence with several dates gives one candidate per date, described by the clause around that
date when the sentence is long. Candidates with the same date value are grouped when their
sentence embeddings (MiniLM, ``ctx.lang.embed``) are similar (cosine >= ``SAME_HAPPENING``):
one entry per happening, citing every article that reports it; the description is the member
closest to the group's centroid. Entries are ordered by date (then precision, then the number
of sources); undated sentences are left out, not guessed. An entry is ``inferred`` only when
every citation's date depended on an inferred reference date (see ``crosswire.analysis.dates``).

The pieces (``sentence_spans``, ``candidates``, ``describe``) are shared with
``crosswire.bench.timeline``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from crosswire.analysis.context import StoryContext
from crosswire.model import Span, TimelineEntry, TimeRef, stable_id

SAME_HAPPENING = 0.55  # cosine of MiniLM sentence embeddings for "the same happening"
MAX_WORDS = 45  # longer sentences are cut to the clause around the date
_DATE_VALUE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T.*)?$")


@dataclass
class Candidate:
    article: str
    start: int  # description span in the article's cleaned text
    end: int
    text: str
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    precision: str
    inferred: bool


def date_of(ref: TimeRef) -> tuple[str, str] | None:
    """(value, precision) of a TimeRef that names a calendar day, month or year; else None."""
    if ref.type not in ("DATE", "TIME") or not ref.value:
        return None
    m = _DATE_VALUE.match(ref.value)
    if not m:
        return None
    y, mo, d = m.groups()
    if d:
        return f"{y}-{mo}-{d}", "day"
    if mo:
        return f"{y}-{mo}", "month"
    return y, "year"


def sentence_spans(doc) -> list[tuple[int, int]]:
    """Sentence character spans of a spaCy Doc, also cut at line breaks (headlines)."""
    out = []
    text = doc.text
    for sent in doc.sents:
        a = sent.start_char
        for m in re.finditer(r"\n", text[sent.start_char : sent.end_char]):
            b = sent.start_char + m.start()
            if b > a:
                out.append((a, b))
            a = b + 1
        if sent.end_char > a:
            out.append((a, sent.end_char))
    return out


def _merge_around(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The sentence(s) covering [start, end): a date cut by a bad split ("Oct.|13") joins both."""
    a = next((s for s, e in spans if s <= start < e), start)
    b = next((e for s, e in spans if s < end <= e), end)
    return a, max(b, end)


def describe(text: str, s: int, e: int, date_start: int, date_end: int) -> tuple[int, int]:
    """The sentence [s, e) trimmed to the clause around the date when it is long."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if len(text[s:e].split()) <= MAX_WORDS:
        return s, e
    cuts = [m.end() for m in re.finditer(r"[;:,]\s", text[s:e])]
    left = max([s + c for c in cuts if s + c <= date_start] or [s])
    right = min([s + c - 2 for c in cuts if s + c - 2 >= date_end] or [e])
    return left, right


_SINCE = re.compile(r"(?i)\b(?:since|until|till|through)\s+(?:the\s+)?$")


_DATELINE = re.compile(r"\||^\W*(?:Picture|Photo|File photo)\b", re.I)
_AGENCY = re.compile(r"\((?:Reuters|AP|AFP|dpa|Bloomberg|UPI|Xinhua|Interfax|TASS)\)\s*[-–—_]*\s*")
MIN_WORDS = 6  # words outside the date expression for a sentence to describe a happening


def _is_statement(sentence: str, ds: int, de: int) -> bool:
    """A sentence that can describe a happening: enough words besides the date, no dateline
    ("HOUSTON | Thu Apr 22, 2010 7:30 pm EDT", "LONDON (Reuters) -") and no photo caption."""
    if _DATELINE.search(sentence):
        return False
    rest = sentence[: max(ds, 0)] + " " + sentence[de:]
    return len(re.findall(r"[A-Za-z]{2,}", rest)) >= MIN_WORDS


def candidates(article_id: str, text: str, sents: list[tuple[int, int]], refs: list[TimeRef]) -> list[Candidate]:
    """One candidate per dated expression. In a sentence with several dates, one introduced by
    "since"/"until" is the frame of another happening ("the first call since December 2022"
    happened on November 15), not a happening of its own, and is skipped."""
    out = []
    dated = [(r, dv) for r in refs if (dv := date_of(r)) is not None]
    spans = {id(r): _merge_around(sents, r.span.start, r.span.end) for r, _ in dated}
    for r, dv in dated:
        s, e = spans[id(r)]
        others = [o for o, _ in dated if o is not r and spans[id(o)] == (s, e)]
        if others and _SINCE.search(text[max(s, r.span.start - 12) : r.span.start]):
            continue
        s, e = describe(text, s, e, r.span.start, r.span.end)
        agency = _AGENCY.search(text, s, e)
        if agency:
            if r.span.start < agency.end():
                continue  # "LONDON, July 27 (Reuters) -": the date line, not a happening
            s = agency.end()
        if not _is_statement(text[s:e], r.span.start - s, r.span.end - s):
            continue
        out.append(Candidate(article_id, s, e, text[s:e], dv[0], dv[1], r.inferred))
    return out


def _sort_key(date: str) -> tuple:
    parts = [int(p) for p in date.split("-")]
    return (parts[0], parts[1] if len(parts) > 1 else 0, parts[2] if len(parts) > 2 else 0)


def group(cands: list[Candidate], vecs: np.ndarray, threshold: float = SAME_HAPPENING) -> list[list[int]]:
    """Indices of candidates grouped by equal date and embedding similarity (average link)."""
    by_date: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(cands):
        by_date.setdefault((c.date, c.precision), []).append(i)
    groups: list[list[int]] = []
    for idx in by_date.values():
        local: list[list[int]] = []
        for i in idx:
            best, best_sim = None, threshold
            for g in local:
                sim = float(np.mean(vecs[g] @ vecs[i]))
                if sim >= best_sim:
                    best, best_sim = g, sim
            if best is None:
                local.append([i])
            else:
                best.append(i)
        groups.extend(local)
    return groups


def _fold_coarse(entries: list[TimelineEntry], cands: list[Candidate], vecs: np.ndarray) -> list[TimelineEntry]:
    """A month-precision entry about the same happening as a day inside that month joins it
    ("the last call in December 2022" and "the last call was on December 2, 2022")."""
    pos = {(c.article, c.start, c.end): i for i, c in enumerate(cands)}

    def centroid(t: TimelineEntry) -> np.ndarray:
        rows = [pos[(c.article, c.start, c.end)] for c in t.citations if (c.article, c.start, c.end) in pos]
        v = vecs[rows].mean(axis=0)
        return v / (np.linalg.norm(v) or 1.0)

    days = [t for t in entries if t.precision == "day"]
    keep = []
    for t in entries:
        if t.precision == "month":
            near = [d for d in days if d.date.startswith(t.date + "-")]
            best = max(near, key=lambda d: float(centroid(d) @ centroid(t)), default=None)
            if best is not None and float(centroid(best) @ centroid(t)) >= SAME_HAPPENING:
                best.citations = sorted(
                    {(c.article, c.start, c.end): c for c in best.citations + t.citations}.values(),
                    key=lambda c: (c.article, c.start),
                )
                best.inferred = best.inferred and t.inferred
                continue
        keep.append(t)
    return keep


REQUIRES = ("timerefs",)
PROVIDES = ("story.timeline",)


def run(ctx: StoryContext) -> None:
    cands: list[Candidate] = []
    for art in ctx.originals:
        refs = ctx.timerefs.get(art.id)
        if not refs:
            continue
        cands.extend(candidates(art.id, art.text, sentence_spans(ctx.doc(art.id)), refs))
    # one candidate per (article, span, date)
    seen, uniq = set(), []
    for c in cands:
        k = (c.article, c.start, c.end, c.date)
        if k not in seen:
            seen.add(k)
            uniq.append(c)
    cands = uniq
    if not cands:
        ctx.story.timeline = []
        return
    vecs = ctx.lang.embed([re.sub(r"\s+", " ", c.text) for c in cands])
    entries = []
    for g in group(cands, vecs):
        centroid = vecs[g].mean(axis=0)
        rep = cands[max(g, key=lambda i: float(vecs[i] @ centroid))]
        members = [cands[i] for i in g]
        cites = sorted({(m.article, m.start, m.end) for m in members})
        text = re.sub(r"\s+", " ", rep.text).strip()
        entries.append(
            TimelineEntry(
                id=stable_id("t_", ctx.story.id, rep.date, text),
                date=rep.date,
                precision=rep.precision,
                inferred=all(m.inferred for m in members),
                text=text,
                citations=[Span(a, s, e) for a, s, e in cites],
            )
        )
    entries = _fold_coarse(entries, cands, vecs)
    order = {"year": 0, "month": 1, "day": 2}
    entries.sort(key=lambda t: (_sort_key(t.date), order.get(t.precision, 3), -len(t.citations), t.text))
    ctx.story.timeline = entries
