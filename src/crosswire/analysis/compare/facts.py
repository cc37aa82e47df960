"""The story's facts: claims of different outlets that report the same fact, grouped, with a verdict each.

Every sentence of every article of the story is a unit (the claims are the units that are checkable
statements). The trained pairing model (``pairing``) gives P(same fact) between units of different
articles; ``verdicts.group_and_judge`` groups the claims and judges each group consensus, single or
partial against the whole text of the other outlets. Two claims that give different values for one
counted thing ("150 passengers" / "153 passengers") never share a group: the conflicts stage sets
their groups against each other instead.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from crosswire.analysis.claims import statement_spans
from crosswire.analysis.compare.conflict_numbers import clash
from crosswire.analysis.compare.number_phrases import Quantity
from crosswire.analysis.compare.number_phrases import quantities as number_quantities
from crosswire.analysis.compare.pairing import Unit, unit_of
from crosswire.analysis.compare.pairing_model import PairModel, same_fact_matrix
from crosswire.analysis.compare.quantities import quantities, values_conflict
from crosswire.analysis.compare.verdicts import group_and_judge
from crosswire.analysis.context import StoryContext
from crosswire.model import ClaimGroup, Span, stable_id
from crosswire.text import calendar_days, is_negated, negation_ends


@dataclass
class StoryFacts:
    """What the grouping saw: every unit, which unit each claim is, and P(same fact) between units."""

    units: list[Unit]
    claim_unit: list[int]  # story.claims[k] is units[claim_unit[k]]
    P: np.ndarray  # units x units
    emb: np.ndarray  # units x 384
    thresholds: dict[str, float]


# The same-fact model compares units of different articles pairwise, so its cost grows with the square of
# their number: a story keeps at most MAX_UNITS units (every claim, capped by claims.MAX_CLAIMS, and then
# the other sentences, each article's first ones first). Below it (every story of the benches and the
# seeds) nothing is left out; above it, a fact only said late in a very long story is not checked.
MAX_UNITS = 4000


def story_units(ctx: StoryContext) -> tuple[list[Unit], list[int]]:
    """Every sentence of every article (copies included) in text order, up to ``MAX_UNITS``, and the unit
    of each claim."""
    at = {(c.span.article, c.span.start, c.span.end): k for k, c in enumerate(ctx.story.claims)}
    per_article: list[list[tuple[object, str, int | None]]] = []
    for a in ctx.articles:
        doc = ctx.doc(a.id)
        rows = []
        for s, e in statement_spans(doc):
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None:
                rows.append((span, a.id, at.get((a.id, s, e))))
        per_article.append(rows)
    per_article = _capped(per_article, MAX_UNITS)
    units: list[Unit] = []
    claim_unit = [-1] * len(ctx.story.claims)
    for rows in per_article:
        for span, article, k in rows:
            if k is not None:
                claim_unit[k] = len(units)
            units.append(unit_of(span, article))
    for k, c in enumerate(ctx.story.claims):  # a claim the sentence splitter did not give back (never expected)
        if claim_unit[k] < 0:
            span = ctx.parsed_span(c.span)
            claim_unit[k] = len(units)
            units.append(unit_of(span, c.span.article) if span is not None else _bare_unit(c))
    return units, claim_unit


def _capped(per_article: list[list[tuple]], limit: int) -> list[list[tuple]]:
    """Every claim row (third field not None), then other rows by their place in their article (each
    article's first sentences first) until ``limit``; each article's rows stay in text order."""
    if sum(len(rows) for rows in per_article) <= limit:
        return per_article
    keep = {(a, i) for a, rows in enumerate(per_article) for i, row in enumerate(rows) if row[2] is not None}
    others = sorted(
        ((i, a) for a, rows in enumerate(per_article) for i, row in enumerate(rows) if row[2] is None),
    )
    for i, a in others[: max(0, limit - len(keep))]:
        keep.add((a, i))
    return [[row for i, row in enumerate(rows) if (a, i) in keep] for a, rows in enumerate(per_article)]


def _bare_unit(claim) -> Unit:
    return Unit(
        claim.span.article,
        claim.span.start,
        claim.span.end,
        claim.text,
        frozenset(),
        frozenset(),
        frozenset(),
        frozenset(),
        frozenset(),
        1,
    )


NEGATION_MIN_WORDS = 8  # in a full sentence a negation flips the statement; in a short phrase it may not
# A negation on one side only keeps two sentences apart when it denies what the other says ("did not damage
# the plant" / "damaged the plant") or when the same-fact model is less than this sure of them. Above it the
# negation is taken to be about something else ("Police didn't identify whose bodies were found near Deer
# Creek" / "The two bodies were found near Deer Creek"). Chosen on the 71 development stories (see
# BENCHMARKS.md, verdicts): blocking every one-sided negation, as before, kept 1 gold shared fact in 6 apart.
NEGATION_TRUST = 0.7
_WORD = re.compile(r"[a-z0-9]+")
_NEGATIONS = {"not", "no", "never", "nor", "none", "nothing", "nobody", "neither", "without"}
_CONTRACTED = re.compile(r"(?:do|does|did|is|are|was|were|has|have|had|could|would|should|ca|wo|ai|must|need)n")


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # imported here: importing spaCy takes a second

    return frozenset(STOP_WORDS)


def _content(word: str) -> bool:
    return len(word) > 2 and word not in _stop_words() and word not in _NEGATIONS and not _CONTRACTED.fullmatch(word)


def content_words(text: str) -> frozenset[str]:
    """Stems (first six letters) of the lower-case words of a sentence that say what it is about: no stop
    words, no negations ("didn't" gives "didn", one of them)."""
    return frozenset(w[:6] for w in _WORD.findall(text.lower()) if _content(w))


def negated_stems(text: str) -> frozenset[str]:
    """What each negation of a sentence denies: the stem of the first content word among the six words after
    it ("did not damage the plant" -> "damage"; "denied that the pilots ignored" -> "pilots")."""
    out = set()
    for end in negation_ends(text):
        first = next((w for w in _WORD.findall(text[end:].lower())[:6] if _content(w)), None)
        if first:
            out.add(first[:6])
    return frozenset(out)


def blocked_pairs(units: list[Unit], P: np.ndarray, parsed: list[list[Quantity]] | None = None) -> np.ndarray:
    """Pairs that cannot both be true, so never one group: different values for the same counted thing,
    different calendar days ("met on November 15" / "on November 12"), or a negation on one side only
    that denies what the other says ("did not damage the plant" / "damaged the plant"), or that the
    same-fact model does not overrule (P under ``NEGATION_TRUST``). ``parsed``:
    each unit's quantities read from its parse (``number_phrases``: "29-year-old Geraldine Alcorn" /
    "Geraldine Alcorn, 28"), two of which clash. The conflicts stage sets such groups against each other."""
    qs = [quantities(u.text) for u in units]
    days = [calendar_days(u.text) for u in units]
    neg = [is_negated(u.text) and len(u.text.split()) >= NEGATION_MIN_WORDS for u in units]
    long = [len(u.text.split()) >= NEGATION_MIN_WORDS for u in units]
    words = [content_words(u.text) if n else frozenset() for u, n in zip(units, long)]
    denied = [negated_stems(u.text) if n else frozenset() for u, n in zip(units, neg)]

    def _denies(i: int, j: int) -> bool:  # the negation denies what the other sentence says
        return bool(denied[i] & words[j] or denied[j] & words[i])

    n = len(units)
    out = np.zeros((n, n), dtype=bool)
    for i, j in zip(*np.nonzero(np.triu(P > 0, k=1))):
        if (
            (qs[i] and qs[j] and values_conflict(qs[i], qs[j]))
            or (days[i] and days[j] and not days[i] & days[j])
            or (long[i] and long[j] and neg[i] != neg[j] and (P[i, j] < NEGATION_TRUST or _denies(i, j)))
            or (parsed is not None and any(clash(a, b) for a in parsed[i] for b in parsed[j]))
        ):
            out[i, j] = out[j, i] = True
    return out


def find_facts(ctx: StoryContext, model: PairModel | None = None) -> tuple[list[ClaimGroup], StoryFacts]:
    """The story's claim groups, each with its status and importance, and what the grouping saw."""
    model = model or PairModel.packaged()
    claims = ctx.story.claims
    units, claim_unit = story_units(ctx)
    emb, tokens = ctx.embed_with_tokens([u.embed_text or u.text for u in units])
    for u, (vecs, pieces) in zip(units, tokens):
        u.tokens, u.pieces = vecs, pieces
    P = same_fact_matrix(units, emb, model)
    del tokens
    for u in units:  # the token vectors (tens of MB for a long story) serve the pairing only
        u.tokens, u.pieces = None, []
    articles = [u.article for u in units]
    outlets = [ctx.counted_outlet(a) for a in articles]
    is_claim = [False] * len(units)
    for k in claim_unit:
        is_claim[k] = True
    judged = group_and_judge(
        P,
        articles,
        is_claim,
        model.thresholds,
        outlets=outlets,
        blocked=blocked_pairs(units, P, [parsed_quantities(ctx, u) for u in units]),
        names=[u.names for u in units],
    )
    unit_claim = {u: k for k, u in enumerate(claim_unit)}
    position = _positions(units)
    centre = emb[claim_unit].mean(axis=0) if claims else np.zeros(emb.shape[1] if len(emb) else 384)
    centre = centre / (np.linalg.norm(centre) or 1.0)
    groups: list[ClaimGroup] = []
    for members, status in judged:
        ks = [unit_claim[u] for u in members]
        cs = [claims[k] for k in ks]
        rep = _representative(members, P, position)
        told: list[str] = []
        for c in cs:
            if c.source and c.source not in told:
                told.append(c.source)
        g = ClaimGroup(
            id=stable_id("g_", *sorted(c.id for c in cs)),
            label=claims[unit_claim[rep]].text,
            status=status,
            claims=[c.id for c in cs],
            outlets=told,
            citations=[Span(c.span.article, c.span.start, c.span.end) for c in cs],
            importance=_importance(members, status, outlets, position, emb, centre, units),
        )
        for c in cs:
            c.group = g.id
        groups.append(g)
    groups.sort(key=lambda g: (-g.importance, g.id))
    facts = StoryFacts(units, claim_unit, P, emb, dict(model.thresholds))
    return groups, facts


def parsed_quantities(ctx: StoryContext, u: Unit) -> list[Quantity]:
    """The unit's quantities read from its article's parse (none when the article has no parse)."""
    try:
        doc = ctx.doc(u.article)
    except KeyError:
        return []
    return number_quantities(doc, u.start, u.end)


def _positions(units: list[Unit]) -> np.ndarray:
    """Each unit's place in its article: 0 for the first sentence, 1 for the last."""
    count: dict[str, int] = {}
    for u in units:
        count[u.article] = count.get(u.article, 0) + 1
    seen: dict[str, int] = {}
    out = np.zeros(len(units))
    for i, u in enumerate(units):
        out[i] = seen.get(u.article, 0) / max(1, count[u.article] - 1)
        seen[u.article] = seen.get(u.article, 0) + 1
    return out


def _representative(members: list[int], P: np.ndarray, position: np.ndarray) -> int:
    """The member most like the others (ties: the earliest in its article)."""
    if len(members) == 1:
        return members[0]
    sub = P[np.ix_(members, members)].sum(axis=1)
    return min(members, key=lambda u: (-sub[members.index(u)], position[u]))


def _importance(members, status, outlets, position, emb, centre, units) -> float:
    """How much a reader should see this first: how many outlets report it, how early they say it,
    how central it is to the story, and whether it carries names or numbers."""
    told = len({outlets[u] for u in members})
    early = 1.0 - float(min(position[u] for u in members))
    central = float(max(emb[u] @ centre for u in members)) if len(emb) else 0.0
    concrete = 0.1 * min(3, max(len(units[u].names) for u in members)) + (
        0.2 if any(units[u].numbers for u in members) else 0.0
    )
    bonus = {"consensus": 1.0, "single": 0.3, "partial": 0.0}.get(status, 0.0)
    return round(told + bonus + early + central + concrete, 4)
