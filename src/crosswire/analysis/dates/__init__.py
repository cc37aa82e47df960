"""Story component: dates and times in the text (``TimeRef``), resolved to TIMEX3-like values.

``rules.find`` recognises expressions (a regular grammar over the text), ``resolve.resolve``
normalises them against a reference date (a dispatch table: one small function per rule), then
``anaphora.anchor`` dates "later that year" / "the next day" from a date the text named,
``ranges.link`` joins "from March 3 to April 5" into a range, and a clock time takes the day next
to it. The reference is the article's publication date.
When an article has none, the reference is *inferred* from the story's own text and every value
that depended on it is marked ``inferred=True`` with the ``evidence`` in words:

1. publication dates of other articles of the same story (their median), else
2. an explicit date with a year named as the last time something happened ("the last call in
   December 2022", "since December 2022"), moved forward by the gap the text states ("the first
   call in almost two years" -> about December 2024; month precision), else
3. that latest explicit date alone (the article cannot be older than a date it mentions).

Explicit dates ("December 2, 2022") never depend on the reference and are never marked
inferred. Without any evidence the year stays unknown (``XXXX-11-15``) and nothing is guessed.

Public helpers: ``tag(text, ref) -> list[(start, end, Value)]``, ``time_refs(article_id, text,
ref) -> list[TimeRef]``, ``infer_reference(texts, today=...) -> Ref | None``, ``parse_ref(iso) -> Ref``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from crosswire.analysis.context import StoryContext
from crosswire.analysis.dates import anaphora, ranges
from crosswire.analysis.dates.resolve import Ref, Value, resolve
from crosswire.analysis.dates.rules import find
from crosswire.model import Span, TimeRef

__all__ = ["Ref", "Value", "tag", "time_refs", "infer_reference", "parse_ref", "date_range", "run"]

_EXPLICIT = {"iso", "numeric", "mdy", "dmy", "my", "year"}
_GAP = re.compile(r"(?i)\b(?:first|last|since)\b")
_PREVIOUS = re.compile(r"(?i)\b(?:since|last|previous|latest|most\s+recent)\b")


def parse_ref(value: str | None) -> Ref | None:
    """A Ref from an ISO date or datetime string ("2024-11-15", "2024-11-15T10:00:00Z")."""
    if not value:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value.strip())
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d:
            return Ref(dt.date(y, int(mo), int(d)), "day")
        if mo:
            return Ref(dt.date(y, int(mo), 15), "month")
        return Ref(dt.date(y, 7, 1), "year")
    except ValueError:
        return None


def tag(text: str, ref: Ref | None) -> list[tuple[int, int, Value]]:
    """Every recognised expression with its normalised value (unresolvable ones dropped)."""
    found = []
    for hit in find(text):
        v = resolve(hit, text, ref)
        if v is not None:
            found.append((hit, v))
    anaphora.anchor(text, found)
    ranges.link(text, found)
    out = [(hit.start, hit.end, v) for hit, v in found]
    _anchor_clock_times(text, out)
    return out


_JOIN = re.compile(r"^\)?(?:,?\s*(?:on\s+|at\s+)?|\s+)$", re.I)
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2}|XXXX-WXX-\d|XXXX-\d{2}-\d{2})")
_PAREN_CLOCK = re.compile(r"^\s*\(\s*$")


def _anchor_clock_times(text: str, found: list[tuple[int, int, Value]]) -> None:
    """A clock time next to a day ("2 p.m. Tuesday", "Friday at 10:35 a.m.") is on that day; a
    clock time in another zone in brackets between them does not separate them ("10:35 a.m.
    (0735 GMT) Friday")."""
    for i, (s, e, v) in enumerate(found):
        if v.type != "TIME" or not v.value or "T" not in v.value or not re.search(r"T\d\d:\d\d", v.value):
            continue
        for j in (i + 1, i - 1):
            if not 0 <= j < len(found):
                continue
            s2, e2, v2 = found[j]
            gap = text[e:s2] if j > i else text[e2:s]
            if j == i + 1 and j + 1 < len(found) and v2.type == "TIME" and _PAREN_CLOCK.match(gap):
                close = text[e2 : found[j + 1][0]]
                if re.fullmatch(r"\s*\)\s*", close):
                    s2, e2, v2 = found[j + 1]  # skip the bracketed clock time
                    gap = " "
            m = _DAY.match(v2.value or "") if v2.type in ("DATE", "TIME") else None
            if m and len(gap) <= 5 and _JOIN.match(gap):
                found[i] = (
                    s,
                    e,
                    Value("TIME", f"{m.group(1)}{v.value[v.value.index('T') :]}", "time", relative=v2.relative),
                )
                break


def date_range(value: str | None) -> tuple[str | None, str | None]:
    """First and last day covered by a DATE value ("2024-11" -> 2024-11-01, 2024-11-30)."""
    if not value:
        return None, None
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        return value, value
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        y, mo = int(m.group(1)), int(m.group(2))
        return f"{y:04d}-{mo:02d}-01", f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"
    if m := re.fullmatch(r"(\d{4})", value):
        return f"{value}-01-01", f"{value}-12-31"
    if m := re.fullmatch(r"(\d{4})-W(\d{2})(?:-WE)?", value):
        d0 = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        return d0.isoformat(), (d0 + dt.timedelta(days=6)).isoformat()
    if m := re.fullmatch(r"(\d{4})-H([12])", value):
        y = m.group(1)
        return (f"{y}-01-01", f"{y}-06-30") if m.group(2) == "1" else (f"{y}-07-01", f"{y}-12-31")
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):  # meteorological seasons
        y, first = int(m.group(1)), {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[m.group(2)]
        last_y, last = (y + 1, 2) if first == 12 else (y, first + 2)
        return f"{y:04d}-{first:02d}-01", f"{last_y:04d}-{last:02d}-{calendar.monthrange(last_y, last)[1]:02d}"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        y, q = int(m.group(1)), int(m.group(2))
        last = 3 * q
        return f"{y:04d}-{last - 2:02d}-01", f"{y:04d}-{last:02d}-{calendar.monthrange(y, last)[1]:02d}"
    return None, None


def _start_date(v: Value) -> dt.date | None:
    s, _ = date_range(v.value if v.value and "T" not in v.value else (v.value or "")[:10])
    return dt.date.fromisoformat(s) if s else None


def infer_reference(texts: list[str], published: list[str | None] | None = None, *, today: dt.date) -> Ref | None:
    """A reference date for articles without one, from the story's own evidence (see module doc).

    ``today`` is the run's clock (passed in, so that a run is reproducible): no date after it is taken."""
    pubs = [r for r in (parse_ref(p) for p in (published or []) if p) if r is not None]
    if pubs:
        mid = sorted(pubs, key=lambda r: r.date)[len(pubs) // 2]
        return Ref(mid.date, mid.precision, True, "publication date of other articles in the story")
    latest: tuple[dt.date, str, str] | None = None
    previous: tuple[dt.date, str, str] | None = None  # an explicit date named as the last time
    gaps: list[tuple[str, str, str]] = []  # (unit, number, surface)
    for text in texts:
        for s, e, v in tag(text, None):
            if v.value and v.type in ("DATE", "TIME") and not v.value.startswith("X") and not v.relative:
                d = _start_date(v)
                if d and d <= today and (latest is None or d > latest[0]):
                    latest = (d, v.precision or "day", text[s:e])
                clause = re.split(r"[.!?\n]", text[max(0, s - 120) : s])[-1]
                if d and d <= today and _PREVIOUS.search(clause) and (previous is None or d > previous[0]):
                    previous = (d, v.precision or "day", text[s:e])
            if v.type == "DURATION" and v.value and re.fullmatch(r"P\d+[YM]", v.value):
                before = text[max(0, s - 120) : s]
                sent_before = re.split(r"[.!?\n]", before)[-1]
                if re.search(r"(?i)\bin\s+$", sent_before) and _GAP.search(sent_before):
                    gaps.append((v.value[-1], v.value[1:-1], text[s:e]))
    if latest is None:
        return None
    d, prec, surface = latest
    if gaps and previous is not None:
        d, prec, surface = previous  # "the last call in December 2022" + "first call in two years"
    if gaps:
        unit, n, gap_text = max(gaps, key=lambda g: int(g[1]) * (12 if g[0] == "Y" else 1))
        months = int(n) * (12 if unit == "Y" else 1)
        y, m = divmod(d.month - 1 + months, 12)
        est = dt.date(d.year + y, m + 1, 15)
        if latest[0] > est:
            est = latest[0]
        return Ref(est, "month", True, f"'{gap_text}' after '{surface}' (estimate from the text)")
    if prec in ("day", "month"):
        return Ref(
            d if prec == "day" else d.replace(day=15), prec, True, f"latest explicit date in the text: '{surface}'"
        )
    return Ref(d.replace(month=7, day=1), "year", True, f"latest explicit year in the text: '{surface}'")


def time_refs(article_id: str, text: str, ref: Ref | None) -> list[TimeRef]:
    refs: list[TimeRef] = []
    for s, e, v in tag(text, ref):
        inferred = bool(ref and ref.inferred and v.relative)
        rs, re_ = (
            (v.range_start, v.range_end) if v.range_start else date_range(v.value) if v.type == "DATE" else (None, None)
        )
        refs.append(
            TimeRef(
                span=Span(article_id, s, e),
                text=text[s:e],
                type=v.type,
                value=v.value,
                precision=v.precision,
                range_start=rs,
                range_end=re_,
                anchor=ref.iso() if (ref and v.relative) else None,
                inferred=inferred,
                evidence=ref.evidence if inferred else None,
            )
        )
    return refs


def article_reference(article, story_ref: Ref | None) -> Ref | None:
    own = parse_ref(article.published)
    return own if own is not None else story_ref


REQUIRES = ("articles",)
PROVIDES = ("timerefs",)


def run(ctx: StoryContext) -> None:
    """Fill ``ctx.timerefs[article_id]`` for every article of the story."""
    undated = [a for a in ctx.originals if not parse_ref(a.published)]
    story_ref = None
    if undated:
        story_ref = infer_reference(
            [a.text for a in ctx.originals], [a.published for a in ctx.articles], today=ctx.today
        )
    for art in ctx.articles:
        ctx.timerefs[art.id] = time_refs(art.id, art.text, article_reference(art, story_ref))
    if story_ref is not None and story_ref.precision != "day":
        match_weekdays(ctx.timerefs, story_ref)


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def match_weekdays(timerefs: dict[str, list[TimeRef]], ref: Ref) -> None:
    """With only an approximate reference, a bare weekday ("on Friday") cannot be resolved by
    arithmetic. If exactly one day the story names falls on that weekday within the weeks
    before the reference, the weekday is taken as that day, marked inferred, with the evidence."""
    days = set()
    for refs in timerefs.values():
        for r in refs:
            if r.type == "DATE" and r.precision == "day" and r.value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.value):
                d = dt.date.fromisoformat(r.value)
                if ref.date - dt.timedelta(days=60) <= d <= ref.date + dt.timedelta(days=20):
                    days.add(d)
    for refs in timerefs.values():
        for r in refs:
            m = re.fullmatch(r"XXXX-WXX-(\d)(T[A-Z]{2})?", r.value or "")
            if not m:
                continue
            wd = int(m.group(1)) - 1
            same = sorted(d for d in days if d.weekday() == wd)
            if len(same) == 1:
                d = same[0]
                r.value, r.range_start, r.range_end = d.isoformat() + (m.group(2) or ""), d.isoformat(), d.isoformat()
                r.inferred, r.anchor = True, ref.iso()
                r.evidence = (
                    f"'{r.text}' taken as {d.isoformat()}, the only {_WEEKDAY_NAMES[wd]} among the "
                    f"story's dates near the inferred reference ({ref.evidence})"
                )
