"""Story component: where sources agree, differ and stand alone.

Groups the story's claims (``grouping``), marks each group ``consensus`` or
``single`` by independent outlets (near-copies count once), links conflicting
groups (``conflicts``), lays out each party's account against the others
(``accounts``) and builds the outlet x group coverage with exclusives,
omissions and distinctive wording (``coverage``).

Reads ``ctx.story.claims`` (claims stage); provides ``claim_groups``,
``conflicts``, ``accounts``, ``coverage`` of ``ctx.story`` and the claim
embeddings (``ctx.claim_embeddings``) for the summary.
"""

from __future__ import annotations

import re

import numpy as np

from crosswire.analysis.compare import grouping
from crosswire.analysis.compare.accounts import build_accounts
from crosswire.analysis.compare.conflicts import find_conflicts
from crosswire.analysis.compare.coverage import build_coverage
from crosswire.analysis.context import StoryContext
from crosswire.model import ClaimGroup, Span, stable_id
from crosswire.text import is_irrealis


def embedding_text(ctx: StoryContext, claim) -> str:
    """The claim's words, with its sentence's subject put back when the clause lost it.

    ", calling for the withdrawal ..." split from "Scholz spoke with Putin ..." is embedded as
    "Scholz calling for the withdrawal ...". Only the embedding sees this; the claim and its
    span stay the source's own words.
    """
    text = claim.text
    pronoun = re.match(r"(He|She)\b", text)
    if not text[:1].islower() and not pronoun:
        return text
    span = ctx.parsed_span(claim.span)
    if span is None:
        return text
    doc = span.doc
    if pronoun:  # "He urged Putin ..." after "Scholz condemned ...": the previous sentence's named subject
        prev = doc[span.sent.start - 1].sent if span.sent.start > 0 else None
        subj = [c for c in prev.root.children if c.dep_ == "nsubj" and c.pos_ == "PROPN"] if prev is not None else []
        if not subj:
            return text
        name = doc[subj[0].left_edge.i : subj[0].i + 1].text
        return name + text[pronoun.end() :]
    root = span.sent.root
    subj = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < span.start]
    if not subj:
        return text
    words = doc[subj[0].left_edge.i : subj[0].right_edge.i + 1].text
    return f"{words} {text}"


def statements_of(claims) -> list[grouping.Statement]:
    return [grouping.Statement(c.text, entities=set(c.entities), irrealis=is_irrealis(c.text)) for c in claims]


def build_groups(ctx: StoryContext) -> tuple[list[ClaimGroup], np.ndarray]:
    claims = ctx.story.claims
    emb = ctx.embed([embedding_text(ctx, c) for c in claims])
    labels = grouping.group(statements_of(claims), emb)
    members: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        members.setdefault(lab, []).append(i)
    groups: list[ClaimGroup] = []
    for idx in members.values():
        cs = [claims[i] for i in idx]
        centroid = emb[idx].mean(axis=0)
        rep = cs[int(np.argmax(emb[idx] @ centroid))]
        outlets: list[str] = []
        for c in cs:
            if c.source and c.source not in outlets:
                outlets.append(c.source)
        independent = {ctx.counted_outlet(c.span.article) for c in cs}
        g = ClaimGroup(
            id=stable_id("g_", *sorted(c.id for c in cs)),
            label=rep.text,
            status="consensus" if len(independent) >= 2 else "single",
            claims=[c.id for c in cs],
            outlets=outlets,
            citations=[Span(c.span.article, c.span.start, c.span.end) for c in cs],
        )
        for c in cs:
            c.group = g.id
        groups.append(g)
    groups.sort(key=lambda g: (-len(g.outlets), -len(g.claims), g.id))
    return groups, emb


REQUIRES = ("story.claims", "story.entities")
PROVIDES = ("story.claim_groups", "story.conflicts", "story.accounts", "story.coverage", "claim_embeddings")


def run(ctx: StoryContext) -> None:
    story = ctx.story
    if not story.claims:
        ctx.claim_embeddings = np.zeros((0, 384), dtype=np.float32)
        return
    groups, emb = build_groups(ctx)
    story.claim_groups = groups
    ctx.claim_embeddings = emb
    conflicts, title_uses = find_conflicts(ctx, groups, emb)
    story.conflicts = conflicts
    story.accounts, account_conflicts = build_accounts(ctx, groups, emb, title_uses)
    story.conflicts.extend(account_conflicts)
    story.coverage = build_coverage(ctx, groups, emb, title_uses)
