"""Story component: a cited, extractive summary in 5 to 8 sentences.

Sentences are the sources' own words, whole sentences that stand alone (``is_whole_statement``: no
fragment, no dangling quotation mark, no sentence that opens with a pronoun whose referent is in
another sentence), so nothing is invented or misquoted; a claim that is a clause speaks as its whole
sentence. Ranking puts the most corroborated happenings first: a claim scores by how many independent
outlets report its group (``compare.grouping``), how close it comes to what every other outlet says
(soft support), how early its article says it, and how central it is; maximal marginal relevance then
keeps two sentences from saying the same. At most one conflict follows, only one of
``story.conflicts`` (the comparison's verified conflicts), stated from its two sides' own words.
A sentence cites its own span and the claims of its group that say the same (the same-fact model,
else a cosine floor), never claims of another group. Outlets are named by short labels
(``differences.texts.outlet_labels``).

``rank_units`` is the one ranking code: the story summary and
``crosswire bench summaries`` (``summarize_documents``) both go through it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crosswire.analysis.context import StoryContext
from crosswire.analysis.differences.points import conflict_sentence
from crosswire.analysis.differences.texts import is_whole_statement, outlet_labels
from crosswire.model import Claim, Conflict, Span, SummarySentence

# Fixed weights. Started from 1.0 / 0.5 / 0.3 / 0.3 and lambda 0.7 (set by reasoning);
# six one-knob changes and one combination were tried on the first 20 Multi-News validation
# clusters only, and the combination kept (see BENCHMARKS.md ## summaries).
W_CORROBORATION = 1.0
W_SUPPORT = 1.0
W_POSITION = 0.3
W_CENTRALITY = 0.8
MMR_LAMBDA = 0.85
NEAR_DUPLICATE = 0.85  # cosine above which a candidate repeats a chosen sentence
MIN_SENTENCES, MAX_SENTENCES = 5, 8
# claims are whole sentences (25-35 words in news): past MIN_SENTENCES the story summary stops adding
# facts at this many words, so that it reads in under a minute and fits the first screen beside the
# outlets' differences
STORY_MAX_WORDS = 120
MAX_CONFLICT_SENTENCES = 1
# another claim of the sentence's group is cited only when it says the same: the comparison's P(same fact)
# at least its grouping threshold (SAME_FACT without one) when the context has it, else a cosine of at
# least SUPPORT
SAME_FACT = 0.5
SUPPORT = 0.6
LEAD_CLAIMS = 3  # a sentence among the first three claims of its article is lead material
MIN_SHARE = 0.5  # a claim that is a clause speaks as its whole sentence only when it is at least half of it
# the conflict a summary states: a disagreement on a number, a date or who said what before opposing
# accounts, a title last
CONFLICT_ORDER = {"number": 0, "date": 1, "attribution": 2, "negation": 3, "account": 4, "other": 5, "title": 6}


@dataclass
class Unit:
    """One candidate sentence: where it is and what counts for it."""

    article: str
    start: int
    end: int
    text: str
    outlet: str  # the independent outlet it counts for (a copy counts as its original)
    position: int  # 0 for the first claim of its article
    group: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def unit_scores(units: Sequence[Unit], emb: np.ndarray) -> np.ndarray:
    """Importance of each unit: corroboration, soft support, position, centrality.

    n x n in the units: a story's claims are capped (``crosswire.analysis.claims.MAX_CLAIMS``)."""
    n = len(units)
    if n == 0:
        return np.zeros(0)
    outlets = sorted({u.outlet for u in units})
    cos = emb @ emb.T
    # corroboration: independent outlets reporting the unit's group
    group_outlets: dict[int, set[str]] = {}
    for u in units:
        if u.group is not None:
            group_outlets.setdefault(u.group, set()).add(u.outlet)
    denom = max(1, len(outlets) - 1)
    corrob = np.array([(len(group_outlets.get(u.group, {u.outlet})) - 1) / denom for u in units])
    # soft support: how close each other outlet comes to saying it
    support = np.zeros(n)
    if len(outlets) > 1:
        by_outlet = {o: np.array([i for i, u in enumerate(units) if u.outlet == o]) for o in outlets}
        for o, idx in by_outlet.items():
            best = cos[:, idx].max(axis=1)
            mask = np.array([u.outlet != o for u in units])
            support += np.where(mask, best, 0.0)
        support /= len(outlets) - 1
    position = np.array([1.0 / np.sqrt(1.0 + u.position) for u in units])
    centroid = emb.mean(axis=0)
    norm = np.linalg.norm(centroid) or 1.0
    centrality = emb @ (centroid / norm)
    return W_CORROBORATION * corrob + W_SUPPORT * support + W_POSITION * position + W_CENTRALITY * centrality


def rank_units(
    units: Sequence[Unit], emb: np.ndarray, *, max_sentences: int | None = MAX_SENTENCES, max_words: int | None = None
) -> list[int]:
    """Indices of the chosen units, most important first (MMR, one per group, no near-copies)."""
    n = len(units)
    if n == 0:
        return []
    scores = unit_scores(units, emb)
    lo, hi = float(scores.min()), float(scores.max())
    rel = (scores - lo) / (hi - lo) if hi > lo else np.ones(n)
    cos = emb @ emb.T
    chosen: list[int] = []
    used_groups: set[int] = set()
    words = 0
    candidates = set(range(n))
    while candidates:
        if max_sentences is not None and len(chosen) >= max_sentences:
            break
        if max_words is not None and words >= max_words:
            break
        best, best_val = None, -np.inf
        for i in candidates:
            redundancy = max((cos[i, j] for j in chosen), default=0.0)
            val = MMR_LAMBDA * rel[i] - (1 - MMR_LAMBDA) * redundancy
            if val > best_val:
                best, best_val = i, val
        assert best is not None
        candidates.discard(best)
        u = units[best]
        if u.group is not None and u.group in used_groups:
            continue
        if chosen and max(cos[best, j] for j in chosen) >= NEAR_DUPLICATE:
            continue
        chosen.append(best)
        if u.group is not None:
            used_groups.add(u.group)
        words += len(u.text.split())
    return chosen


# ------------------------------------------------------------------ documents (bench path)
def summarize_documents(
    texts: Sequence[str],
    lang,
    *,
    max_words: int | None = None,
    max_sentences: int | None = None,
    docs: Sequence[Any] | None = None,
) -> list[Unit]:
    """Summarise a set of documents about one story: the chosen sentences, most important first.

    Goes through the same claims, grouping and ranking code as a story's summary.
    """
    from crosswire.analysis.claims import claim_spans
    from crosswire.analysis.compare import grouping

    units: list[Unit] = []
    docs = list(docs) if docs is not None else lang.parse_many(list(texts))
    for d, doc in enumerate(docs):
        for pos, (s, e) in enumerate(claim_spans(doc)):
            units.append(Unit(article=str(d), start=s, end=e, text=doc.text[s:e], outlet=str(d), position=pos))
    if not units:
        return []
    emb = lang.embed([u.text for u in units])
    labels = grouping.group([grouping.Statement(u.text) for u in units], emb)
    for u, lab in zip(units, labels):
        u.group = lab
    order = rank_units(units, emb, max_sentences=max_sentences, max_words=max_words)
    return [units[i] for i in order]


# ------------------------------------------------------------------ story component
def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = text[:1].upper() + text[1:]
    return text if re.search(r"[.!?\"”’']$", text) else text + "."


def speakable(ctx: StoryContext, claim: Claim) -> Span | None:
    """What a summary may say for a claim: the claim itself when it stands alone as a sentence, else its
    whole sentence when that stands alone and the claim is at least half of it; None otherwise."""
    text = claim.text
    parsed = ctx.parsed_span(claim.span)
    sent = parsed.sent if parsed is not None else None
    if sent is None:
        return claim.span if is_whole_statement(text) else None
    raw = sent.doc.text
    s, e = sent.start_char, sent.end_char
    line = raw.rfind("\n", s, claim.span.start)
    if line >= 0:  # a heading line glued to the sentence is not part of it
        s = line + 1
    while s < e and raw[s].isspace():
        s += 1
    while e > s and raw[e - 1].isspace():
        e -= 1
    if is_whole_statement(text) and (claim.span.end >= e - 1 or re.search(r"[.!][\"”’']?$", text.strip())):
        return claim.span
    if is_whole_statement(raw[s:e]) and (claim.span.end - claim.span.start) >= MIN_SHARE * (e - s):
        return Span(claim.span.article, s, e)
    return None


def story_units(ctx: StoryContext) -> tuple[list[Unit], np.ndarray, dict[int, str]]:
    """The story's claims that can be said in a summary (``speakable``), one per sentence span."""
    claims = ctx.story.claims
    emb = ctx.claim_embeddings
    if emb is None or len(emb) != len(claims):
        emb = ctx.embed([c.text for c in claims])
    gid_index = {g.id: k for k, g in enumerate(ctx.story.claim_groups)}
    index_gid = {k: g for g, k in gid_index.items()}
    units: list[Unit] = []
    rows: list[int] = []
    seen_pos: dict[str, int] = {}
    seen_span: set[tuple[str, int, int]] = set()
    for k, c in enumerate(claims):
        pos = seen_pos.get(c.span.article, 0)
        seen_pos[c.span.article] = pos + 1
        span = speakable(ctx, c)
        if span is None or (span.article, span.start, span.end) in seen_span:
            continue
        seen_span.add((span.article, span.start, span.end))
        text = ctx.article(span.article).text[span.start : span.end]
        units.append(
            Unit(
                article=span.article,
                start=span.start,
                end=span.end,
                text=text,
                outlet=ctx.counted_outlet(c.span.article),
                position=pos,
                group=gid_index.get(c.group) if c.group else None,
                extra={"claim": c.id, "row": k},
            )
        )
        rows.append(k)
    vecs = np.asarray(emb)[rows] if rows else np.zeros((0, np.asarray(emb).shape[-1] if len(emb) else 384))
    return units, vecs, index_gid


REQUIRES = ("story.claim_groups", "story.conflicts", "claim_embeddings")
PROVIDES = ("story.summary",)


def run(ctx: StoryContext) -> None:
    ctx.story.summary = summary_sentences(ctx) if ctx.story.claims else []


def summary_sentences(ctx: StoryContext) -> list[SummarySentence]:
    story = ctx.story
    units, emb, index_gid = story_units(ctx)
    groups = {g.id: g for g in story.claim_groups}
    conflicts = conflict_sentences(ctx)[:MAX_CONFLICT_SENTENCES]
    # a side of a conflict (two values, a negation, two accounts) is never stated as a plain fact, nor is
    # a claim that the conflict sentence quotes
    stated = {gid for x in story.conflicts if x.kind != "title" for gid in x.groups}
    sides = {(c.article, c.start) for s in conflicts for c in s.citations}
    keep = [
        i for i, u in enumerate(units) if index_gid.get(u.group) not in stated and (u.article, u.start) not in sides
    ]
    units, emb = [units[i] for i in keep], emb[keep]
    n_facts = max(MIN_SENTENCES, MAX_SENTENCES - len(conflicts))
    budget = max(60, STORY_MAX_WORDS - sum(len(x.text.split()) for x in conflicts))
    order = rank_units(units, emb, max_sentences=n_facts, max_words=budget)
    if len(order) < MIN_SENTENCES:  # at least five sentences, however long they are
        order = rank_units(units, emb, max_sentences=MIN_SENTENCES)
    # read as news is read: what the articles put in their first sentences before their later detail
    rank_of = {i: k for k, i in enumerate(order)}
    order.sort(key=lambda i: (0 if units[i].position < LEAD_CLAIMS else 1, rank_of[i]))
    claim_emb = ctx.claim_embeddings if ctx.claim_embeddings is not None else None
    summary = [
        SummarySentence(text=_sentence(units[i].text), citations=_support(ctx, units[i], groups, index_gid, claim_emb))
        for i in order
    ]
    summary.extend(conflicts[: MAX_SENTENCES - len(summary)])
    return summary


def _support(ctx: StoryContext, u: Unit, groups: dict, index_gid: dict[int, str], emb) -> list[Span]:
    """The sentence's own span, then the claims of its group that say the same."""
    cites = [Span(u.article, u.start, u.end)]
    g = groups.get(index_gid.get(u.group)) if u.group is not None else None
    if g is None:
        return cites
    claims = ctx.story.claims
    row = {c.id: k for k, c in enumerate(claims)}
    me = u.extra.get("row")
    same = ctx.same_fact
    use_same = same is not None and same.shape == (len(claims), len(claims))
    floor = ctx.sentence_matches.thresholds.get("group", SAME_FACT) if ctx.sentence_matches else SAME_FACT
    for cid in g.claims:
        k = row.get(cid)
        if k is None or k == me or me is None:
            continue
        c = claims[k]
        if c.span.article == u.article and u.start <= c.span.start < u.end:
            continue  # inside the sentence already cited
        if use_same:
            ok = float(same[me, k]) >= floor
        elif emb is not None and len(emb) == len(claims):
            ok = float(np.dot(emb[me], emb[k])) >= SUPPORT
        else:
            ok = True
        if ok:
            cites.append(Span(c.span.article, c.span.start, c.span.end))
    return cites


def conflict_sentences(ctx: StoryContext) -> list[SummarySentence]:
    """The comparison's conflicts as sentences, the one a summary states first: never a conflict of its own."""
    labels = outlet_labels(ctx)
    ranked = sorted(enumerate(ctx.story.conflicts), key=lambda kx: (CONFLICT_ORDER.get(kx[1].kind, 5), kx[0]))
    out = []
    for _k, x in ranked:
        text = conflict_sentence(x, labels)
        if text:
            out.append(SummarySentence(text=text, citations=_conflict_cites(x), kind="conflict"))
    return out


def _conflict_cites(x: Conflict) -> list[Span]:
    if len(x.sides) >= 2:
        return [Span(c.article, c.start, c.end) for s in x.sides[:2] for c in s.citations]
    return list(x.citations)
