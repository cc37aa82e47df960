"""What the normaliser works with: the reference date, the value it returns, the question a rule
answers (``Ask``), and the helpers the rules share (tense of the clause, the year of a month/day).

Values follow TimeML: ``2022-12-02`` (day), ``2022-12`` (month), ``2022`` (year), ``2022-W48``
(week), ``2022-Q3``, ``2022-SU`` (season), ``199`` (decade), ``19`` (century),
``2022-12-02T10:35`` / ``2022-12-02TNI`` (time), ``P2Y`` / ``PT1H`` (duration), ``PRESENT_REF``,
``PAST_REF``, ``FUTURE_REF``. Anything that needs the reference date and has none gets ``X``
placeholders (``XXXX-11-15``) rather than a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from crosswire.analysis.dates.rules import WEEKDAYS, Hit
from crosswire.text import MONTHS


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


@dataclass(slots=True)
class Ask:
    """One recognised expression to normalise: the hit, the text around it, the reference."""

    hit: Hit
    text: str
    ref: Ref | None

    @property
    def g(self) -> dict[str, Any]:
        return self.hit.groups

    @property
    def refd(self) -> dt.date | None:
        return self.ref.date if self.ref else None

    @property
    def day_ok(self) -> bool:
        """The reference names a day (not only a month or a year)."""
        return self.ref is not None and self.ref.precision == "day"

    @property
    def surface(self) -> str:
        return self.text[self.hit.start : self.hit.end]


_FUTURE = re.compile(
    r"(?i)(?:\b(?:will|won't|would|shall|going\s+to|is\s+to|are\s+to|scheduled|plan(?:s|ned|ning)?\s+(?:to|a|an)|planning\s+for|"
    r"to\s+be\s+held|upcoming|due\s+to|set\s+to|expected\s+to|as\s+(?:soon|early)\s+as|until|postponed|"
    r"ahead\s+of|prepar(?:e|es|ing)\s+for|taking\s+place|to\s+take\s+place|slated)\b|'ll\b)"
)
_PAST_CUE = re.compile(r"(?i)\b(?:\w+ed|said|told|met|held|took|gave|made|won|lost|was|were|had|did|began|came|went)\b")
_LEAD_IN = re.compile(r"(?i)^\W*(?:on|by|until|till|from|since|before|after|and|but)?\s*$")
_PAST_RIGHT_BEFORE = re.compile(
    r"(?i)\b\w+ed\s+(?:on\s+)?$|\b(?:said|told|met|held|took|gave|made|won|lost|was|were)\s+(?:on\s+)?$"
)
FUTURE_WINDOW = 60  # characters before the expression searched for a future cue
NEAR_FUTURE_DAYS = 122  # how far ahead of the reference an unqualified month/day may point
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
DAYPART = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}

_CLAUSE_END = re.compile(r"[!?\n;]|(?<!\b[A-Za-z])(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bSt)\.\s+(?=[A-Z`\"'])")


def future_context(text: str, hit: Hit) -> bool:
    """Does the clause just before the expression speak of the future ("will meet on Friday")?
    The window is the last FUTURE_WINDOW characters of the sentence ("a.m." does not end it)."""
    before = text[max(0, hit.start - FUTURE_WINDOW) : hit.start]
    ends = list(_CLAUSE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    if _PAST_RIGHT_BEFORE.search(before):
        return False
    return bool(_FUTURE.search(before))


def future_after(text: str, hit: Hit) -> bool:
    """An expression that opens its clause ("On Tuesday, the league plans to hold..."): does the
    rest of the clause speak of the future before it speaks of the past?"""
    before = text[max(0, hit.start - FUTURE_WINDOW) : hit.start]
    ends = list(_CLAUSE_END.finditer(before))
    opening = before[ends[-1].end() :] if ends else (before if hit.start < FUTURE_WINDOW else None)
    if opening is None or not _LEAD_IN.match(opening):
        return False
    after = text[hit.end : hit.end + 2 * FUTURE_WINDOW]
    end = _CLAUSE_END.search(after)
    after = after[: end.start()] if end else after
    fut, past = _FUTURE.search(after), _PAST_CUE.search(after)
    return fut is not None and (past is None or fut.start() < past.start())


_PAST_VERB_BEFORE = re.compile(
    r"(?i)(?:^|(?<=\s))(?P<verb>\w+ed|was|were|had|did|said|told|met|held|took|gave|made|won|lost|began|built|sold|"
    r"came|went|left|spoke|fell|rose)\s+(?:(?:on|in|during|by)\s+)?(?:the\s+)?(?:early\s+|late\s+|mid-?)?$"
)
# "is released on", "will be opened in": an -ed form after these is not a past tense
_NOT_PAST_AUX = re.compile(r"(?i)\b(?:is|are|am|be|being|to|will|would|shall|can|could|may|might|must|should)\s+$")
PAST_SLACK_DAYS = 7  # a past-tense date this little ahead of the reference may be a clock or dating slip


def past_context(text: str, hit: Hit) -> bool:
    """Is the expression right after a past-tense verb ("was built in the summer", "resigned on
    Dec. 2")? Checked only in the expression's own clause."""
    before = text[max(0, hit.start - FUTURE_WINDOW) : hit.start]
    ends = list(_CLAUSE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    m = _PAST_VERB_BEFORE.search(before)
    if m is None or _FUTURE.search(before):
        return False
    return not (m.group("verb").lower().endswith("ed") and _NOT_PAST_AUX.search(before[: m.start()]))


def news_year(ref: dt.date, month: int, day: int | None, future: bool, past: bool = False) -> int:
    """News speaks of the recent past and the near future: a month/day without a year is put in
    the reference's year unless that is more than ~4 months ahead (then the year before); when
    the clause speaks of the future, a date already a month past moves to next year; when the
    verb right before it is in the past tense, a date ahead of the reference is last year's."""
    try:
        d = dt.date(ref.year, month, day or 1)
    except ValueError:
        d = dt.date(ref.year, month, 28)
    ahead = (d - ref).days
    if future:
        return ref.year + 1 if ahead < -31 else ref.year
    if ahead > NEAR_FUTURE_DAYS or (past and ahead > PAST_SLACK_DAYS):
        return ref.year - 1
    return ref.year


def year_for(ref: Ref, month: int, day: int | None, text: str, hit: Hit) -> int:
    """The year of a month/day without one: only the year is known -> that year; a weekday named
    with the day ("Monday 8 March") -> the nearest year in which that day is that weekday; else
    news usage (``news_year``)."""
    if ref.precision == "year":
        return ref.date.year
    future = future_context(text, hit)
    y = news_year(ref.date, month, day, future, past=not future and past_context(text, hit))
    wd = (hit.groups.get("wd") or "").lower()
    if day and wd in WEEKDAYS:
        for cand in (y, y + 1, y - 1):
            try:
                if dt.date(cand, month, day).weekday() == WEEKDAYS[wd]:
                    return cand
            except ValueError:
                continue
    return y


def closest_year(ref: dt.date, month: int, day: int | None = None) -> int:
    best: tuple[int, int] | None = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = dt.date(y, month, day or 15)
        except ValueError:
            d = dt.date(y, month, 28)
        dist = abs((d - ref).days)
        if best is None or dist < best[0]:
            best = (dist, y)
    assert best is not None
    return best[1]


def year_number(y: str) -> int:
    """A written year: "1998" -> 1998, "'98"/"98" -> 1998, "05" -> 2005."""
    n = int(y)
    if len(y) == 2:
        n += 1900 if n >= 40 else 2000
    return n


def month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def week_of(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def day_of(d: dt.date) -> str:
    return d.isoformat()


def shift_month(d: dt.date, k: int) -> tuple[int, int]:
    m = d.month - 1 + k
    return d.year + m // 12, m % 12 + 1
