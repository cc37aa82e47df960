"""Storylines and titles: the events inside a story, and a short title from its own text.

Events group a story's articles by *when they were written* and *what they say*:

* the writing date is the publication date when known; otherwise it is estimated
  from the text: the latest explicit calendar date the article names ("Nov. 15";
  dates written with a year older than the latest year the text names are background),
  moved on by a month (or a week) when the article calls its news "last month"
  ("last week"). Without a publication year the year is unknown and dates are
  written ``XXXX-MM-DD`` (TIMEX3 style); such estimates are marked in the event
  title's source only through that form, never invented as a full date;
* articles whose dates lie within ``same_days`` of an event and whose embedding
  is close to the event's centroid join it; undated articles join the closest
  event by content alone, or open their own.
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np

from crosswire.group.features import explicit_dates
from crosswire.model import Article, Event, stable_id

SAME_DAYS = 3  # articles written within this many days may report one event
SAME_CONTENT = 0.6  # ... if their lead embeddings are at least this close
NO_YEAR = 1900  # year sentinel when the year is unknown
_LAST_MONTH = re.compile(r"\blast month\b", re.I)
_LAST_WEEK = re.compile(r"\blast week\b", re.I)


def headline(article: Article, max_chars: int = 90) -> str:
    """The article's title, else its first sentence-like line of at least four words, trimmed."""
    cands = [article.title] if article.title else []
    cands += [ln.strip() for ln in re.split(r"(?<=[.!?])\s+|\n", article.text) if ln.strip()]
    text = next((c for c in cands if len(c.split()) >= 4), cands[0] if cands else "Untitled story")
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text.rstrip(".")
    cut = text[:max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _central(members: list[Article], vectors: dict[str, np.ndarray]) -> Article:
    originals = [a for a in members if not a.duplicate_of] or members
    vecs = [vectors.get(a.id) for a in originals]
    if any(v is None for v in vecs) or len(originals) < 3:
        return originals[0]
    m = np.stack(vecs)
    centre = m.mean(axis=0)
    return originals[int(np.argmax(m @ centre))]


def story_title(members: list[Article], vectors: dict[str, np.ndarray]) -> str:
    """The headline of the story's most central article (earliest of them when fewer than three)."""
    if not members:
        return "Untitled story"
    return headline(_central(members, vectors))


def writing_date(article: Article) -> tuple[_dt.date | None, bool]:
    """(date, year_known): the publication date, else an estimate from the dates in the text."""
    if article.published:
        try:
            return _dt.date.fromisoformat(article.published[:10]), True
        except ValueError:
            pass
    found = explicit_dates(article.text, year_hint=NO_YEAR)
    # A date written with an older year than the latest year the text names is background
    # ("the last call was on December 2, 2022"), not the news of the article.
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", article.text)]
    top = max(years) if years else None
    dates = [
        d.replace(year=NO_YEAR)
        for d, _, _, has_year in found
        if _valid(d) and not (has_year and top is not None and d.year < top)
    ]
    if not dates:
        return None, False
    latest = max(dates)
    if _LAST_MONTH.search(article.text):
        latest = _add_month(latest)
    elif _LAST_WEEK.search(article.text):
        latest = latest + _dt.timedelta(days=7)
    return latest, False


def _valid(d: _dt.date) -> bool:
    try:
        d.replace(year=NO_YEAR)
        return True
    except ValueError:  # 29 February
        return False


def _add_month(d: _dt.date) -> _dt.date:
    y, m = (d.year, d.month + 1) if d.month < 12 else (d.year + 1, 1)
    return _dt.date(y, m, min(d.day, 28))


def _fmt(d: _dt.date | None, year_known: bool) -> str | None:
    if d is None:
        return None
    return d.isoformat() if year_known else f"XXXX-{d.month:02d}-{d.day:02d}"


def story_events(
    members: list[Article],
    vectors: dict[str, np.ndarray],
    dates: dict[str, tuple[_dt.date | None, bool]] | None = None,
    inferred: bool = False,
) -> list[Event]:
    """The story's events in date order (undated events last).

    ``dates`` (article id -> (date, year_known)) overrides ``writing_date`` for the articles it names:
    the storyline component passes dates estimated from the resolved time expressions, and then
    ``inferred`` marks the events as dated by inference."""
    if not members:
        return []
    dates = dates or {}
    dated = [(a, *(dates[a.id] if a.id in dates else writing_date(a))) for a in members]
    order = sorted(range(len(dated)), key=lambda i: (dated[i][1] is None, dated[i][1] or _dt.date.min, i))
    groups: list[dict] = []
    for i in order:
        a, d, known = dated[i]
        v = vectors.get(a.id)
        best, best_s = None, -1.0
        for g in groups:
            if (
                d is not None
                and g["start"] is not None
                and not (g["start"] - _dt.timedelta(days=SAME_DAYS) <= d <= g["end"] + _dt.timedelta(days=SAME_DAYS))
            ):
                continue
            s = _sim(v, g["vec"])
            if s >= SAME_CONTENT and s > best_s:
                best, best_s = g, s
        if best is None:
            best = {"articles": [], "vec": None, "start": None, "end": None, "known": known}
            groups.append(best)
        best["articles"].append(a)
        if v is not None:
            best["vec"] = v.copy() if best["vec"] is None else best["vec"] + v
        if d is not None:
            best["start"] = d if best["start"] is None else min(best["start"], d)
            best["end"] = d if best["end"] is None else max(best["end"], d)
            best["known"] = best["known"] and known
    groups.sort(key=lambda g: (g["start"] is None, g["start"] or _dt.date.min))
    events = []
    for g in groups:
        ids = [a.id for a in g["articles"]]
        events.append(
            Event(
                id=stable_id("e_", *sorted(ids)),
                title=story_title(g["articles"], vectors),
                articles=ids,
                start=_fmt(g["start"], g["known"]),
                end=_fmt(g["end"], g["known"]),
                inferred=inferred and g["start"] is not None,
            )
        )
    return events


def _sim(v: np.ndarray | None, acc: np.ndarray | None) -> float:
    if v is None or acc is None:
        return 1.0 if v is None and acc is None else 0.0
    n = float(np.linalg.norm(acc))
    return float(v @ acc) / n if n else 0.0
