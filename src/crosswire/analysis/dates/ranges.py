"""Ranges written as two expressions: "from March 3 to April 5", "between 2019 and 2021",
"December 28 to January 3, 2024".

Each end keeps its own value (TimeML tags them as two expressions); the first one gets the
range: ``range_start`` of its own span and ``range_end`` of the second's. A first end without a
year takes the year of a second end that names one ("December 28" before "January 3, 2024" is
2023-12-28), instead of the reference's guess. "3 to 5" in "March 3 to 5" is one expression
(``md_range``) and needs nothing here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from crosswire.analysis.dates.rules import Hit
from crosswire.analysis.dates.values import Value

_JOIN = re.compile(r"(?i)^\s*(?P<conn>-|–|to|through|until|till|and)\s*$")
_LEAD = re.compile(r"(?i)\b(?P<lead>from|between)\s+$")
_DAYS = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_CALENDAR_RULES = {"md", "dm", "mdy", "dmy", "my", "year", "month", "iso", "numeric", "holiday"}


def _bounds(value: str) -> tuple[str, str] | None:
    """First and last day of a day, month or year value."""
    if _DAYS.match(value):
        return value, value
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        y, mo = int(m.group(1)), int(m.group(2))
        return f"{y:04d}-{mo:02d}-01", f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"
    if re.fullmatch(r"\d{4}", value):
        return f"{value}-01-01", f"{value}-12-31"
    return None


def link(text: str, found: list[tuple[Hit, Value]]) -> None:
    """Join "A to B" / "between A and B" into a range on A, in place."""
    for i in range(len(found) - 1):
        (h1, v1), (h2, v2) = found[i], found[i + 1]
        if h1.rule not in _CALENDAR_RULES or h2.rule not in _CALENDAR_RULES or not v1.value or not v2.value:
            continue
        join = _JOIN.match(text[h1.end : h2.start])
        if join is None:
            continue
        lead = _LEAD.search(text[max(0, h1.start - 10) : h1.start])
        conn = join.group("conn").lower()
        if conn == "and" and (lead is None or lead.group("lead").lower() != "between"):
            continue  # "on March 3 and April 5" are two days
        if conn in ("to", "through", "until", "till") and lead is None and not h1.groups.get("day"):
            continue  # "rose 3% in 2019 to 2021 levels": a range of years needs "from"/"between"
        if h1.rule in ("md", "dm") and h2.groups.get("year") and _DAYS.match(v1.value) and _DAYS.match(v2.value):
            y2 = int(v2.value[:4])
            y1 = y2 - 1 if v1.value[5:] > v2.value[5:] else y2
            try:
                v1.value = dt.date(y1, int(v1.value[5:7]), int(v1.value[8:10])).isoformat()
            except ValueError:
                continue
            v1.relative = False  # the year now comes from the text
        b1, b2 = _bounds(v1.value), _bounds(v2.value)
        if b1 is None or b2 is None or b2[1] <= b1[0]:
            continue
        v1.range_start, v1.range_end = b1[0], b2[1]
