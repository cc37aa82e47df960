"""Conflicts: statements of different outlets that cannot both be true. Precision first.

Each finder reads its own kind of evidence and reports ``Finding``s (``conflict_sides``):
- number (``conflict_numbers``): two values for one quantity of one happening;
- date (``conflict_dates``): two days or times for one happening;
- attribution (``conflict_quotes``): the same quoted words given to two different speakers;
- title (``titles``): two offices one person cannot hold at once.
Opposing accounts (a denial against the accusation it answers) come from ``accounts``.
When the evidence is unsure, nothing is shown.
"""

from __future__ import annotations

import numpy as np

from crosswire.analysis.compare import titles
from crosswire.analysis.compare.conflict_dates import date_findings
from crosswire.analysis.compare.conflict_numbers import number_findings
from crosswire.analysis.compare.conflict_quotes import attribution_findings
from crosswire.analysis.compare.conflict_sides import Finding, similarity, to_conflicts
from crosswire.analysis.context import StoryContext
from crosswire.model import ClaimGroup, Conflict, Span


def title_uses_of(ctx: StoryContext) -> list[titles.TitleUse]:
    outlet_by_article = {a.id: a.outlet for a in ctx.articles}
    uses = titles.titles_from_entities(getattr(ctx.story, "entities", None), ctx.doc, outlet_by_article)
    if not uses:
        uses = titles.titles_from_docs(ctx.articles, ctx.doc)
    return uses + titles.appositive_titles(ctx.articles, ctx.doc, ctx.entity if ctx.entity_at else None)


def _claims_at(ctx: StoryContext, use: titles.TitleUse) -> list[int]:
    return [
        k
        for k, c in enumerate(ctx.story.claims)
        if c.span.article == use.span.article and c.span.start <= use.span.start and use.span.end <= c.span.end
    ]


def title_findings(ctx: StoryContext, uses: list[titles.TitleUse]) -> list[Finding]:
    out = []
    for example, minority, majority in titles.title_conflicts(uses, lambda aid: ctx.article(aid).text):
        other = majority[0]
        a = [k for u in minority for k in _claims_at(ctx, u)]
        b = [k for u in majority for k in _claims_at(ctx, u)]
        if not a or not b:
            continue
        name = max((u.name for u in minority + majority), key=len)
        min_outlets = sorted({u.outlet for u in minority})
        maj_outlets = sorted({u.outlet for u in majority})
        what = (
            f'title of {name}: "{example.title}" ({", ".join(min_outlets)}) vs '
            f'"{other.title}" ({", ".join(maj_outlets)})'
        )
        extra = [Span(u.span.article, u.span.start, u.span.end) for u in minority + majority]
        key = ("title", example.person, example.office, other.office)
        out.append(Finding("title", f"the title of {name}", a, b, what, key, 1.0, (None, None), (None, None), extra))
    return out


def find_conflicts(
    ctx: StoryContext, groups: list[ClaimGroup], emb: np.ndarray
) -> tuple[list[Conflict], list[titles.TitleUse]]:
    """The story's conflicts of kinds number, date, attribution and title (accounts come from ``accounts``),
    and the title uses (the accounts and the coverage read them too)."""
    uses = title_uses_of(ctx)
    sim, sim_kind = similarity(ctx, emb)
    findings = (
        number_findings(ctx, sim, sim_kind)
        + date_findings(ctx, sim, sim_kind)
        + attribution_findings(ctx)
        + title_findings(ctx, uses)
    )
    return to_conflicts(ctx, groups, findings), uses
