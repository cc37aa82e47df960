"""Conflicts between claim groups that cannot both be true: numbers, dates, negation, titles."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from crosswire.analysis.compare import grouping, titles
from crosswire.analysis.context import StoryContext
from crosswire.model import ClaimGroup, Conflict, Span, stable_id
from crosswire.text import calendar_days, is_irrealis

# Two claims from different groups this similar (MiniLM cosine) are about the same thing;
# if their numbers or negation then differ, they conflict. Fixed by hand, checked on the seeds.
SAME_THING = 0.72


def _group_of_claim(groups: list[ClaimGroup]) -> dict[str, ClaimGroup]:
    return {cid: g for g in groups for cid in g.claims}


# A negation conflict needs the same proposition: the claims similar (SAME_THING) and about one
# happening (same main verb, a shared participant), so "has not received a proposal" in October
# does not contradict "held a phone conversation" in November.
_REPORTING = {"say", "tell", "report", "state", "claim", "announce", "add", "note", "write", "confirm", "reveal"}


@dataclass
class Happening:
    """The main event of a claim: its verb lemma, the participants, and the date expressions as written."""

    verb: str | None
    participants: set[str]
    dates: list[str]


def happening_of(ctx: StoryContext, claim) -> Happening:
    """Read the claim's main verb (under a reporting verb, the reported one) and its date expressions."""
    span = ctx.parsed_span(claim.span)
    if span is None:
        return Happening(None, set(claim.entities), list(claim.dates))
    root = span.root
    for _ in range(2):  # "Zeit reported that Scholz is hoping ..." -> the reported event
        inner = [c for c in root.children if c.dep_ == "ccomp" and span.start <= c.i < span.end]
        if root.lemma_.lower() in _REPORTING and inner:
            root = inner[0]
    written = [
        e.text
        for e in span.ents
        if e.label_ in ("DATE", "TIME")
        and re.search(
            r"\d|January|February|March|April|May|June|July|August|September|October|November|"
            r"December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.",
            e.text,
        )
    ]
    # participants: the entities, and the head nouns of the event's subject and objects ("storm", "plant")
    args = {
        c.lemma_.lower()
        for c in root.children
        if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and c.pos_ in ("NOUN", "PROPN")
    }
    return Happening(root.lemma_.lower() if root.pos_ in ("VERB", "AUX") else None, set(claim.entities) | args, written)


def same_happening(a: Happening, b: Happening) -> bool:
    """One event told twice: same main verb and at least one shared participant."""
    return bool(a.verb) and a.verb == b.verb and bool(a.participants & b.participants)


def structural_conflicts(ctx: StoryContext, groups: list[ClaimGroup], emb: np.ndarray) -> list[Conflict]:
    claims = ctx.story.claims
    gof = _group_of_claim(groups)
    cos = emb @ emb.T
    best: dict[tuple[str, str], tuple[float, int, int, str, str]] = {}
    events: dict[int, Happening] = {}

    def event(k: int) -> Happening:
        if k not in events:
            events[k] = happening_of(ctx, claims[k])
        return events[k]

    n = len(claims)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = claims[i], claims[j]
            if cos[i, j] < SAME_THING or a.source == b.source:
                continue
            ga, gb = gof[a.id], gof[b.id]
            if ga.id == gb.id or is_irrealis(a.text) != is_irrealis(b.text):
                continue  # a hope or plan does not contradict what happened
            ea, eb = event(i), event(j)
            na, nb = set(a.numbers), set(b.numbers)  # numbers outside date expressions
            da, db = calendar_days(" ; ".join(ea.dates)), calendar_days(" ; ".join(eb.dates))
            if da and db and not da & db and same_happening(ea, eb):
                kind = "date"
                what = (
                    f'date of "{ea.verb}": {", ".join(repr_q(d) for d in ea.dates)} ({a.source}) vs '
                    f"{', '.join(repr_q(d) for d in eb.dates)} ({b.source})"
                )
            elif grouping.numbers_conflict(na, nb) and same_happening(ea, eb):
                kind = "number"
                what = f"number: {', '.join(sorted(na))} ({a.source}) vs {', '.join(sorted(nb))} ({b.source})"
            elif a.negated != b.negated and same_happening(ea, eb):
                kind = "negation"
                neg, pos = (a, b) if a.negated else (b, a)
                what = f"negation: {neg.source} says it did not happen where {pos.source} says it did"
            else:
                continue
            key = tuple(sorted((ga.id, gb.id)))
            if key not in best or cos[i, j] > best[key][0]:
                best[key] = (float(cos[i, j]), i, j, kind, what)
    out = []
    for (g1, g2), (_, i, j, kind, what) in sorted(best.items()):
        a, b = claims[i], claims[j]
        out.append(
            Conflict(
                id=stable_id("x_", g1, g2, kind),
                groups=[g1, g2],
                kind=kind,
                what=what,
                citations=[
                    Span(a.span.article, a.span.start, a.span.end),
                    Span(b.span.article, b.span.start, b.span.end),
                ],
            )
        )
    return out


def repr_q(text: str) -> str:
    return f'"{text}"'


def title_uses_of(ctx: StoryContext) -> list[titles.TitleUse]:
    outlet_by_article = {a.id: a.outlet for a in ctx.articles}
    uses = titles.titles_from_entities(getattr(ctx.story, "entities", None), ctx.doc, outlet_by_article)
    if not uses:
        uses = titles.titles_from_docs(ctx.articles, ctx.doc)
    return uses


def title_conflicts(ctx: StoryContext, groups: list[ClaimGroup], uses: list[titles.TitleUse]) -> list[Conflict]:
    claims = ctx.story.claims
    gof = _group_of_claim(groups)

    def groups_at(use_list):
        found = []
        for u in use_list:
            for c in claims:
                if c.span.article == u.span.article and c.span.start <= u.span.start and u.span.end <= c.span.end:
                    gid = gof[c.id].id
                    if gid not in found:
                        found.append(gid)
        return found

    out = []
    for example, minority, majority in titles.title_conflicts(uses):
        other = majority[0]
        min_outlets = sorted({u.outlet for u in minority})
        maj_outlets = sorted({u.outlet for u in majority})
        what = (
            f'title of {other.name}: "{example.title}" ({", ".join(min_outlets)}) vs '
            f'"{other.title}" ({", ".join(maj_outlets)})'
        )
        gids = groups_at(minority)[:1] + groups_at(majority)[:3]
        out.append(
            Conflict(
                id=stable_id("x_", example.person, example.office, other.office),
                groups=gids,
                kind="title",
                what=what,
                citations=[u.span for u in minority] + [u.span for u in majority],
            )
        )
    return out


def find_conflicts(
    ctx: StoryContext, groups: list[ClaimGroup], emb: np.ndarray
) -> tuple[list[Conflict], list[titles.TitleUse]]:
    uses = title_uses_of(ctx)
    return structural_conflicts(ctx, groups, emb) + title_conflicts(ctx, groups, uses), uses
