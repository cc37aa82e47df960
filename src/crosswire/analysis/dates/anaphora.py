"""Anaphoric expressions: "later that year", "the next day", "the same morning", "the day before".

They count from a date the text itself named, not from the reference date. The anchor is the
nearest date before the expression (at most ``WINDOW`` characters back, not across a blank
line) precise enough for the unit: a day for day/morning/week, a month for month, a year for
year. "The day before last Tuesday's hearing" counts from the date right after it instead; "the
day after the election" names no date, so it keeps no value. Without an anchor nothing is
guessed: the expression keeps no value.
"""

from __future__ import annotations

import datetime as dt
import re

from crosswire.analysis.dates.rules import Hit
from crosswire.analysis.dates.values import DAYPART, Value, shift_month, week_of

ANAPHORA = {"anaphor_that", "anaphor_next", "anaphor_around"}
WINDOW = 300  # characters back to look for the anchor date
_CALENDAR = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")
_SHIFT = {"next": 1, "following": 1, "after": 1, "previous": -1, "preceding": -1, "before": -1}
_NEEDS = {"year": 1, "month": 2}  # calendar parts the anchor must name (3 = a day) per unit
_THEN_PUNCT = re.compile(r"^\s*(?:[,.;:)!?\"'”’]|$)")


def _parts(v: Value) -> tuple[int, ...] | None:
    if v.type not in ("DATE", "TIME") or not v.value:
        return None
    m = _CALENDAR.match(v.value)
    if not m:
        return None
    return tuple(int(x) for x in m.groups() if x is not None)


def _value(unit: str, k: int, parts: tuple[int, ...], relative: bool) -> Value:
    if unit == "year":
        return Value("DATE", f"{parts[0] + k:04d}", "year", relative=relative)
    if unit == "month":
        y, mo = shift_month(dt.date(parts[0], parts[1], 1), k)
        return Value("DATE", f"{y:04d}-{mo:02d}", "month", relative=relative)
    day = dt.date(*parts[:3])
    if unit == "week":
        return Value("DATE", week_of(day + dt.timedelta(weeks=k)), "week", relative=relative)
    d = (day + dt.timedelta(days=k)).isoformat()
    if unit in DAYPART:
        return Value("TIME", f"{d}T{DAYPART[unit]}", "time", relative=relative)
    return Value("DATE", d, "day", relative=relative)


def anchor(text: str, found: list[tuple[Hit, Value]]) -> None:
    """Give each anaphoric expression in ``found`` (hits in text order) its value, in place."""
    for i, (hit, _v) in enumerate(found):
        if hit.rule not in ANAPHORA:
            continue
        unit = hit.groups["aunit"].lower()
        k = _SHIFT.get((hit.groups.get("dir") or "").lower(), 0)
        need = _NEEDS.get(unit, 3)
        source: Value | None = None
        if hit.rule == "anaphor_around":
            nxt = found[i + 1] if i + 1 < len(found) else None
            if nxt is not None and re.fullmatch(r"\s*(?:the\s+)?", text[hit.end : nxt[0].start]):
                source = nxt[1]  # "the day before last Tuesday's hearing"
            elif not _THEN_PUNCT.match(text[hit.end : hit.end + 3]):
                continue  # "the day after the election": the anchor is an event, not a date
        if source is None:
            for prev_hit, prev in reversed(found[:i]):
                if hit.start - prev_hit.end > WINDOW or re.search(r"\n\s*\n", text[prev_hit.end : hit.start]):
                    break
                parts = _parts(prev)
                if parts is not None and len(parts) >= need:
                    source = prev
                    break
        parts = _parts(source) if source is not None else None
        if parts is None or len(parts) < need:
            continue
        found[i] = (hit, _value(unit, k, parts, source.relative if source else False))
