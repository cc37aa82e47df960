"""The timeline chart: the story's own dense range of dates as bars, with far-off dates listed apart.

A story's timeline often holds one background date years before the story (a law passed in 2011, a
previous election): an axis over the whole span squeezes the story's own week into one stack. The
chart instead takes the shortest window that holds most of the dated entries, widens it a little,
and lists the entries outside it as "earlier / later dates". Positions are percentages of the width
and text has a fixed size, so the SVG stays readable at any screen width.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field

from crosswire.model import TimelineEntry

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})")
CORE_SHARE = 0.6  # the dense range starts from the shortest window holding this share of the dated entries
MAX_GAP_DAYS = 7  # and takes in every date this close to it (or half its length, when longer)
BAR_HEIGHT = 64  # px of the tallest bar
MIN_DAYS = 7  # the chart spans a week at least


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
class Bin:
    start: _dt.date
    label: str  # the bin's dates in words
    entries: list[int] = field(default_factory=list)  # entry numbers (1-based, in timeline order)
    x: float = 0.0  # left edge, percent of the width
    w: float = 0.0  # width, percent
    h: int = 0  # bar height, px
    inferred: bool = False  # every entry in it has an estimated date

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def mid(self) -> float:
        return round(self.x + self.w / 2, 2)


@dataclass(slots=True)
class Tick:
    x: float  # percent
    label: str
    anchor: str  # start | middle | end: labels at the edges stay inside the chart


@dataclass(slots=True)
class Chart:
    bins: list[Bin]
    ticks: list[Tick]
    first: _dt.date
    last: _dt.date
    unit: str  # day | week | month
    earlier: list[int]  # entry numbers dated before the dense range
    later: list[int]
    undated: int
    height: int = BAR_HEIGHT + 44

    @property
    def base(self) -> int:
        return BAR_HEIGHT + 14

    @property
    def busiest(self) -> Bin:
        return max(self.bins, key=lambda b: b.count)

    @property
    def caption(self) -> str:
        n = sum(b.count for b in self.bins)
        busy = self.busiest
        return (
            f"{n} dated entr{'y' if n == 1 else 'ies'} from {long_day(self.first)} to {long_day(self.last)}, "
            f"by {self.unit}; the most on {busy.label} ({busy.count})"
        )


def long_day(d: _dt.date) -> str:
    return f"{d.day} {d.strftime('%b')} {d.year}"


def dense_range(days: list[_dt.date], share: float = CORE_SHARE) -> tuple[_dt.date, _dt.date]:
    """The story's own range: the shortest window holding `share` of the days, then grown to every day
    that lies close to it (a gap of at most a week, twice the core's median gap, or half the range)."""
    s = sorted(days)
    k = max(1, math.ceil(share * len(s)))
    best = min(range(len(s) - k + 1), key=lambda i: ((s[i + k - 1] - s[i]).days, i))
    lo_i, hi_i = best, best + k - 1
    gaps = sorted((s[i + 1] - s[i]).days for i in range(lo_i, hi_i))
    typical = 2 * gaps[len(gaps) // 2] if gaps else 0  # evenly spread dates have no outliers
    while True:
        reach = max(MAX_GAP_DAYS, typical, (s[hi_i] - s[lo_i]).days // 2)
        if lo_i > 0 and (s[lo_i] - s[lo_i - 1]).days <= reach:
            lo_i -= 1
        elif hi_i < len(s) - 1 and (s[hi_i + 1] - s[hi_i]).days <= reach:
            hi_i += 1
        else:
            return s[lo_i], s[hi_i]


def _unit(span_days: int) -> str:
    if span_days <= 45:
        return "day"
    if span_days <= 7 * 40:
        return "week"
    return "month"


def _bin_start(d: _dt.date, unit: str) -> _dt.date:
    if unit == "week":
        return d - _dt.timedelta(days=d.weekday())
    if unit == "month":
        return d.replace(day=1)
    return d


def _next(d: _dt.date, unit: str) -> _dt.date:
    if unit == "day":
        return d + _dt.timedelta(days=1)
    if unit == "week":
        return d + _dt.timedelta(days=7)
    return (d.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)


def _label(d: _dt.date, unit: str) -> str:
    if unit == "month":
        return f"{d.strftime('%b')} {d.year}"
    if unit == "week":
        return f"the week of {d.day} {d.strftime('%b')}"
    return f"{d.day} {d.strftime('%b')}"


def timeline_chart(entries: list[TimelineEntry], max_ticks: int = 5) -> Chart | None:
    """The chart of these entries (None when no entry has a date the chart can place)."""
    dated = [(d, i, t.inferred) for i, t in enumerate(entries, 1) if (d := parse_day(t.date))]
    if not dated:
        return None
    lo, hi = dense_range([d for d, _, _ in dated])
    if (hi - lo).days < MIN_DAYS - 1:  # a week at least, the dates in its middle
        lo -= _dt.timedelta(days=(MIN_DAYS - 1 - (hi - lo).days) // 2)
        hi = lo + _dt.timedelta(days=MIN_DAYS - 1)
    unit = _unit((hi - lo).days)
    starts = []
    d = _bin_start(lo, unit)
    while d <= hi:
        starts.append(d)
        d = _next(d, unit)
    bins = [Bin(s, _label(s, unit)) for s in starts]
    index = {b.start: b for b in bins}
    earlier, later = [], []
    flags: dict[_dt.date, list[bool]] = {}
    for day, n, inferred in dated:
        if day < lo:
            earlier.append(n)
        elif day > hi:
            later.append(n)
        else:
            b = index[_bin_start(day, unit)]
            b.entries.append(n)
            flags.setdefault(b.start, []).append(inferred)
    top = max(b.count for b in bins)
    width = 100 / len(bins)
    for k, b in enumerate(bins):
        b.x, b.w = round(k * width, 3), round(width, 3)
        b.h = round(BAR_HEIGHT * b.count / top) if b.count else 0
        b.inferred = bool(flags.get(b.start)) and all(flags[b.start])
    picks = sorted({round(j * (len(bins) - 1) / max(1, max_ticks - 1)) for j in range(max_ticks)})
    ticks = []
    for j in picks:
        b = bins[j]
        anchor = "start" if j == 0 else "end" if j == len(bins) - 1 else "middle"
        x = b.x if anchor == "start" else b.x + b.w if anchor == "end" else b.mid
        ticks.append(Tick(round(x, 2), _label(b.start, unit).replace("the week of ", ""), anchor))
    if unit != "month" and len(ticks) > 1 and bins[0].start.year != bins[-1].start.year:
        for t, j in zip(ticks, picks):
            t.label += f" {bins[j].start.year}"
    return Chart(
        bins=bins,
        ticks=ticks,
        first=lo,
        last=hi,
        unit=unit,
        earlier=earlier,
        later=later,
        undated=len(entries) - len(dated),
    )
