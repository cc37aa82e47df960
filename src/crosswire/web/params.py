"""Query parameters shared by the pages and the API: checked once, bad values answered with 422."""

from __future__ import annotations

import datetime as _dt

from fastapi import HTTPException, Query

from crosswire.views.listing import PER_PAGE, SORTS, StoryFilter


def _date(value: str | None, name: str) -> str | None:
    v = (value or "").strip()
    if not v:
        return None  # an empty form field means no filter
    try:
        return _dt.date.fromisoformat(v).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name}: {v[:40]!r} is not a date (YYYY-MM-DD)") from None


def story_filter(
    q: str | None = Query(None, max_length=500, description="full-text search over stories and their articles"),
    outlet: str | None = Query(None, max_length=200, description="only stories this outlet covers"),
    entity: str | None = Query(
        None, max_length=200, description="only stories naming this entity (any of its names or aliases)"
    ),
    date_from: str | None = Query(None, alias="from", description="stories with dates on or after YYYY-MM-DD"),
    date_to: str | None = Query(None, alias="to", description="stories with dates on or before YYYY-MM-DD"),
    sort: str | None = Query(
        None, description="relevance (the default with q) | recent (the default without) | size | oldest"
    ),
    page: int = Query(1, ge=1, le=100000),
    per_page: int = Query(PER_PAGE, ge=1, le=200),
) -> StoryFilter:
    sort = (sort or "").strip() or None
    if sort is not None and sort not in SORTS:
        raise HTTPException(422, f"sort: {sort[:40]!r} is not one of {', '.join(SORTS)}")
    start, end = _date(date_from, "from"), _date(date_to, "to")
    if start and end and start > end:
        raise HTTPException(422, f"from ({start}) is after to ({end})")
    return StoryFilter(q, outlet, entity, start, end, sort, page, per_page)


def published_date(value: str | None) -> str | None:
    return _date(value, "published")
