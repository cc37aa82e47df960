"""Normalisers of expressions that count from the reference date or name a length of time:
clock times, "today"/"yesterday", weekdays, "last week", "two years ago", durations, sets
("every week") and vague references ("now").

A day-precise value needs a day-precise reference (``Ask.day_ok``); with only a month or a
year known, the day stays ``X`` rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re

from crosswire.analysis.dates.durations import duration_value
from crosswire.analysis.dates.durations import parse_number as _num
from crosswire.analysis.dates.rules import WEEKDAYS
from crosswire.analysis.dates.values import (
    DAYPART,
    Ask,
    Value,
    day_of,
    future_after,
    future_context,
    shift_month,
    week_of,
)

_SHIFT = {"yesterday": -1, "tomorrow": 1}


def clock_time(q: Ask) -> Value | None:
    """ "10:35 a.m.", "9 p.m. yesterday"."""
    g, refd = q.g, q.refd
    hour = int(g["hour"])
    ampm = g["ampm"].lower().replace(".", "").replace(" ", "")
    if hour > 12:
        return None
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    hm = f"{hour:02d}:{g.get('minute') or '00'}"
    shift = _SHIFT.get((g.get("tday") or "").lower(), 0)
    if not q.day_ok or refd is None:
        return Value("TIME", f"XXXX-XX-XXT{hm}", "time")
    return Value("TIME", f"{day_of(refd + dt.timedelta(days=shift))}T{hm}", "time", relative=True)


def clock24(q: Ask) -> Value | None:
    """ "1430 GMT"."""
    hm = f"{q.g['hour']}:{q.g['minute']}"
    if not q.day_ok or q.refd is None:
        return Value("TIME", f"XXXX-XX-XXT{hm}", "time")
    return Value("TIME", f"{day_of(q.refd)}T{hm}", "time", relative=True)


def noon(q: Ask) -> Value | None:
    g, refd = q.g, q.refd
    hm = "12:00" if g["noon"].lower() in ("noon", "midday") else "24:00"
    shift = _SHIFT.get((g.get("tday") or "").lower(), 0)
    if not q.day_ok or refd is None:
        return Value("TIME", f"XXXX-XX-XXT{hm}", "time")
    return Value("TIME", f"{day_of(refd + dt.timedelta(days=shift))}T{hm}", "time", relative=True)


def day_word(q: Ask) -> Value | None:
    """ "today", "yesterday morning", "tonight", "last night"."""
    g, refd = q.g, q.refd
    w = (g.get("dayword") or g.get("rel") or "").lower()
    part = (g.get("daypart") or "").lower()
    shift = {"yesterday": -1, "tomorrow": 1, "last": -1 if part in ("night", "evening") else 0}.get(w, 0)
    if w in ("overnight", "tonight"):
        part = "night"
    if not q.day_ok or refd is None:
        return Value("TIME" if part else "DATE", "XXXX-XX-XX" + (f"T{DAYPART[part]}" if part else ""), "day")
    d = day_of(refd + dt.timedelta(days=shift))
    if part:
        return Value("TIME", f"{d}T{DAYPART[part]}", "time", relative=True)
    return Value("DATE", d, "day", relative=True)


def weekday(q: Ask) -> Value | None:
    """A weekday is the most recent such day (the reference's own day included) unless "next"/
    "coming" or the clause speaks of the future ("will meet on Friday"; "On Friday, the league
    plans to..."); "last Friday" is the one before."""
    g, refd = q.g, q.refd
    wd = WEEKDAYS[g["weekday"].lower()]
    if not q.day_ok or refd is None:
        return Value("DATE", f"XXXX-WXX-{wd + 1}", "day")
    rel = (g.get("rel") or "").lower()
    back = (refd.weekday() - wd) % 7
    fwd = (wd - refd.weekday()) % 7
    if rel in ("last", "past"):
        d = refd - dt.timedelta(days=back or 7)
    elif rel in ("next", "coming"):
        d = refd + dt.timedelta(days=fwd or 7)
    elif fwd != 0 and (future_context(q.text, q.hit) or future_after(q.text, q.hit)):
        d = refd + dt.timedelta(days=fwd)
    else:
        d = refd - dt.timedelta(days=back)
    # "Friday night": the day is what matters for a timeline; keep it a DATE (AQUAINT's
    # annotators are split between 1998-10-23 and 1998-10-23TNI for such phrases)
    return Value("DATE", day_of(d), "day", relative=True)


def relative_period(q: Ask) -> Value | None:
    """ "last week", "this year", "next quarter" (a date); "the past year" (a duration)."""
    g, refd = q.g, q.refd
    rel = g["rel"].lower()
    period = re.sub(r"\s+", " ", g["period"].lower())
    if rel == "past" or (rel == "last" and q.surface.lower().startswith("the ")):
        return Value("DURATION", duration_value(1, "year" if period == "fiscal year" else period), None)
    if refd is None:
        return Value("DATE", None, None)
    if period == "fiscal year":  # which fiscal year "this fiscal year" is depends on the organisation
        return Value("DATE", None, "year")
    k = -1 if rel in ("last", "previous") else 1 if rel in ("next", "coming", "following") else 0
    if period == "year":
        return Value("DATE", f"{refd.year + k:04d}", "year", relative=True)
    if period == "month":
        y, m = shift_month(refd, k)
        return Value("DATE", f"{y:04d}-{m:02d}", "month", relative=True)
    if period in ("week", "weekend"):
        if not q.day_ok:
            return Value("DATE", None, "week")
        w = week_of(refd + dt.timedelta(weeks=k))
        return Value("DATE", w + ("-WE" if period == "weekend" else ""), "week", relative=True)
    if period == "quarter":
        y, m = shift_month(refd, 3 * k)
        return Value("DATE", f"{y:04d}-Q{(m - 1) // 3 + 1}", "quarter", relative=True)
    if period == "decade":
        return Value("DATE", f"{(refd.year // 10) + k:03d}", "decade", relative=True)
    if period == "century":
        return Value("DATE", f"{(refd.year // 100) + k:02d}", "century", relative=True)
    return None


def ago(q: Ask) -> Value | None:
    """ "two years ago", "three days from now"; "two days after" is a duration."""
    g, refd = q.g, q.refd
    num = _num(g["num"])
    unit = g["unit"].lower()
    dirn = g["dir"].lower()
    if dirn != "ago" and dirn != "from now":
        # "two days after": a length of time anchored at an event, not at the reference
        return Value("DURATION", duration_value(num, unit), None)
    if refd is None or isinstance(num, str) or num is None:
        return Value("DATE", None, None)
    sign = -1 if dirn == "ago" else 1
    n = int(num)
    if unit == "day" and q.day_ok:
        return Value("DATE", day_of(refd + dt.timedelta(days=sign * n)), "day", relative=True)
    if unit == "week" and q.day_ok:
        return Value("DATE", week_of(refd + dt.timedelta(weeks=sign * n)), "week", relative=True)
    if unit == "month":
        y, m = shift_month(refd, sign * n)
        return Value("DATE", f"{y:04d}-{m:02d}", "month", relative=True)
    if unit == "year":
        return Value("DATE", f"{refd.year + sign * n:04d}", "year", relative=True)
    if unit == "decade":
        return Value("DATE", f"{(refd.year + sign * 10 * n) // 10:03d}", "decade", relative=True)
    return Value("DATE", None, None)


def duration(q: Ask) -> Value | None:
    return Value("DURATION", duration_value(_num(q.g["num"]), q.g["unit"]), None)


def units_plural(q: Ask) -> Value | None:
    """ "for years", "in decades": a length of time with an unknown number."""
    return Value("DURATION", duration_value("X", q.g["unit"].rstrip("s")), None)


_SETS = {
    "daily": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "nightly": "XXXX-XX-XXTNI",
    "hourly": "PT1H",
}
_SET_UNITS = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "weekend": "P1WE"}


def recurring(q: Ask) -> Value | None:
    """ "daily", "every week", "each morning"."""
    w = re.sub(r"\s+", " ", q.g["set"].lower())
    if w in _SETS:
        return Value("SET", _SETS[w], None)
    unit = w.split()[-1]
    return Value("SET", _SET_UNITS.get(unit, f"XXXX-XX-XXT{DAYPART.get(unit, 'XX')}"), None)


_VAGUE = {
    "now": "PRESENT_REF",
    "currently": "PRESENT_REF",
    "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF",
    "the present": "PRESENT_REF",
    "recently": "PAST_REF",
    "the past": "PAST_REF",
    "the future": "FUTURE_REF",
}


def vague(q: Ask) -> Value | None:
    v = _VAGUE.get(re.sub(r"\s+", " ", q.g["vague"].lower()))
    return Value("DATE", v, None) if v else None


_ANAPHOR_PRECISION = {"week": "week", "month": "month", "year": "year"}


def anaphor(q: Ask) -> Value | None:
    """ "later that year", "the next day", "the day before": no value yet. ``anaphora.anchor``
    gives one from a date the text named just before (or right after "the day before"); with
    no such date the expression keeps no value."""
    unit = q.g["aunit"].lower()
    kind = "TIME" if unit in DAYPART else "DATE"
    return Value(kind, None, _ANAPHOR_PRECISION.get(unit, "day" if kind == "DATE" else "time"))
