"""The normaliser: turns a recognised expression into a TIMEX3-like value.

``RESOLVERS`` is the dispatch table: the name of each recogniser rule (``rules.RULES``) maps to
the small function that normalises its matches (``calendar_rules`` for expressions that name the
calendar, ``relative_rules`` for those that count from the reference date or name a length of
time). ``resolve`` looks the rule up and calls it; a rule with no entry gives no value.

Rules for what the text leaves open (TimeML guidelines, news usage):
- a month/day without a year takes the reference's year unless that puts it more than ~4 months
  ahead (then the year before); a clause that speaks of the future moves it forward instead;
- a bare weekday is the most recent such day (today included) unless the sentence speaks of
  the future ("will", "next", "scheduled"...), then the coming one;
- "last/this/next week|month|year" shift the reference's own period.
"""

from __future__ import annotations

from collections.abc import Callable

from crosswire.analysis.dates import calendar_rules as cal
from crosswire.analysis.dates import relative_rules as rel
from crosswire.analysis.dates.rules import RULES, Hit
from crosswire.analysis.dates.values import Ask, Ref, Value

__all__ = ["RESOLVERS", "Ref", "Value", "resolve"]

Resolver = Callable[[Ask], Value | None]

RESOLVERS: dict[str, Resolver] = {
    # expressions that name the calendar
    "iso": cal.iso,
    "numeric": cal.numeric,
    "mdy": cal.full_date,
    "dmy": cal.full_date,
    "md_range": cal.month_day_range,
    "year_range": cal.year_range,
    "dm_range": cal.month_day_range,
    "md": cal.month_day,
    "dm": cal.month_day,
    "my": cal.month_year,
    "month_rel": cal.month,
    "month": cal.month,
    "month_relyear": cal.month_relyear,
    "year": cal.year,
    "decade": cal.decade,
    "century": cal.century,
    "season": cal.season,
    "half": cal.half,
    "quarter": cal.quarter,
    "quarter_q": cal.quarter_q,
    "fy": cal.fiscal_year,
    "fiscal_after": cal.fiscal_year,
    "holiday": cal.holiday,
    # expressions counted from the reference date, lengths of time, sets, vague references
    "time": rel.clock_time,
    "clock24": rel.clock24,
    "noon": rel.noon,
    "dayword": rel.day_word,
    "daypart_rel": rel.day_word,
    "weekday": rel.weekday,
    "relperiod": rel.relative_period,
    "ago": rel.ago,
    "duration": rel.duration,
    "unitsplural": rel.units_plural,
    "set": rel.recurring,
    "vague": rel.vague,
    "anaphor_that": rel.anaphor,
    "anaphor_next": rel.anaphor,
    "anaphor_around": rel.anaphor,
}

_MISSING = {name for name, _, _ in RULES} - set(RESOLVERS)
if _MISSING:  # a recogniser rule nobody normalises is a programming error, caught at import
    raise ImportError(f"dates: no resolver for rule(s) {', '.join(sorted(_MISSING))}")


def resolve(hit: Hit, text: str, ref: Ref | None) -> Value | None:
    """The value of one recognised expression against the reference date (``None``: not a date)."""
    fn = RESOLVERS.get(hit.rule)
    return fn(Ask(hit, text, ref)) if fn is not None else None
