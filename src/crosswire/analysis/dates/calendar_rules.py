"""Normalisers of expressions that name the calendar: full dates, month/day, month, year, ranges,
decades, centuries, seasons, halves, quarters and holidays.

Each function takes an ``Ask`` and returns a ``Value`` (or ``None`` when the text is not a real
date, e.g. "February 30"). A part the text leaves open (the year of "Oct. 13") comes from the
reference date; without one it stays ``X``.
"""

from __future__ import annotations

import datetime as dt
import re

from crosswire.analysis.dates.holidays import holiday_date
from crosswire.analysis.dates.values import (
    SEASONS,
    Ask,
    Value,
    closest_year,
    day_of,
    future_context,
    month_number,
    past_context,
    year_for,
    year_number,
)


def iso(q: Ask) -> Value | None:
    g = q.g
    d = f"{int(g['year']):04d}-{int(g['mon']):02d}-{int(g['day']):02d}"
    if g.get("hour"):
        return Value("TIME", f"{d}T{int(g['hour']):02d}:{g['minute']}", "time")
    return Value("DATE", d, "day")


def numeric(q: Ask) -> Value | None:
    g = q.g
    mon, day = int(g["mon"]), int(g["day"])
    if not (1 <= mon <= 12 and 1 <= day <= 31):
        return None
    d = f"{year_number(g['year']):04d}-{mon:02d}-{day:02d}"
    if g.get("hour"):
        return Value("TIME", f"{d}T{int(g['hour']):02d}:{g['minute']}", "time")
    return Value("DATE", d, "day")


def full_date(q: Ask) -> Value | None:
    """ "December 2, 2022", "2 December 2022"."""
    g = q.g
    try:
        d = dt.date(int(g["year"]), month_number(g["month"]), int(g["day"]))
    except ValueError:
        return None
    return Value("DATE", day_of(d), "day")


def month_day_range(q: Ask) -> Value | None:
    """ "Nov. 12-14": the first day, with the range."""
    g, ref = q.g, q.ref
    mon, d1, d2 = month_number(g["month"]), int(g["day"]), int(g["day2"])
    if not (1 <= d1 < d2 <= 31):
        return None
    if g.get("year"):
        y, rel = int(g["year"]), False
    elif ref is None:
        return Value("DATE", f"XXXX-{mon:02d}-{d1:02d}", "day")
    else:
        y, rel = year_for(ref, mon, d1, q.text, q.hit), True
    try:
        a, b = dt.date(y, mon, d1), dt.date(y, mon, d2)
    except ValueError:
        return None
    return Value("DATE", day_of(a), "day", day_of(a), day_of(b), relative=rel)


def year_range(q: Ask) -> Value | None:
    g = q.g
    y1, y2s = int(g["year"]), g["year2"]
    y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
    if not y1 < y2 <= y1 + 50:
        return None
    return Value("DATE", f"{y1:04d}", "year", f"{y1:04d}-01-01", f"{y2:04d}-12-31")


def month_day(q: Ask) -> Value | None:
    """ "Oct. 13", "13 October": the year from the reference (news usage)."""
    g, ref = q.g, q.ref
    mon, day = month_number(g["month"]), int(g["day"])
    if ref is None:
        return Value("DATE", f"XXXX-{mon:02d}-{day:02d}", "day")
    y = year_for(ref, mon, day, q.text, q.hit)
    try:
        return Value("DATE", day_of(dt.date(y, mon, day)), "day", relative=True)
    except ValueError:
        return None


def month_year(q: Ask) -> Value | None:
    return Value("DATE", f"{int(q.g['year']):04d}-{month_number(q.g['month']):02d}", "month")


def month(q: Ask) -> Value | None:
    """ "September", "last March": the month's year from the reference."""
    g, ref, refd = q.g, q.ref, q.refd
    mon = month_number(g["month"])
    if ref is None or refd is None:
        return Value("DATE", f"XXXX-{mon:02d}", "month")
    rel = (g.get("rel") or "").lower()
    if rel in ("last", "past", "previous"):
        y = refd.year if mon < refd.month else refd.year - 1
    elif rel in ("next", "coming", "following"):
        y = refd.year if mon > refd.month else refd.year + 1
    elif rel in ("this", "current"):
        y = refd.year
    else:
        y = year_for(ref, mon, None, q.text, q.hit)
    return Value("DATE", f"{y:04d}-{mon:02d}", "month", relative=True)


def year(q: Ask) -> Value | None:
    if (q.g.get("fiscal") or "").lower().startswith("fiscal"):
        return fiscal_year(q)
    return Value("DATE", f"{int(q.g['year']):04d}", "year")


def fiscal_year(q: Ask) -> Value | None:
    """ "fiscal 2024", "FY2023", "FY24", "the 2024 fiscal year" -> TIMEX2's ``FY2024``. When a
    fiscal year starts and ends is the organisation's own choice, so no day range is given."""
    y = q.g.get("year") or q.g.get("fy")
    if not y:
        return None
    return Value("DATE", f"FY{year_number(y):04d}", "year")


def month_relyear(q: Ask) -> Value | None:
    """ "April next year", "early October this year": the month of the reference's year + k."""
    mon = month_number(q.g["month"])
    if q.refd is None:
        return Value("DATE", f"XXXX-{mon:02d}", "month")
    k = {"last": -1, "next": 1}.get(q.g["rel"].lower(), 0)
    return Value("DATE", f"{q.refd.year + k:04d}-{mon:02d}", "month", relative=True)


def decade(q: Ask) -> Value | None:
    dec = q.g["decade"].lstrip("'")
    if len(dec) == 2:
        dec = ("19" if int(dec) >= 30 else "20") + dec
    return Value("DATE", dec[:3], "decade")


def century(q: Ask) -> Value | None:
    return Value("DATE", f"{int(q.g['cent']) - 1:02d}", "century")


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}  # meteorological; winter Y = Dec Y .. Feb Y+1


def _season_now(d: dt.date) -> tuple[str, int]:
    """The season a day falls in and the year it started in (January 2024 is in 2023-WI)."""
    if d.month in (1, 2):
        return "WI", d.year - 1
    code = {3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU", 9: "FA", 10: "FA", 11: "FA"}.get(d.month, "WI")
    return code, d.year


def _season_bounds(code: str, y: int) -> tuple[dt.date, dt.date]:
    first = _SEASON_START[code]
    start = dt.date(y, first, 1)
    end = dt.date(y + 1, 3, 1) if code == "WI" else dt.date(y, first + 3, 1)
    return start, end - dt.timedelta(days=1)


def season(q: Ask) -> Value | None:
    """ "the summer of 2023"; "last winter" (the latest winter before the current season), "this
    summer" (the current one, else the one that starts in the reference's year), "next spring"
    (the first one after the reference). "the autumn" alone is the next one when the clause
    speaks of the future, the last one when its verb is in the past tense, else the nearer one;
    "in winter" without a determiner is generic and gets no year (``XXXX-WI``). A season-year is
    the year the season starts in (``2023-WI`` = December 2023 to February 2024)."""
    g, refd = q.g, q.refd
    code = SEASONS[g["season"].lower()]
    if g.get("year"):
        return Value("DATE", f"{int(g['year']):04d}-{code}", "season")
    rel = (g.get("rel") or "").lower()
    generic = not rel and not g.get("part") and not re.search(r"(?i)\bthe\s+$", q.text[: q.hit.start][-8:])
    if refd is None or q.ref is None or generic:
        return Value("DATE", f"XXXX-{code}", "season")
    now_code, now_year = _season_now(refd)
    if q.ref.precision == "year":
        y = refd.year
    elif rel in ("last", "past", "previous"):
        y = refd.year if dt.date(refd.year, _SEASON_START[code], 1) < refd else refd.year - 1
        if code == now_code and y == now_year:
            y -= 1  # "last summer" said in July is the summer before
    elif rel in ("next", "coming"):
        y = refd.year if dt.date(refd.year, _SEASON_START[code], 1) > refd else refd.year + 1
    elif rel in ("this", "current"):
        y = now_year if code == now_code else refd.year
    elif code == now_code:
        y = now_year
    else:
        later = refd.year if dt.date(refd.year, _SEASON_START[code], 1) > refd else refd.year + 1
        earlier = later - 1
        if future_context(q.text, q.hit):
            y = later
        elif past_context(q.text, q.hit):
            y = earlier
        else:
            mid = [_season_bounds(code, yy)[0] + dt.timedelta(days=45) for yy in (earlier, later)]
            y = earlier if abs((refd - mid[0]).days) <= abs((mid[1] - refd).days) else later
    return Value("DATE", f"{y:04d}-{code}", "season", relative=True)


def half(q: Ask) -> Value | None:
    g, refd = q.g, q.refd
    h = 1 if g["half"].lower() == "first" else 2
    if g.get("year"):
        return Value("DATE", f"{int(g['year']):04d}-H{h}", "half")
    if refd is None:
        return Value("DATE", f"XXXX-H{h}", "half")
    k = {"last": -1, "next": 1}.get(g["rel"].lower(), 0)
    return Value("DATE", f"{refd.year + k:04d}-H{h}", "half", relative=True)


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def quarter(q: Ask) -> Value | None:
    g, refd = q.g, q.refd
    n = _ORDINALS[g["ord"].lower()]
    if g.get("year"):
        return Value("DATE", f"{int(g['year']):04d}-Q{n}", "quarter")
    if refd is None:
        return Value("DATE", f"XXXX-Q{n}", "quarter")
    return Value("DATE", f"{refd.year:04d}-Q{n}", "quarter", relative=True)


def quarter_q(q: Ask) -> Value | None:
    """ "Q3 2024", "Q3 FY24" (a fiscal quarter: ``FY2024-Q3``), "Q3"."""
    g = q.g
    n = int(g["qn"])
    if g.get("fyq"):
        digits = "".join(ch for ch in g["fyq"] if ch.isdigit())
        return Value("DATE", f"FY{year_number(digits):04d}-Q{n}", "quarter")
    if g.get("year"):
        return Value("DATE", f"{int(g['year']):04d}-Q{n}", "quarter")
    if q.refd is None:
        return Value("DATE", f"XXXX-Q{n}", "quarter")
    return Value("DATE", f"{q.refd.year:04d}-Q{n}", "quarter", relative=True)


def holiday(q: Ask) -> Value | None:
    g, refd = q.g, q.refd
    if g.get("year"):
        return Value("DATE", holiday_date(g["holiday"], int(g["year"])).isoformat(), "day")
    if refd is None:
        return Value("DATE", None, "day")
    rel = (g.get("rel") or "").lower()
    this = holiday_date(g["holiday"], refd.year)
    if rel == "last":
        y = refd.year if this < refd else refd.year - 1
    elif rel == "next":
        y = refd.year if this > refd else refd.year + 1
    elif rel == "this":
        y = refd.year
    else:
        y = closest_year(refd, this.month, this.day)
    return Value("DATE", holiday_date(g["holiday"], y).isoformat(), "day", relative=True)
