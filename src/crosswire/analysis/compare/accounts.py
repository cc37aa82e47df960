"""Accounts: what each side (a government, a spokesperson, a president) says, point by point,
set against what the other sides say on the same point; opposing accounts become conflicts."""

from __future__ import annotations

import re

import numpy as np

from crosswire.analysis.compare import parties, titles
from crosswire.analysis.compare.conflict_accounts import denial_findings
from crosswire.analysis.compare.conflict_sides import Finding, says, similarity, to_conflicts, trimmed
from crosswire.analysis.context import StoryContext
from crosswire.model import Account, Claim, ClaimGroup, Conflict
from crosswire.text import is_irrealis

# Two claims by different sides this similar (MiniLM cosine) are on the same point. Fixed by hand.
SAME_POINT = 0.45
MAX_COUNTERPARTS = 3
MAX_ACCOUNT_CONFLICTS = 2  # per pair of sides, the closest opposing pairs
OPPOSING = 0.5  # cosine for two sides' claims to be opposing accounts of one thing
MIN_SIDE_CLAIMS = 3  # only sides that give an account (several claims) are set against each other


def _sentence_sources(ctx: StoryContext, claim) -> list[str]:
    from crosswire.analysis.claims import attribution_candidates

    doc = ctx.doc(claim.span.article)
    span = doc.char_span(claim.span.start, claim.span.end, alignment_mode="expand")
    if span is None:
        return []
    return attribution_candidates(span.sent)


def build_accounts(
    ctx: StoryContext, groups: list[ClaimGroup], emb: np.ndarray, title_uses: list[titles.TitleUse]
) -> tuple[list[Account], list[Conflict]]:
    # pairs of attributed claims of two sides: bounded by the claims cap (crosswire.analysis.claims.MAX_CLAIMS)
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
        return [], to_conflicts(ctx, groups, denial_findings(ctx, *similarity(ctx, emb)))
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
        accounts.append(
            Account(party=side, entity=entity, claims=[claims[i].id for i in idx], counterparts=counterparts)
        )

    findings = opposing_findings(ctx, groups, emb, side_claims, title_uses)
    camp = camps(ctx, side_claims, title_uses)

    def allied(a: str, b: str) -> bool:
        """Two parties of one side, or of one camp (both German)."""
        sa, sb = side_of.get(parties.party_key(a) or ""), side_of.get(parties.party_key(b) or "")
        return bool(sa and sb and (sa == sb or camp.get(sa, set()) & camp.get(sb, set())))

    sim, sim_kind = similarity(ctx, emb)
    findings += denial_findings(ctx, sim, sim_kind, allied)
    return accounts, to_conflicts(ctx, groups, findings)


def opposing_findings(
    ctx: StoryContext,
    groups: list[ClaimGroup],
    emb: np.ndarray,
    side_claims: dict[str, list[int]],
    title_uses: list[titles.TitleUse],
) -> list[Finding]:
    """Opposing accounts of one point by two sides of different camps that each give an account."""
    claims = ctx.story.claims
    group_of = {cid: g.id for g in groups for cid in g.claims}
    cos = emb @ emb.T
    camp = camps(ctx, side_claims, title_uses)
    outlets_of = {g.id: g.outlets for g in groups}
    offices = {w for u in title_uses for w in u.office.split()}  # "the president" is a person, not a point
    findings: list[Finding] = []
    sides_list = sorted(s for s, idx in side_claims.items() if len(idx) >= MIN_SIDE_CLAIMS)
    for a in range(len(sides_list)):
        for b in range(a + 1, len(sides_list)):
            sa, sb = sides_list[a], sides_list[b]
            if not (camp.get(sa) and camp.get(sb)) or camp[sa] & camp[sb]:
                continue  # two camps named (German, Russian) or nothing: their differences are for the other tests
            pairs = []
            for i in side_claims[sa]:
                for j in side_claims[sb]:
                    if (
                        cos[i, j] >= OPPOSING
                        and group_of[claims[i].id] != group_of[claims[j].id]
                        and _stated(claims[i])
                        and _stated(claims[j])
                        and not is_backstory(ctx, claims[i])
                        and not is_backstory(ctx, claims[j])
                    ):
                        # only what each side stated to or of the other (positions), the better corroborated first
                        if not (is_position(ctx, claims[i]) and is_position(ctx, claims[j])):
                            continue
                        support = min(len(outlets_of[group_of[claims[i].id]]), len(outlets_of[group_of[claims[j].id]]))
                        pairs.append((support, float(cos[i, j]), i, j))
            pairs.sort(reverse=True)
            used: set[str] = set()
            for *_, i, j in pairs:
                gi, gj = group_of[claims[i].id], group_of[claims[j].id]
                if gi in used or gj in used:
                    continue
                used.update((gi, gj))
                ci, cj = claims[i], claims[j]
                point = point_of(ctx, ci, cj, offices)
                what = (
                    f'on {point}: {side_name(sa)} {says(ctx, side_name(sa))} "{trimmed(ci.text)}"; '
                    f'{side_name(sb)} {says(ctx, side_name(sb))} "{trimmed(cj.text)}"'
                )
                # each side's party: the side's name ("the Kremlin") when the claim's own speaker is one of
                # its members or unknown, else that speaker (a side joined by mistake never lends its name)
                pa, pb = _side_party(ctx, ci, sa), _side_party(ctx, cj, sb)
                findings.append(
                    Finding(
                        "account",
                        point,
                        [i],
                        [j],
                        what,
                        ("account", gi, gj),
                        float(cos[i, j]),
                        pa,
                        pb,
                    )
                )
                if len(used) >= 2 * MAX_ACCOUNT_CONFLICTS:
                    break
    return findings


# Verbs of a stated position (what one side told or demanded of the other); a closed word class.
POSITION_VERBS = {
    "urge",
    "call",
    "condemn",
    "demand",
    "stress",
    "emphasize",
    "emphasise",
    "recall",
    "tell",
    "say",
    "insist",
    "warn",
    "reiterate",
    "state",
    "accuse",
    "propose",
    "ask",
    "express",
    "inform",
    "note",
}


def _side_party(ctx: StoryContext, claim: Claim, side: str) -> tuple[str | None, str | None]:
    """The party a side's claim speaks for: the side's own name when the claim's speaker is one of the side's
    members (by surname) or unknown; otherwise the claim's own speaker, since a side joined by mistake never
    lends its name to someone outside it."""
    own, entity = parties.party_of(ctx, claim)
    members = [m.lower() for m in side.split(" / ")]
    if own is None or any(own.lower().split()[-1] == m.split()[-1] for m in members):
        name = side_name(side)
        outlets = {a.outlet for a in ctx.articles} | {a.source for a in ctx.articles if a.source}
        return (name, entity) if parties.is_party(name, outlets) else (None, None)
    return own, entity


def is_backstory(ctx: StoryContext, claim) -> bool:
    """The claim tells what had happened before (past perfect: "Scholz had also spoken with Zelensky")."""
    span = ctx.parsed_span(claim.span)
    if span is None:
        return False
    heads = [span.root] + [c for c in span.root.children if c.dep_ == "ccomp"]
    return any(h.tag_ == "VBN" and any(a.lower_ == "had" and a.dep_ == "aux" for a in h.children) for h in heads)


def is_position(ctx: StoryContext, claim) -> bool:
    """The claim's main verb states a position: "Scholz called on Putin to ...", "Putin stressed that ..."."""
    span = ctx.parsed_span(claim.span)
    return span is not None and span.root.lemma_.lower() in POSITION_VERBS


def _stated(claim) -> bool:
    """A claim that says what happened: not a hope or plan, not a denial (those are structural matters)."""
    return not claim.negated and not is_irrealis(claim.text)


def side_name(label: str) -> str:
    """The name a side goes by: an institution among its members ("Kremlin") else its first member."""
    members = label.split(" / ")
    single = [m for m in members if len(m.split()) == 1 and m[:1].isupper()]
    return f"the {single[0]}" if single and len(members) > 1 and single[0] != members[0].split()[-1] else members[0]


def camps(
    ctx: StoryContext, side_claims: dict[str, list[int]], title_uses: list[titles.TitleUse]
) -> dict[str, set[str]]:
    """Side -> the nationality words (NORP) in its members' titles and source phrases: "German", "Russian"."""
    claims = ctx.story.claims
    norp_of_name: dict[str, set[str]] = {}
    for u in title_uses:
        words = {w for w in u.title.split() if w[:1].isupper() and re.search(r"(an|ish|ese|ch|i)$", w)}
        norp_of_name.setdefault(u.name.split()[-1].lower(), set()).update(words)
    out: dict[str, set[str]] = {}
    for side, idx in side_claims.items():
        found: set[str] = set()
        for member in side.split(" / "):
            found |= norp_of_name.get(member.split()[-1].lower(), set())
        for i in idx:
            c = claims[i]
            try:
                doc = ctx.doc(c.span.article)
            except Exception:
                continue
            phrase = c.attribution or ""
            pos = (
                doc.text.find(phrase, c.span.start - 200 if c.span.start > 200 else 0, c.span.end + 200)
                if phrase
                else -1
            )
            if pos >= 0:
                found |= {
                    e.text
                    for e in doc.ents
                    if e.label_ == "NORP" and pos <= e.start_char and e.end_char <= pos + len(phrase)
                }
        out[side] = found
    return out


def point_of(ctx: StoryContext, a, b, skip: set[str] = frozenset()) -> str:
    """The thing both accounts are about: a noun both claims' sentences use, the one most claims of the story use."""

    def nouns(c) -> set[str]:
        try:
            doc = ctx.doc(c.span.article)
        except Exception:
            return set()
        span = doc.char_span(c.span.start, c.span.end, alignment_mode="expand")
        sent = span.sent if span is not None else None
        return {
            t.lemma_.lower()
            for t in (sent or [])
            if t.pos_ == "NOUN" and t.is_alpha and t.text.islower() and len(t) > 2
        }

    freq: dict[str, int] = {}
    for c in ctx.story.claims:
        for w in set(re.findall(r"[a-z]+", c.text.lower())):
            freq[w] = freq.get(w, 0) + 1
    # both sentences' shared noun; else the noun the story's claims use most (its central happening)
    shared = (nouns(a) & nouns(b) or (nouns(a) | nouns(b) | story_nouns(ctx))) - set(skip)
    if not shared:
        return "the same point"
    return "the " + max(sorted(shared), key=lambda w: freq.get(w, 0))


def story_nouns(ctx: StoryContext) -> set[str]:
    """The common nouns of the story's claims (lemmas), to name the point two sides argue about."""
    found: set[str] = set()
    for c in ctx.story.claims:
        try:
            doc = ctx.doc(c.span.article)
        except Exception:
            continue
        span = doc.char_span(c.span.start, c.span.end, alignment_mode="expand")
        found |= {
            t.lemma_.lower()
            for t in (span or [])
            if t.pos_ == "NOUN" and t.is_alpha and t.text.islower() and len(t) > 2
        }
    return found
