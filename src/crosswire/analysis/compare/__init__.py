"""Story component: where sources agree, differ and stand alone.

Groups the story's claims by the facts they report (``facts``: a trained same-fact model over every
sentence of the story), judges each group ``consensus``, ``single`` (checked against the whole text of the
other outlets) or ``partial`` (near-copies count as their original's outlet), links conflicting
groups (``conflicts``), lays out each party's account against the others
(``accounts``) and builds the outlet x group coverage with exclusives,
omissions and distinctive wording (``coverage``).

Reads ``ctx.story.claims`` (claims stage); provides ``claim_groups``,
``conflicts``, ``accounts``, ``coverage`` of ``ctx.story`` and the claim
embeddings (``ctx.claim_embeddings``), P(same fact) between claims (``ctx.same_fact``) and between every
sentence (``ctx.sentence_matches``) for the later stages.
"""

from __future__ import annotations

import numpy as np

from crosswire.analysis.compare.accounts import build_accounts
from crosswire.analysis.compare.conflict_sides import listed_once
from crosswire.analysis.compare.conflicts import find_conflicts
from crosswire.analysis.compare.coverage import build_coverage
from crosswire.analysis.compare.facts import find_facts
from crosswire.analysis.context import SentenceMatches, StoryContext

REQUIRES = ("story.claims", "story.entities")
PROVIDES = (
    "story.claim_groups",
    "story.conflicts",
    "story.accounts",
    "story.coverage",
    "claim_embeddings",
    "same_fact",
)


def run(ctx: StoryContext) -> None:
    story = ctx.story
    if not story.claims:
        ctx.claim_embeddings = np.zeros((0, 384), dtype=np.float32)
        ctx.same_fact = np.zeros((0, 0))
        return
    groups, facts = find_facts(ctx)
    story.claim_groups = groups
    emb = facts.emb[facts.claim_unit]
    ctx.claim_embeddings = emb
    ctx.same_fact = facts.P[np.ix_(facts.claim_unit, facts.claim_unit)]
    ctx.sentence_matches = SentenceMatches(
        spans=[(u.article, u.start, u.end) for u in facts.units],
        claim_sentence=list(facts.claim_unit),
        P=facts.P,
        thresholds=facts.thresholds,
    )
    conflicts, title_uses = find_conflicts(ctx, groups, emb)
    story.conflicts = conflicts
    story.accounts, account_conflicts = build_accounts(ctx, groups, emb, title_uses)
    story.conflicts = listed_once(conflicts + account_conflicts)
    story.coverage = build_coverage(ctx, groups, emb, title_uses)
