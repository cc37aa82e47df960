"""Story helpers shared by the static report and the web app: links, lookups, the time axis.

Everything here returns plain data (numbers, strings, lists); the templates do the HTML with
autoescaping on, so nothing from an article is ever marked safe.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from crosswire.model import Article, Span, Story

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})")


def parse_day(value: str | None) -> _dt.date | None:
    """The first day a TIMEX-like value names (2024, 2024-11, 2024-11-15, 2024-W46, datetimes)."""
    if not value:
        return None
    m = _WEEK.match(value)
    try:
        if m:
            return _dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        m = _DATE.match(value)
        if not m:
            return None
        return _dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


@dataclass(slots=True)
class AxisPoint:
    x: float
    n: int
    date: str
    text: str
    inferred: bool
    row: int = 0


@dataclass(slots=True)
class Axis:
    width: int
    points: list[AxisPoint]
    ticks: list[tuple[float, str]]
    undated: int
    rows: int = 1
    height: int = 76

    @property
    def base(self) -> int:
        """y of the axis line: label rows stack above it."""
        return self.height - 30


def timeline_axis(story: Story, width: int = 960, pad: int = 40) -> Axis | None:
    """Positions of the story's timeline entries on a linear time axis (None when nothing is dated)."""
    dated = [(d, i, t) for i, t in enumerate(story.timeline, 1) if (d := parse_day(t.date))]
    if not dated:
        return None
    lo = min(d for d, _, _ in dated)
    hi = max(d for d, _, _ in dated)
    span = max((hi - lo).days, 1)
    inner = width - 2 * pad

    def x_of(day: _dt.date) -> float:
        return round(pad + inner * (day - lo).days / span, 1)

    points = [AxisPoint(x_of(d), i, t.date, t.text, t.inferred) for d, i, t in dated]
    last: list[float] = []  # per label row, the x of its last label: labels never overlap
    for p in sorted(points, key=lambda p: p.x):
        row = next((r for r, x in enumerate(last) if p.x - x >= 22), len(last))
        if row == len(last):
            last.append(p.x)
        last[row] = p.x
        p.row = row
    n_ticks = min(6, span + 1)
    ticks = []
    for k in range(n_ticks):
        day = lo + _dt.timedelta(days=round(span * k / max(n_ticks - 1, 1)))
        ticks.append((x_of(day), day.isoformat()))
    rows = max(p.row for p in points) + 1
    return Axis(
        width=width,
        points=points,
        ticks=ticks,
        undated=len(story.timeline) - len(dated),
        rows=rows,
        height=60 + 16 * rows,
    )


def static_links() -> dict[str, Callable]:
    """Links inside the one-file report: anchors to the article cards on the same page."""
    return {
        "cite_href": lambda span: f"#article-{span.article}",
        "article_href": lambda aid: f"#article-{aid}",
        "outlet_href": lambda name: None,
        "entity_href": lambda name: None,
    }


def story_helpers(articles: dict[str, Article]) -> dict[str, Callable]:
    """Lookups the story template uses for accounts, coverage and conflicts."""

    def claims_by_id(story: Story) -> dict:
        return {c.id: c for c in story.claims}

    def groups_by_id(story: Story) -> dict:
        return {g.id: g for g in story.claim_groups}

    def numbers(story: Story) -> dict[str, int]:
        """Article id -> its number in the story (citations show [n])."""
        return {aid: i for i, aid in enumerate(story.articles, 1)}

    def distinct(spans: list[Span]) -> list[Span]:
        """One citation per article (the first span), in order."""
        seen: dict[str, Span] = {}
        for sp in spans:
            seen.setdefault(sp.article, sp)
        return list(seen.values())

    def span_text(span: Span | None) -> str:
        if span is None:
            return ""
        a = articles.get(span.article)
        return a.text[span.start : span.end] if a else ""

    return {
        "claims_by_id": claims_by_id,
        "groups_by_id": groups_by_id,
        "span_text": span_text,
        "timeline_axis": timeline_axis,
        "article_numbers": numbers,
        "distinct_cites": distinct,
    }


def helpers(articles: dict[str, Article]) -> dict[str, Callable]:
    """Every helper for the shared templates, with static-report links (the web app overrides links)."""
    return {**story_helpers(articles), **static_links()}
