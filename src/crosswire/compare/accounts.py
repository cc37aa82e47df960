"""Accounts: what each side (a government, a spokesperson, a president) says, point by point,
set against what the other sides say on the same point; opposing accounts become conflicts."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..model import Account, ClaimGroup, Conflict, Span, stable_id
from . import parties, titles

# Two claims by different sides this similar (MiniLM cosine) are on the same point. Fixed by hand.
SAME_POINT = 0.45
MAX_COUNTERPARTS = 3
MAX_ACCOUNT_CONFLICTS = 2  # per pair of sides, the closest opposing pairs
OPPOSING = 0.5  # cosine for two sides' claims to be opposing accounts of one thing
MIN_SIDE_CLAIMS = 3  # only sides that give an account (several claims) are set against each other


def _sentence_sources(ctx: Any, claim) -> list[str]:
    from ..extract.claims import attribution_candidates

    doc = ctx.doc(claim.span.article)
    span = doc.char_span(claim.span.start, claim.span.end, alignment_mode="expand")
    if span is None:
        return []
    return attribution_candidates(span.sent)


def build_accounts(ctx: Any, groups: list[ClaimGroup], emb: np.ndarray,
                   title_uses: list[titles.TitleUse]) -> tuple[list[Account], list[Conflict]]:
    claims = ctx.story.claims
    party_of: dict[int, str] = {}
    co: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for i, c in enumerate(claims):
        key = parties.party_key(c.attribution)
        if not key:
            continue
        party_of[i] = key
        counts[key] = counts.get(key, 0) + 1
        co.setdefault(key, set())
        for other in _sentence_sources(ctx, c):
            ok = parties.party_key(other)
            if ok and ok != key:
                co[key].add(ok)
                co.setdefault(ok, set())
    if not party_of:
        return [], []
    # a party named inside another's source phrase speaks with it ("Kremlin spokesperson Dmitry Peskov")
    for i, key in party_of.items():
        phrase = claims[i].attribution or ""
        for other in co:
            if other != key and re.search(rf"\b{re.escape(other)}\b", phrase):
                co[key].add(other)
    side_of = parties.sides(co, counts, titles.title_index(title_uses))
    side_claims: dict[str, list[int]] = {}
    for i, p in party_of.items():
        side_claims.setdefault(side_of[p], []).append(i)
    group_of = {cid: g.id for g in groups for cid in g.claims}
    cos = emb @ emb.T

    accounts: list[Account] = []
    for side, idx in sorted(side_claims.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        others = [j for s, js in side_claims.items() if s != side for j in js]
        counterparts: dict[str, list[str]] = {}
        for i in idx:
            near = [j for j in others if group_of[claims[j].id] == group_of[claims[i].id] or cos[i, j] >= SAME_POINT]
            near.sort(key=lambda j: -cos[i, j])
            if near:
                counterparts[claims[i].id] = [claims[j].id for j in near[:MAX_COUNTERPARTS]]
        entity = next((claims[i].attribution_entity for i in idx if claims[i].attribution_entity), None)
        accounts.append(Account(party=side, entity=entity, claims=[claims[i].id for i in idx], counterparts=counterparts))

    conflicts: list[Conflict] = []
    sides_list = sorted(s for s, idx in side_claims.items() if len(idx) >= MIN_SIDE_CLAIMS)
    for a in range(len(sides_list)):
        for b in range(a + 1, len(sides_list)):
            sa, sb = sides_list[a], sides_list[b]
            pairs = []
            for i in side_claims[sa]:
                for j in side_claims[sb]:
                    if cos[i, j] >= OPPOSING and group_of[claims[i].id] != group_of[claims[j].id]:
                        pairs.append((float(cos[i, j]), i, j))
            pairs.sort(reverse=True)
            used: set[str] = set()
            for _, i, j in pairs:
                gi, gj = group_of[claims[i].id], group_of[claims[j].id]
                if gi in used or gj in used:
                    continue
                used.update((gi, gj))
                ci, cj = claims[i], claims[j]
                conflicts.append(Conflict(
                    id=stable_id("x_", gi, gj, "account"), groups=[gi, gj], kind="account",
                    what=f"accounts differ: {sa} vs {sb}",
                    citations=[Span(ci.span.article, ci.span.start, ci.span.end), Span(cj.span.article, cj.span.start, cj.span.end)],
                ))
                if len(used) >= 2 * MAX_ACCOUNT_CONFLICTS:
                    break
    return accounts, conflicts
