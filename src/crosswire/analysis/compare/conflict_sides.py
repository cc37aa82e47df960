"""What every conflict finder shares: the claims' pairing, a finding's two sides, and listing each conflict once.

A finder (numbers, dates, attributions, titles, accounts) reports ``Finding``s: the kind, the point in
dispute, the claims on each side (best first) and a sentence. ``to_conflicts`` turns them into
``Conflict``s whose ``groups`` are the claim groups of side A and side B, whose ``sides`` name the party
of each side (``parties.party_of``), and lists each point once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from crosswire.analysis.compare import parties
from crosswire.analysis.context import StoryContext
from crosswire.model import ClaimGroup, Conflict, Side, Span, stable_id

MAX_QUOTE_WORDS = 25


@dataclass
class Finding:
    kind: str  # number | date | attribution | title | account
    point: str  # what the two sides disagree on: "the number of Chinese passengers"
    a: list[int]  # claim indices (into story.claims) of side A, best first
    b: list[int]
    what: str  # one readable sentence
    key: tuple = ()  # two findings with one key are one conflict (their claims are merged)
    score: float = 0.0  # higher is surer; orders the conflicts
    # the party of a side when the finder knows it better than the claim does (the speaker of a quote)
    party_a: tuple[str | None, str | None] | None = None
    party_b: tuple[str | None, str | None] | None = None
    extra: list[Span] = field(default_factory=list)  # more spans to cite (title uses)
    # the disputed words of each side ("150", "153"); when set, ``what`` is rebuilt with every side's outlets
    words: tuple[str, str] | None = None


def similarity(ctx: StoryContext, emb: np.ndarray) -> tuple[np.ndarray, str]:
    """How likely two claims report one fact: the lead's same-fact model when the context has it, else cosine."""
    if ctx.same_fact is not None and ctx.same_fact.shape == (len(ctx.story.claims),) * 2:
        return np.asarray(ctx.same_fact, dtype=np.float64), "same_fact"
    return np.asarray(emb @ emb.T, dtype=np.float64), "cosine"


def group_index(groups: list[ClaimGroup]) -> dict[str, ClaimGroup]:
    return {cid: g for g in groups for cid in g.claims}


def merge(findings: list[Finding]) -> list[Finding]:
    """One finding per key: the claims of findings that share a key join their sides."""
    out: dict[tuple, Finding] = {}
    order: list[tuple] = []
    for f in findings:
        key = f.key or (f.kind, id(f))
        if key not in out:
            out[key] = Finding(
                f.kind, f.point, [], [], f.what, key, f.score, f.party_a, f.party_b, list(f.extra), f.words
            )
            order.append(key)
        m = out[key]
        m.a.extend(i for i in f.a if i not in m.a)
        m.b.extend(j for j in f.b if j not in m.b)
        m.score = max(m.score, f.score)
    return [out[k] for k in order]


def _best_group(idx: list[int], claims, gof: dict[str, ClaimGroup], avoid: str = "") -> ClaimGroup | None:
    """The group holding most of a side's claims, other than ``avoid``; ties go to the group more outlets
    tell, then to the more important one (a photo caption loses to the report), then to the side's first
    claim's group."""
    counts: dict[str, int] = {}
    seen: dict[str, ClaimGroup] = {}
    for i in idx:
        g = gof.get(claims[i].id)
        if g is not None and g.id != avoid:
            counts[g.id] = counts.get(g.id, 0) + 1
            seen[g.id] = g
    if not counts:
        return None
    first = gof[claims[idx[0]].id].id if claims[idx[0]].id in gof else None
    best = max(counts, key=lambda gid: (counts[gid], len(seen[gid].outlets), seen[gid].importance, gid == first))
    return seen[best]


def to_conflicts(ctx: StoryContext, groups: list[ClaimGroup], findings: list[Finding]) -> list[Conflict]:
    """Conflicts from findings: two sides each with its party and group; a finding whose two sides
    the grouping put in one group is dropped (``same_group`` lists them)."""
    claims = ctx.story.claims
    gof = group_index(groups)
    out: list[Conflict] = []
    for f in merge(findings):
        ga, gb = _pick_groups(f, claims, gof)
        if ga is None or gb is None:
            continue
        if ga.id == gb.id and f.kind != "title":
            continue  # a title is incidental to the fact told: both sides may tell one fact
        # a side's claims are those of its group first (what the reader sees), then the rest
        a_idx = sorted(f.a, key=lambda i: gof.get(claims[i].id) is not ga)
        b_idx = sorted(f.b, key=lambda i: gof.get(claims[i].id) is not gb)
        if f.kind in TOLD_BY_GROUP:
            a_idx, b_idx = _with_group(a_idx, ga, b_idx, claims), _with_group(b_idx, gb, a_idx, claims)
        sides = [
            _side(ctx, a_idx, f.party_a),
            _side(ctx, b_idx, f.party_b),
        ]
        what = f.what
        if f.words is not None:
            what = (
                f'{f.point}: "{f.words[0]}" ({", ".join(sides[0].outlets)}) vs '
                f'"{f.words[1]}" ({", ".join(sides[1].outlets)})'
            )
        first = [sides[0].citations[0], sides[1].citations[0]]
        rest = [s for side in sides for s in side.citations[1:]] + list(f.extra)
        out.append(
            Conflict(
                id=stable_id("x_", ga.id, gb.id, f.kind, f.point),
                groups=[ga.id, gb.id],
                kind=f.kind,
                what=what,
                citations=first + rest,
                point=f.point,
                sides=sides,
            )
        )
    return out


# kinds whose side is a statement, not a value: every claim of the side's group tells it too (for a number,
# the finder cites the claims that give the same value; an attribution's group may name either speaker)
TOLD_BY_GROUP = ("account", "negation")


def _with_group(idx: list[int], group: ClaimGroup, other: list[int], claims) -> list[int]:
    """The side's claims, then the other claims of its group (other outlets telling the same statement)."""
    at = {c.id: i for i, c in enumerate(claims)}
    more = [at[cid] for cid in group.claims if cid in at and at[cid] not in idx and at[cid] not in other]
    return idx + more


def _pick_groups(f: Finding, claims, gof: dict[str, ClaimGroup]) -> tuple[ClaimGroup | None, ClaimGroup | None]:
    """One group per side, two different groups where the sides' claims allow it."""
    ga, gb = _best_group(f.a, claims, gof), _best_group(f.b, claims, gof)
    if ga is not None and gb is not None and ga.id == gb.id:
        other_b = _best_group(f.b, claims, gof, avoid=ga.id)
        other_a = _best_group(f.a, claims, gof, avoid=gb.id)
        if other_b is not None:
            gb = other_b
        elif other_a is not None:
            ga = other_a
    return ga, gb


def same_group(ctx: StoryContext, groups: list[ClaimGroup], findings: list[Finding]) -> list[Finding]:
    """Findings whose two sides the grouping put in one group (a grouping fault to report, never shown)."""
    claims = ctx.story.claims
    gof = group_index(groups)
    bad = []
    for f in merge(findings):
        ga, gb = _pick_groups(f, claims, gof)
        if ga is not None and gb is not None and ga.id == gb.id:
            bad.append(f)
    return bad


def _side(ctx: StoryContext, idx: list[int], party: tuple[str | None, str | None] | None) -> Side:
    claims = ctx.story.claims
    first = claims[idx[0]]
    name, entity = party if party is not None else parties.party_of(ctx, first)
    outlets: list[str] = []
    for i in idx:
        o = claims[i].source or ""
        if o and o not in outlets:
            outlets.append(o)
    return Side(
        party=name,
        party_entity=entity,
        text=first.text,
        outlets=outlets,
        citations=[Span(claims[i].span.article, claims[i].span.start, claims[i].span.end) for i in idx],
    )


def listed_once(conflicts: list[Conflict]) -> list[Conflict]:
    """Each conflict once: two conflicts of one kind on the same two groups, or on the same two cited
    claims, are one (an account and a negation count as one kind: two parties' opposite statements)."""
    seen: set[tuple] = set()
    out: list[Conflict] = []
    for x in conflicts:
        kind = "account" if x.kind == "negation" else x.kind
        keys = [("groups", kind, tuple(sorted(x.groups)))]
        if len(x.citations) >= 2:
            a, b = x.citations[0], x.citations[1]
            keys.append(("claims", kind, tuple(sorted([(a.article, a.start), (b.article, b.start)]))))
        if any(k in seen for k in keys):
            continue
        seen.update(keys)
        out.append(x)
    return out


_PLURAL_BODIES = {"police", "people", "staff", "military", "clergy"}


def says(ctx: StoryContext, name: str | None) -> str:
    """ "says", or "say" for a plural party: a nationality or group the story's entities type NORP
    ("Republicans"), or a plural common noun ("police", "prosecutors"); a name is singular ("Sanders")."""
    if not name:
        return "says"
    types = {e.name: e.type for e in getattr(ctx.story, "entities", []) or []}
    if types.get(name) == "NORP":
        return "say"
    last = name.split()[-1]
    if name not in types and (last.lower() in _PLURAL_BODIES or last.islower() and last.endswith("s")):
        return "say"
    return "says"


def trimmed(text: str, words: int = MAX_QUOTE_WORDS) -> str:
    """The claim's own words, cut after ``words`` words with an ellipsis."""
    parts = re.sub(r"\s+", " ", text).strip().rstrip(".").split(" ")
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " ..."
