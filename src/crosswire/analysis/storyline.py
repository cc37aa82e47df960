"""Story component: re-date the storyline of a story whose articles lack publication dates.

Clustering builds events before the per-story analysis, from the explicit dates it can read
cheaply. Once the time tagger (``crosswire.analysis.dates``) has resolved every date expression of
the story (with a year inferred from the text's own evidence where no publication date exists),
this component estimates when each undated article was written and regroups the events:

* the writing date is the latest day-precise date the article names, ignoring background dates
  more than ``BACKGROUND_DAYS`` before the latest date in the story ("the last call was on
  December 2, 2022");
* when the article calls the month of that date "last month", it was written the month after
  (the same for "last week" and its week).

Such events carry ``inferred=True``. Articles with publication dates keep them; a story whose
articles all have publication dates is left as clustering built it.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np

from crosswire.analysis.context import StoryContext
from crosswire.group.events import story_events
from crosswire.group.features import article_embedding_text

BACKGROUND_DAYS = 300


def _day(value: str | None) -> _dt.date | None:
    if not value or len(value) != 10:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        return None


def _month(value: str | None) -> tuple[int, int] | None:
    if value and len(value) == 7 and value[:4].isdigit() and value[5:].isdigit():
        return int(value[:4]), int(value[5:])
    return None


def estimate_dates(ctx) -> dict[str, tuple[_dt.date | None, bool]]:
    """Article id -> (estimated writing date, year known) for articles without a publication date."""
    days: dict[str, list[_dt.date]] = {}
    last_month: dict[str, set[tuple[int, int]]] = {}
    last_week: dict[str, list[str]] = {}
    for a in ctx.articles:
        if a.published:
            continue
        for r in ctx.timerefs.get(a.id, []):
            if r.type not in ("DATE", "TIME"):
                continue
            d = _day((r.value or "")[:10])
            if d is not None:
                days.setdefault(a.id, []).append(d)
            low = r.text.lower()
            if low.endswith("last month") and _month(r.value):
                last_month.setdefault(a.id, set()).add(_month(r.value))
            if low.endswith("last week") and r.value:
                last_week.setdefault(a.id, []).append(r.value)
    if not days:
        return {}
    latest = max(d for ds in days.values() for d in ds)
    out: dict[str, tuple[_dt.date | None, bool]] = {}
    for aid, ds in days.items():
        recent = [d for d in ds if (latest - d).days <= BACKGROUND_DAYS]
        if not recent:
            continue
        d = max(recent)
        if (d.year, d.month) in last_month.get(aid, set()):
            y, m = (d.year, d.month + 1) if d.month < 12 else (d.year + 1, 1)
            d = _dt.date(y, m, min(d.day, 28))
        elif any(v == f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for v in last_week.get(aid, [])):
            d = d + _dt.timedelta(days=7)
        out[aid] = (d, True)
    return out


REQUIRES = ("timerefs",)
PROVIDES = ("story.events",)


def run(ctx: StoryContext) -> None:
    dates = estimate_dates(ctx)
    if not dates:
        return
    members = ctx.articles
    vecs = ctx.lang.embed([article_embedding_text(a) for a in members])
    vectors = {a.id: np.asarray(vecs[i], dtype=np.float32) for i, a in enumerate(members)}
    ctx.story.events = story_events(members, vectors, dates=dates, inferred=True)
