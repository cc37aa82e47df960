"""Date conflicts: two days, weekdays or clock times for one happening, in claims of different outlets.

A date counts for the happening it is attached to in the parse (the verb it modifies: "Smith was
arrested June 18" dates the arrest). Two claims tell one happening when they read close (similarity)
and their dated verbs agree or the claims read very close. An outlet that itself names the other
date anywhere is never in conflict over it: it knows both, for two happenings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from crosswire.analysis.compare.conflict_sides import Finding
from crosswire.analysis.context import StoryContext
from crosswire.text import calendar_days, is_irrealis

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_CLOCK_RE = re.compile(r"\b(\d{1,2})(?::(\d\d))?\s*(a\.?m\.?|p\.?m\.?)", re.IGNORECASE)
_HEDGE_RE = re.compile(r"\b(about|around|approximately|roughly|shortly|just|nearly|almost|some)\s+$", re.IGNORECASE)
# Two claims this similar may date one happening (cosine; same-fact probability when the lead's model is
# there); with different dated verbs they must read closer still. Chosen on the development sets.
DATE_CONTEXT = {"cosine": 0.55, "same_fact": 0.5}
DATE_CONTEXT_OTHER_VERB = {"cosine": 0.72, "same_fact": 0.8}
# dated verbs that are not the happening: a report of it, a copula ("the last call was on ...")
NOT_EVENTS = {"be", "have", "say", "tell", "report", "announce", "state", "add", "note", "write", "confirm", "claim"}
CLOCK_TOLERANCE = 10  # minutes two clock times may differ and still be one time ("11:40" vs "about 11:45")


@dataclass
class Dated:
    """One date or time expression of a claim, and the verb it dates."""

    text: str
    day: str | None  # "2014-06-17" when resolved to a day
    weekday: int | None  # 0 = Monday, from the words
    minutes: int | None  # clock time, minutes after midnight
    hedged: bool
    verb: str  # lemma of the verb it modifies
    verb_tok: object  # the verb token (for the point)


def _verb_of(tok):
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass"):
            return t
        if t.head.i == t.i:
            return t
        t = t.head
    return t


def dated_in(ctx: StoryContext, claim) -> list[Dated]:
    span = ctx.parsed_span(claim.span)
    if span is None or is_irrealis(claim.text):
        return []  # a plan or hope has no date of its own
    doc = span.doc
    text = doc.text
    out: list[Dated] = []
    for start, end, value, precision in _date_spans(ctx, claim, span):
        words = text[start:end]
        day = value[:10] if re.fullmatch(r"\d{4}-\d\d-\d\d.*", value) and precision in ("day", "time") else None
        if day is None and not value:  # no dates component ran: the calendar day as written ("nov 15")
            days = calendar_days(words)
            day = next(iter(days)) if len(days) == 1 else None
        wd = _WEEKDAY_RE.search(words)
        clock = _CLOCK_RE.search(words)
        minutes = None
        if clock:
            h, mnt, ampm = int(clock.group(1)), int(clock.group(2) or 0), clock.group(3).lower()
            if h <= 12 and mnt < 60:
                minutes = (h % 12 + (12 if ampm.startswith("p") else 0)) * 60 + mnt
        if day is None and wd is None and minutes is None:
            continue
        if re.search(r"\b(later|earlier|after|before|ago|since|until|by)\b", words + text[end : end + 8]):
            continue  # relative to something else: not the day of this happening
        tok_span = doc.char_span(start, end, alignment_mode="expand")
        if tok_span is None or not len(tok_span):
            continue
        verb = _verb_of(tok_span.root)
        if verb.lemma_.lower() in NOT_EVENTS or verb.pos_ != "VERB":
            continue  # the day of a report or of "was": not the day the thing happened
        if any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children):
            continue  # backstory: "had spoken on ..."
        hedged = bool(_HEDGE_RE.search(text[max(0, start - 16) : start])) or bool(
            re.match(r"(about|around|approximately|roughly)\b", words, re.I)
        )
        out.append(
            Dated(
                words,
                day,
                WEEKDAYS.index(wd.group(1).lower()) if wd else None,
                minutes,
                hedged,
                verb.lemma_.lower(),
                verb,
            )
        )
    return out


def _date_spans(ctx: StoryContext, claim, span) -> list[tuple[int, int, str, str | None]]:
    """(start, end, value, precision) of the claim's dates: the dates component's, else the parser's
    DATE/TIME names with no value."""
    refs = (ctx.timerefs or {}).get(claim.span.article)
    if refs:
        return [
            (r.span.start, r.span.end, r.value or "", r.precision)
            for r in refs
            if claim.span.start <= r.span.start and r.span.end <= claim.span.end and r.type in ("DATE", "TIME")
        ]
    return [(e.start_char, e.end_char, "", None) for e in span.ents if e.label_ in ("DATE", "TIME")]


def _differ(a: Dated, b: Dated) -> str | None:
    """How two dates cannot both hold: "day", "weekday" or "time"; None when they can."""
    if a.minutes is not None and b.minutes is not None:
        tol = CLOCK_TOLERANCE * (3 if a.hedged or b.hedged else 1)
        if abs(a.minutes - b.minutes) > tol:
            return "time"
        return None
    if a.day and b.day:
        return "day" if a.day != b.day else None
    if a.weekday is not None and b.weekday is not None:
        return "weekday" if a.weekday != b.weekday else None
    return None


def _mentions(ctx: StoryContext, article_id: str, d: Dated) -> bool:
    """The article names this date somewhere (same day, weekday or clock time)."""
    text = ctx.article(article_id).text
    for r in (ctx.timerefs or {}).get(article_id, []):
        if d.day and (r.value or "")[:10] == d.day:
            return True
    if d.day and not re.match(r"\d{4}", d.day) and d.day in calendar_days(text):
        return True
    if d.weekday is not None and re.search(rf"\b{WEEKDAYS[d.weekday]}\b", text, re.IGNORECASE):
        return True
    if d.minutes is not None:
        for m in _CLOCK_RE.finditer(text):
            h, mnt = int(m.group(1)), int(m.group(2) or 0)
            if (
                h <= 12
                and abs((h % 12 + (12 if m.group(3).lower().startswith("p") else 0)) * 60 + mnt - d.minutes) <= 5
            ):
                return True
    return False


def _when(d: Dated) -> str:
    """ "when Smith was arrested": the dated verb with its subject and auxiliaries."""
    v = d.verb_tok
    subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
    words = []
    if subj:
        s = subj[0]
        words.append(s.doc[max(s.left_edge.i, s.i - 3) : s.i + 1].text)
    words += [c.text for c in v.children if c.dep_ in ("aux", "auxpass") and c.i < v.i]
    words.append(v.text)
    obj = [c for c in v.children if c.dep_ == "dobj"]
    if obj:
        o = obj[0]
        words.append(o.doc[max(o.left_edge.i, o.i - 2) : o.i + 1].text)
    return "when " + " ".join(words)


def date_findings(ctx: StoryContext, sim: np.ndarray, sim_kind: str) -> list[Finding]:
    claims = ctx.story.claims
    outlet = {a.id: ctx.counted_outlet(a.id) for a in ctx.articles}
    dated = [dated_in(ctx, c) for c in claims]
    near, nearer = DATE_CONTEXT[sim_kind], DATE_CONTEXT_OTHER_VERB[sim_kind]
    out: list[Finding] = []
    for i in range(len(claims)):
        if not dated[i]:
            continue
        for j in range(i + 1, len(claims)):
            ai, aj = claims[i].span.article, claims[j].span.article
            if not dated[j] or outlet[ai] == outlet[aj] or sim[i, j] < near:
                continue
            for d1 in dated[i]:
                for d2 in dated[j]:
                    how = _differ(d1, d2)
                    if how is None:
                        continue
                    if d1.verb != d2.verb and sim[i, j] < nearer:
                        continue
                    if _mentions(ctx, ai, d2) or _mentions(ctx, aj, d1):
                        continue
                    unit = "time" if how == "time" else "day"
                    point = f"the {unit} {_when(d1)[5:]}" if d1.verb == d2.verb else f"the {unit} of one happening"
                    key = ("date", i, j)
                    what = f'{point}: "{d1.text}" ({claims[i].source}) vs "{d2.text}" ({claims[j].source})'
                    out.append(Finding("date", point, [i], [j], what, key, float(sim[i, j]), words=(d1.text, d2.text)))
    return out
