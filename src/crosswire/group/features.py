"""What the story clusterer looks at in one article: words, names, an embedding, a date.

Everything here is cheap (regular expressions, no model) except the embedding,
which the caller computes with ``Language.embed`` on ``article_embedding_text``
(or passes in precomputed, e.g. from the Ray batch path).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from crosswire.model import Article
from crosswire.text import MONTHS

# A compact English stop list (function words and newsroom filler).
STOP = frozenset(
    """
a about above after again against all almost also although always am among an and another any are aren't around
as at be became because been before being below between both but by can cannot could did didn't do does doesn't
doing don't down during each either else even ever every few for from further get gets got had has hasn't have
having he her here hers herself him himself his how however i if in into is isn't it it's its itself just last
least less let like made make many may me might more most much must my myself neither never new next no nor not
now of off often on once one only or other others our ours ourselves out over own per perhaps rather said same
say says she should since so some still such than that that's the their theirs them themselves then there these
they this those though through thus to too two under until up upon us very via was wasn't we were weren't what
when where whether which while who whom whose why will with within without would yet you your yours yourself
told tells according reported report reports news year years week weeks day days time times people monday tuesday
wednesday thursday friday saturday sunday today yesterday tomorrow mr mrs ms dr it’s don’t
""".split()
)

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*[A-Za-z0-9]|[A-Za-z]")
_NAME = re.compile(r"\b(?:[A-Z][a-z]+[A-Za-z'’\-]*|[A-Z]{2,}[a-z]?)(?:\s+(?:[A-Z][a-z]+[A-Za-z'’\-]*|[A-Z]{2,}))*")
_NUMBER = re.compile(r"\b(?:[A-Za-z]+\d[\w\-]*|\d+(?:[.,\-]\d+)*(?:st|nd|rd|th|s)?)\b(?<!\b\d)")
_DATE_MDY = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July|August|"
    r"September|October|November|December)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b"
)
_DATE_DMY = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|"
    r"April|June|July|August|September|October|November|December)\.?(?:,?\s+(\d{4}))?\b"
)
_DATE_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")


def words(text: str) -> list[str]:
    """Lower-cased content words (no stop words, no short tokens, no numbers)."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group(0).lower().replace("’", "'")
        if len(w) > 2 and w not in STOP:
            if w.endswith("'s"):
                w = w[:-2]
            out.append(w)
    return out


def names(text: str, with_numbers: bool = True) -> list[str]:
    """Capitalised word sequences (a cheap proper-name finder), lower-cased.

    Each multi-word name also yields its words, so "Tara Reid" matches a later bare "Reid".
    Sentence-initial stop words ("The", "But") are dropped. With ``with_numbers``, years and
    other specific numbers ("2013", "12th", "58-3", "MS08-078") count too: two events of
    the same kind usually differ in them.
    """
    out = []
    for m in _NAME.finditer(text):
        parts = [p for p in m.group(0).replace("’", "'").split() if p.lower() not in STOP]
        if not parts:
            continue
        parts = [p[:-2] if p.endswith("'s") else p for p in parts]
        if len(parts) > 1:
            out.append(" ".join(parts).lower())
        out.extend(p.lower() for p in parts if len(p) > 1)
    if with_numbers:
        out.extend(m.group(0).lower() for m in _NUMBER.finditer(text))
    return out


def explicit_dates(text: str, year_hint: int | None = None) -> list[tuple[_dt.date, int, int, bool]]:
    """Explicit calendar dates written in the text ("Nov. 15", "15 November 2024", "2024-11-15").

    Returns (date, start, end, year_written). A date without a year takes the ``year_hint`` (the
    article's year, else the latest year named in the text); if neither is known the
    date is kept only for ordering, in year 1900, and callers treat it as such.
    """
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", text)]
    hint = year_hint or (max(years) if years else 1900)
    found: list[tuple[_dt.date, int, int, bool]] = []
    for rx, order in ((_DATE_MDY, "md"), (_DATE_DMY, "dm")):
        for m in rx.finditer(text):
            a, b, y = m.group(1), m.group(2), m.group(3)
            month_s, day_s = (a, b) if order == "md" else (b, a)
            month = MONTHS.get(month_s.lower().rstrip("."))
            # "Oct.\n13" is split by sentence cleaning in some sources; \s+ above allows it.
            try:
                found.append((_dt.date(int(y) if y else hint, month, int(day_s)), m.start(), m.end(), bool(y)))
            except (TypeError, ValueError):
                continue
    for m in _DATE_ISO.finditer(text):
        try:
            found.append((_dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.start(), m.end(), True))
        except ValueError:
            continue
    found.sort(key=lambda t: t[1])
    return found


def published_day(article: Article) -> int | None:
    """The article's publication date as a day number, or None when unknown."""
    if not article.published:
        return None
    try:
        return _dt.date.fromisoformat(article.published[:10]).toordinal()
    except ValueError:
        return None


def article_embedding_text(article: Article, max_chars: int = 1000) -> str:
    """The text embedded for clustering: the headline and the lead of the article.

    The Ray batch path must embed exactly this text so its vectors match.
    """
    body = article.text.strip()
    title = (article.title or "").strip()
    if title and not body.startswith(title):
        body = f"{title}. {body}"
    return body[:max_chars]


def sparse(counts: Counter) -> dict[str, float]:
    """Sub-linear term frequencies (1 + log tf)."""
    return {t: 1.0 + math.log(c) for t, c in counts.items()}


@dataclass(slots=True)
class Features:
    """One article as the clusterer sees it."""

    article: str
    words: dict[str, float]
    names: dict[str, float]
    vector: np.ndarray | None  # L2-normalised embedding, or None
    day: int | None

    @classmethod
    def of(cls, article: Article, vector: np.ndarray | None = None) -> Features:
        text = article.text
        if article.title and not text.startswith(article.title):
            text = f"{article.title}\n{text}"
        return cls(
            article=article.id,
            words=sparse(Counter(words(text))),
            names=sparse(Counter(names(text))),
            vector=None if vector is None else np.asarray(vector, dtype=np.float32),
            day=published_day(article),
        )
