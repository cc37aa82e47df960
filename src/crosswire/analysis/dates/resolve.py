"""The normaliser: turns a recognised expression into a TIMEX3-like value.

Values follow TimeML: ``2022-12-02`` (day), ``2022-12`` (month), ``2022`` (year), ``2022-W48``
(week), ``2022-Q3``, ``2022-SU`` (season), ``199`` (decade), ``19`` (century),
``2022-12-02T10:35`` / ``2022-12-02TNI`` (time), ``P2Y`` / ``PT1H`` (duration), ``PRESENT_REF``,
``PAST_REF``, ``FUTURE_REF``. Anything that needs the reference date and has none gets ``X``
placeholders (``XXXX-11-15``) rather than a guess.

Rules for what the text leaves open (TimeML guidelines, news usage):
- a month/day without a year takes the year that puts it closest to the reference date;
- a bare weekday is the most recent such day (today included) unless the sentence speaks of
  the future ("will", "next", "scheduled"...), then the coming one;
- "last/this/next week|month|year" shift the reference's own period.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from crosswire.analysis.dates.durations import duration_value
from crosswire.analysis.dates.durations import parse_number as _num
from crosswire.analysis.dates.holidays import holiday_date
from crosswire.analysis.dates.rules import MONTHS, WEEKDAYS, Hit


@dataclass(slots=True)
class Ref:
    """The reference date an article's relative expressions are resolved against."""

    date: dt.date
    precision: str = "day"  # day | month | year: how much of ``date`` is known
    inferred: bool = False
    evidence: str | None = None

    def iso(self) -> str:
        if self.precision == "year":
            return f"{self.date.year:04d}"
        if self.precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()


@dataclass(slots=True)
class Value:
    type: str
    value: str | None
    precision: str | None
    range_start: str | None = None
    range_end: str | None = None
    relative: bool = False  # the value depended on the reference date


_FUTURE = re.compile(
    r"(?i)(?:\b(?:will|won't|would|shall|going\s+to|is\s+to|are\s+to|scheduled|plan(?:s|ned|ning)?\s+to|"
    r"to\s+be\s+held|upcoming|due\s+to|set\s+to|expected\s+to|as\s+(?:soon|early)\s+as|until|postponed)\b|'ll\b)"
)
_PAST_RIGHT_BEFORE = re.compile(
    r"(?i)\b\w+ed\s+(?:on\s+)?$|\b(?:said|told|met|held|took|gave|made|won|lost|was|were)\s+(?:on\s+)?$"
)
FUTURE_WINDOW = 60  # characters before the expression searched for a future cue
NEAR_FUTURE_DAYS = 122  # how far ahead of the reference an unqualified month/day may point
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_DAYPART = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}


_CLAUSE_END = re.compile(r"[!?\n;]|(?<!\b[A-Za-z])(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bSt)\.\s+(?=[A-Z`\"'])")


def _future_context(text: str, hit: Hit) -> bool:
    """Does the clause just before the expression speak of the future ("will meet on Friday")?
    The window is the last FUTURE_WINDOW characters of the sentence ("a.m." does not end it)."""
    before = text[max(0, hit.start - FUTURE_WINDOW) : hit.start]
    ends = list(_CLAUSE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    if _PAST_RIGHT_BEFORE.search(before):
        return False
    return bool(_FUTURE.search(before))


def _news_year(ref: dt.date, month: int, day: int | None, future: bool) -> int:
    """News speaks of the recent past and the near future: a month/day without a year is put in
    the reference's year unless that is more than ~4 months ahead (then the year before); when
    the clause speaks of the future, a date already a month past moves to next year."""
    try:
        d = dt.date(ref.year, month, day or 1)
    except ValueError:
        d = dt.date(ref.year, month, 28)
    ahead = (d - ref).days
    if future:
        return ref.year + 1 if ahead < -31 else ref.year
    if ahead > NEAR_FUTURE_DAYS:
        return ref.year - 1
    return ref.year


def _year_for(ref: Ref, month: int, day: int | None, text: str, hit: Hit) -> int:
    """The year of a month/day without one: only the year is known -> that year; else news usage."""
    if ref.precision == "year":
        return ref.date.year
    return _news_year(ref.date, month, day, _future_context(text, hit))


def _closest_year(ref: dt.date, month: int, day: int | None = None) -> int:
    best = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = dt.date(y, month, day or 15)
        except ValueError:
            d = dt.date(y, month, 28)
        dist = abs((d - ref).days)
        if best is None or dist < best[0]:
            best = (dist, y)
    return best[1]


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        n += 1900 if n >= 40 else 2000
    return n


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _day(d: dt.date) -> str:
    return d.isoformat()


def _shift_month(d: dt.date, k: int) -> tuple[int, int]:
    m = d.month - 1 + k
    return d.year + m // 12, m % 12 + 1


def resolve(hit: Hit, text: str, ref: Ref | None) -> Value | None:
    g = hit.groups
    r = hit.rule
    refd = ref.date if ref else None
    day_ok = ref is not None and ref.precision == "day"
    surface = text[hit.start : hit.end]

    if r == "iso":
        d = f"{int(g['year']):04d}-{int(g['mon']):02d}-{int(g['day']):02d}"
        if g.get("hour"):
            return Value("TIME", f"{d}T{int(g['hour']):02d}:{g['minute']}", "time")
        return Value("DATE", d, "day")
    if r == "numeric":
        mon, day = int(g["mon"]), int(g["day"])
        if not (1 <= mon <= 12 and 1 <= day <= 31):
            return None
        d = f"{_year(g['year']):04d}-{mon:02d}-{day:02d}"
        if g.get("hour"):
            return Value("TIME", f"{d}T{int(g['hour']):02d}:{g['minute']}", "time")
        return Value("DATE", d, "day")
    if r in ("mdy", "dmy"):
        try:
            d = dt.date(int(g["year"]), _month(g["month"]), int(g["day"]))
        except ValueError:
            return None
        return Value("DATE", _day(d), "day")
    if r == "md_range":
        mon, d1, d2 = _month(g["month"]), int(g["day"]), int(g["day2"])
        if not (1 <= d1 < d2 <= 31):
            return None
        if g.get("year"):
            y, rel = int(g["year"]), False
        elif refd is None:
            return Value("DATE", f"XXXX-{mon:02d}-{d1:02d}", "day")
        else:
            y, rel = _year_for(ref, mon, d1, text, hit), True
        try:
            a, b = dt.date(y, mon, d1), dt.date(y, mon, d2)
        except ValueError:
            return None
        return Value("DATE", _day(a), "day", _day(a), _day(b), relative=rel)
    if r == "year_range":
        y1, y2 = int(g["year"]), g["year2"]
        y2 = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
        if not y1 < y2 <= y1 + 50:
            return None
        return Value("DATE", f"{y1:04d}", "year", f"{y1:04d}-01-01", f"{y2:04d}-12-31")
    if r in ("md", "dm"):
        mon, day = _month(g["month"]), int(g["day"])
        if refd is None:
            return Value("DATE", f"XXXX-{mon:02d}-{day:02d}", "day")
        y = _year_for(ref, mon, day, text, hit)
        try:
            return Value("DATE", _day(dt.date(y, mon, day)), "day", relative=True)
        except ValueError:
            return None
    if r == "my":
        return Value("DATE", f"{int(g['year']):04d}-{_month(g['month']):02d}", "month")
    if r in ("month", "month_rel"):
        mon = _month(g["month"])
        if refd is None:
            return Value("DATE", f"XXXX-{mon:02d}", "month")
        rel = (g.get("rel") or "").lower()
        if rel in ("last", "past", "previous"):
            y = refd.year if mon < refd.month else refd.year - 1
        elif rel in ("next", "coming", "following"):
            y = refd.year if mon > refd.month else refd.year + 1
        elif rel in ("this", "current"):
            y = refd.year
        else:
            y = _year_for(ref, mon, None, text, hit)
        return Value("DATE", f"{y:04d}-{mon:02d}", "month", relative=True)
    if r == "year":
        return Value("DATE", f"{int(g['year']):04d}", "year")
    if r == "decade":
        dec = g["decade"].lstrip("'")
        if len(dec) == 2:
            dec = ("19" if int(dec) >= 30 else "20") + dec
        return Value("DATE", dec[:3], "decade")
    if r == "century":
        return Value("DATE", f"{int(g['cent']) - 1:02d}", "century")
    if r == "season":
        code = _SEASONS[g["season"].lower()]
        if g.get("year"):
            return Value("DATE", f"{int(g['year']):04d}-{code}", "season")
        if refd is None:
            return Value("DATE", f"XXXX-{code}", "season")
        rel = (g.get("rel") or "").lower()
        y = refd.year + (-1 if rel in ("last", "past", "previous") else 1 if rel in ("next", "coming") else 0)
        return Value("DATE", f"{y:04d}-{code}", "season", relative=True)
    if r == "half":
        h = 1 if g["half"].lower() == "first" else 2
        if g.get("year"):
            return Value("DATE", f"{int(g['year']):04d}-H{h}", "half")
        if refd is None:
            return Value("DATE", f"XXXX-H{h}", "half")
        k = {"last": -1, "next": 1}.get(g["rel"].lower(), 0)
        return Value("DATE", f"{refd.year + k:04d}-H{h}", "half", relative=True)
    if r == "quarter":
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}[g["ord"].lower()]
        if g.get("year"):
            return Value("DATE", f"{int(g['year']):04d}-Q{q}", "quarter")
        if refd is None:
            return Value("DATE", f"XXXX-Q{q}", "quarter")
        return Value("DATE", f"{refd.year:04d}-Q{q}", "quarter", relative=True)
    if r == "time":
        hour = int(g["hour"])
        ampm = g["ampm"].lower().replace(".", "").replace(" ", "")
        if hour > 12:
            return None
        if ampm == "pm" and hour < 12:
            hour += 12
        if ampm == "am" and hour == 12:
            hour = 0
        hm = f"{hour:02d}:{g.get('minute') or '00'}"
        shift = {"yesterday": -1, "tomorrow": 1}.get((g.get("tday") or "").lower(), 0)
        if not day_ok:
            return Value("TIME", f"XXXX-XX-XXT{hm}", "time")
        return Value("TIME", f"{_day(refd + dt.timedelta(days=shift))}T{hm}", "time", relative=True)
    if r == "clock24":
        hm = f"{g['hour']}:{g['minute']}"
        if not day_ok:
            return Value("TIME", f"XXXX-XX-XXT{hm}", "time")
        return Value("TIME", f"{_day(refd)}T{hm}", "time", relative=True)
    if r == "noon":
        hm = "12:00" if g["noon"].lower() in ("noon", "midday") else "24:00"
        shift = {"yesterday": -1, "tomorrow": 1}.get((g.get("tday") or "").lower(), 0)
        if not day_ok:
            return Value("TIME", f"XXXX-XX-XXT{hm}", "time")
        return Value("TIME", f"{_day(refd + dt.timedelta(days=shift))}T{hm}", "time", relative=True)
    if r in ("dayword", "daypart_rel"):
        w = (g.get("dayword") or g.get("rel") or "").lower()
        part = (g.get("daypart") or "").lower()
        shift = {"yesterday": -1, "tomorrow": 1, "last": -1 if part in ("night", "evening") else 0}.get(w, 0)
        if w == "overnight":
            part = "night"
        if w == "tonight":
            part = "night"
        if not day_ok:
            return Value("TIME" if part else "DATE", "XXXX-XX-XX" + (f"T{_DAYPART[part]}" if part else ""), "day")
        d = _day(refd + dt.timedelta(days=shift))
        if part:
            return Value("TIME", f"{d}T{_DAYPART[part]}", "time", relative=True)
        return Value("DATE", d, "day", relative=True)
    if r == "weekday":
        wd = WEEKDAYS[g["weekday"].lower()]
        part = (g.get("daypart") or "").lower()
        if not day_ok:
            return Value("DATE", f"XXXX-WXX-{wd + 1}", "day")
        rel = (g.get("rel") or "").lower()
        back = (refd.weekday() - wd) % 7
        fwd = (wd - refd.weekday()) % 7
        if rel in ("last", "past"):
            d = refd - dt.timedelta(days=back or 7)
        elif rel in ("next", "coming"):
            d = refd + dt.timedelta(days=fwd or 7)
        elif _future_context(text, hit) and fwd != 0:
            d = refd + dt.timedelta(days=fwd)
        else:
            d = refd - dt.timedelta(days=back)
        # "Friday night": the day is what matters for a timeline; keep it a DATE
        return Value("DATE", _day(d), "day", relative=True)
    if r == "relperiod":
        rel = g["rel"].lower()
        period = re.sub(r"\s+", " ", g["period"].lower())
        if rel == "past" or (rel == "last" and surface.lower().startswith("the ")):
            return Value("DURATION", duration_value(1, "year" if period == "fiscal year" else period), None)
        if refd is None:
            return Value("DATE", None, None)
        k = -1 if rel in ("last", "previous") else 1 if rel in ("next", "coming", "following") else 0
        if period in ("year", "fiscal year"):
            return Value("DATE", f"{refd.year + k:04d}", "year", relative=True)
        if period == "month":
            y, m = _shift_month(refd, k)
            return Value("DATE", f"{y:04d}-{m:02d}", "month", relative=True)
        if period in ("week", "weekend"):
            if not day_ok:
                return Value("DATE", None, "week")
            w = _week(refd + dt.timedelta(weeks=k))
            return Value("DATE", w + ("-WE" if period == "weekend" else ""), "week", relative=True)
        if period == "quarter":
            y, m = _shift_month(refd, 3 * k)
            return Value("DATE", f"{y:04d}-Q{(m - 1) // 3 + 1}", "quarter", relative=True)
        if period == "decade":
            return Value("DATE", f"{(refd.year // 10) + k:03d}", "decade", relative=True)
        if period == "century":
            return Value("DATE", f"{(refd.year // 100) + k:02d}", "century", relative=True)
    if r == "ago":
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
        if unit == "day" and day_ok:
            return Value("DATE", _day(refd + dt.timedelta(days=sign * n)), "day", relative=True)
        if unit == "week" and day_ok:
            return Value("DATE", _week(refd + dt.timedelta(weeks=sign * n)), "week", relative=True)
        if unit == "month":
            y, m = _shift_month(refd, sign * n)
            return Value("DATE", f"{y:04d}-{m:02d}", "month", relative=True)
        if unit == "year":
            return Value("DATE", f"{refd.year + sign * n:04d}", "year", relative=True)
        if unit == "decade":
            return Value("DATE", f"{(refd.year + sign * 10 * n) // 10:03d}", "decade", relative=True)
        return Value("DATE", None, None)
    if r == "duration":
        return Value("DURATION", duration_value(_num(g["num"]), g["unit"]), None)
    if r == "unitsplural":
        return Value("DURATION", duration_value("X", g["unit"].rstrip("s")), None)
    if r == "set":
        w = re.sub(r"\s+", " ", g["set"].lower())
        sets = {
            "daily": "P1D",
            "weekly": "P1W",
            "monthly": "P1M",
            "annually": "P1Y",
            "yearly": "P1Y",
            "nightly": "XXXX-XX-XXTNI",
            "hourly": "PT1H",
        }
        if w in sets:
            return Value("SET", sets[w], None)
        unit = w.split()[-1]
        return Value(
            "SET",
            {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "weekend": "P1WE"}.get(
                unit, f"XXXX-XX-XXT{_DAYPART.get(unit, 'XX')}"
            ),
            None,
        )
    if r == "holiday":
        return _holiday(g, refd, text, hit)
    if r == "vague":
        v = re.sub(r"\s+", " ", g["vague"].lower())
        if v in ("now", "currently", "nowadays", "these days", "the present"):
            return Value("DATE", "PRESENT_REF", None)
        if v in ("recently", "the past"):
            return Value("DATE", "PAST_REF", None)
        if v in ("the future",):
            return Value("DATE", "FUTURE_REF", None)
    return None


def _holiday(g: dict, refd: dt.date | None, text: str, hit: Hit) -> Value | None:
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
        y = _closest_year(refd, this.month, this.day)
    return Value("DATE", holiday_date(g["holiday"], y).isoformat(), "day", relative=True)
