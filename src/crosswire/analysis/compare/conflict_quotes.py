"""Attribution conflicts: the same quoted words given to two different speakers by different outlets.

Two quotes are the same words when they share a run of ``MIN_RUN`` words (case and punctuation aside).
Only direct quotes count, and only speakers named where the quote stands and resolved to a person
of the story; two such speakers differ when they are not one person ("Kevin Johnson" and "Johnson" are
one). An unnamed speaker ("he", "the lawyer", "prosecutors") is never set against a named one: it may
be the same person, or the tagger's guess.
"""

from __future__ import annotations

import re

from crosswire.analysis.compare.conflict_numbers import same_person
from crosswire.analysis.compare.conflict_sides import Finding
from crosswire.analysis.compare.parties import is_party
from crosswire.analysis.context import StoryContext

MIN_RUN = 6
SHARE = 0.5  # the shared run is at least half of the shorter quote: the same words, not a phrase in common


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower().replace("’", "'"))


def _shared_run(a: list[str], b: list[str]) -> int:
    """Length of the longest run of words both lists share."""
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for k, y in enumerate(b):
            if x == y:
                cur[k + 1] = prev[k] + 1
                best = max(best, cur[k + 1])
        prev = cur
    return best


_QUOTE_MARKS = "\"“”'‘’«»"


def _is_direct(ctx: StoryContext, q) -> bool:
    """The content stands in quotation marks (the tagger's own flag misses some)."""
    if q.direct:
        return True
    sp = q.content_span
    text = ctx.article(sp.article).text
    before, first = text[max(0, sp.start - 2) : sp.start], text[sp.start : sp.start + 1]
    return any(ch in _QUOTE_MARKS for ch in before + first)


def _speaker(ctx: StoryContext, q) -> tuple[str | None, str | None]:
    """The named person who speaks a direct quote, or (None, None). The speaker must be named where
    the quote is ("Rodriguez told ..."): a pronoun resolved to someone may be the wrong person."""
    names = {e.id: (e.name, e.type) for e in ctx.story.entities}
    sp = q.speaker_span
    if sp is None:
        return None, None
    text = ctx.article(sp.article).text[sp.start : sp.end].strip()  # as written, not as resolved
    if (
        not _is_direct(ctx, q)
        or not text[:1].isupper()
        or not is_party(text)
        or text.lower().startswith(("the ", "a "))
    ):
        return None, None
    if q.speaker_entity and q.speaker_entity in names:
        name, kind = names[q.speaker_entity]
        if kind == "PERSON" and is_party(name) and same_person(name, text):
            return name, q.speaker_entity
    return None, None


def attribution_findings(ctx: StoryContext) -> list[Finding]:
    claims = ctx.story.claims
    outlet = {a.id: ctx.counted_outlet(a.id) for a in ctx.articles}
    quotes = []
    for q in ctx.story.quotes:
        name, ent = _speaker(ctx, q)
        if name is None or q.content_span is None:
            continue
        words = _words(ctx.article(q.content_span.article).text[q.content_span.start : q.content_span.end])
        if len(words) >= MIN_RUN:
            quotes.append((q, name, ent, words))
    out: list[Finding] = []
    for x in range(len(quotes)):
        for y in range(x + 1, len(quotes)):
            qa, na, ea, wa = quotes[x]
            qb, nb, eb, wb = quotes[y]
            if outlet.get(qa.content_span.article) == outlet.get(qb.content_span.article):
                continue
            run = _shared_run(wa, wb)
            if (ea and eb and ea == eb) or same_person(na, nb) or run < max(MIN_RUN, SHARE * min(len(wa), len(wb))):
                continue
            a = _claims_over(claims, qa.content_span)
            b = _claims_over(claims, qb.content_span)
            if not a or not b:
                continue
            said = " ".join(wa[:8])
            point = f'who said "{said} ..."'
            what = f"{point}: {na} ({claims[a[0]].source}) vs {nb} ({claims[b[0]].source})"
            key = ("attribution", tuple(sorted((na.lower(), nb.lower()))), said)
            out.append(Finding("attribution", point, a, b, what, key, 1.0, (na, ea), (nb, eb)))
    return out


def _claims_over(claims, span) -> list[int]:
    return [
        k
        for k, c in enumerate(claims)
        if c.span.article == span.article and c.span.start < span.end and span.start < c.span.end
    ]
