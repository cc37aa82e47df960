"""Story component: how the outlets' coverage differs, said first on every story page.

For each independent outlet, what it leads with (its headline and lead sentence: ``OutletLead``), then
the ranked points a journalist comparing the coverage should see (``Difference``, most important
first), each a short plain sentence that names the outlets by short labels and cites its spans:

* ``conflict``: the conflicts of ``story.conflicts`` (verified by the comparison), never new ones;
* ``lead``: an outlet leads with something the others report only late, or not at all;
* ``emphasis``: an outlet that tells a different story (few of its sentences come close to the
  others'), the fullest account and a short report (by length, and facts no other outlet comes close
  to), a fact one outlet alone reports near its top, a person or body whose own words one outlet alone
  gives (the others name it without them, or not at all), an outlet written in the first person or as a
  transcript where the others are reports (``kinds``);
* ``omission``: the most important shared fact each outlet leaves out, only when the outlet's whole
  text has nothing close (every sentence checked by meaning and by words, and the comparison's
  same-fact model on its claims when the context has it);
* ``wording``: clear cases of different words for the same thing (a name's spelling, a title, one
  word for another in the same statement).

Builds on the comparison's fields, not on how well they are filled today: group status and
importance (its own importance from corroboration and position while ``ClaimGroup.importance`` is 0),
conflict points and sides (the conflict's ``what`` while it has no sides), ``ctx.same_fact`` when set.
Thresholds are in ``texts`` and ``points``. It also sets the story's neutral title (``title``).
"""

from __future__ import annotations

import numpy as np

from crosswire.analysis.context import StoryContext
from crosswire.analysis.differences import points as pts
from crosswire.analysis.differences.kinds import kind_points
from crosswire.analysis.differences.texts import outlet_labels, outlet_texts, short_label
from crosswire.analysis.differences.title import neutral_title
from crosswire.analysis.differences.voices import voice_points
from crosswire.model import Difference, Differences, OutletLead

MAX_POINTS = 8
MAX_CONFLICTS = 3
MAX_WORDING = 2

REQUIRES = ("story.claim_groups", "story.conflicts", "story.coverage", "claim_embeddings")
PROVIDES = ("story.differences", "story.title")

__all__ = ["REQUIRES", "PROVIDES", "run", "importance", "short_label"]


def run(ctx: StoryContext) -> None:
    story = ctx.story
    texts = outlet_texts(ctx)
    leads = outlet_leads(ctx, texts)
    found: list[pts.Scored] = []
    if len(texts) >= 2:
        labels = outlet_labels(ctx)
        emb = claim_vectors(ctx)
        imp = importance(ctx)
        reach = pts.Reach(ctx, texts, emb)
        scope, apart = pts.scope_points(reach, leads)
        found += pts.conflict_points(story.conflicts, labels)[:MAX_CONFLICTS]
        found += pts.lead_points(reach, leads)
        found += scope
        found += kind_points(reach)
        found += pts.exclusive_points(reach, imp)
        found += voice_points(reach)
        found += pts.omission_points(reach, imp, skip=apart)
        found += sorted(pts.wording_points(story, labels), key=lambda p: -p[0])[:MAX_WORDING]
    story.differences = Differences(leads=leads if len(texts) >= 2 else leads[:1], points=rank(found))
    story.title = neutral_title(ctx, texts, leads) or story.title


def outlet_leads(ctx: StoryContext, texts) -> list[OutletLead]:
    """Each outlet's earliest article (by publication, else story order): its headline and lead sentence."""
    from crosswire.analysis.differences.texts import lead_of

    order = {aid: k for k, aid in enumerate(ctx.story.articles)}
    out = []
    for t in texts:
        first = min(t.articles, key=lambda a: (a.published or "9999", order.get(a.id, 0)))
        found = lead_of(ctx, first)
        if found is not None:
            span, text = found
            out.append(OutletLead(t.outlet, first.id, first.title, text, [span]))
    return out


def claim_vectors(ctx: StoryContext) -> np.ndarray:
    """One embedding per story claim: the comparison's, else computed here."""
    emb = ctx.claim_embeddings
    if emb is not None and len(emb) == len(ctx.story.claims):
        return np.asarray(emb)
    if not ctx.story.claims:
        return np.zeros((0, 384), dtype=np.float32)
    return ctx.embed([c.text for c in ctx.story.claims])


def rank(found: list[pts.Scored]) -> list[Difference]:
    """Most important first; a point that cites only what a higher point already cites is dropped."""
    out: list[Difference] = []
    seen: set[tuple[str, int]] = set()
    for _score, d in sorted(found, key=lambda p: -p[0]):
        keys = {(c.article, c.start) for c in d.citations}
        if d.kind != "conflict" and keys and keys <= seen:
            continue
        seen |= keys
        out.append(d)
        if len(out) >= MAX_POINTS:
            break
    return out


def importance(ctx: StoryContext) -> dict[str, float]:
    """Each claim group's importance: ``ClaimGroup.importance`` when the comparison gives any, else the
    share of the story's outlets that report the group plus half of how early it comes (1/sqrt(1 + the
    claim's number in its article))."""
    groups = ctx.story.claim_groups
    if any(g.importance for g in groups):
        return {g.id: float(g.importance) for g in groups}
    outlets = {ctx.counted_outlet(a.id) for a in ctx.articles}
    early: dict[str, float] = {}
    seen: dict[str, int] = {}
    for c in ctx.story.claims:
        k = seen.get(c.span.article, 0)
        seen[c.span.article] = k + 1
        early[c.id] = 1.0 / float(np.sqrt(1.0 + k))
    out = {}
    for g in groups:
        who = {ctx.counted_outlet(s.article) for s in g.citations}
        first = max((early.get(cid, 0.0) for cid in g.claims), default=0.0)
        out[g.id] = len(who) / max(1, len(outlets)) + 0.5 * first
    return out
