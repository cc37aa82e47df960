"""Difference points on sourcing: a person or body whose own words one outlet alone gives."""

from __future__ import annotations

import re

from crosswire.analysis.differences.points import Reach, Scored
from crosswire.analysis.differences.texts import OutletText, cut, join_names
from crosswire.model import Difference, Entity, Quote

VOICE_MIN_QUOTES = 2  # a voice counts when one outlet gives at least this many of its quotes
MAX_VOICES = 2
# a sentence that gives someone's words or position: "said", "told", "according to", "in a statement"
_SPEECH = re.compile(
    r"\b(?:say|says|said|saying|tell|tells|told|state[sd]?|statement|according|spokes\w*|add(?:s|ed)|wr(?:ote|ites)|"
    r"argu(?:e|es|ed)|den(?:y|ies|ied)|respond(?:s|ed)?|counter(?:s|ed)|insist(?:s|ed)?|comment(?:s|ed)?|"
    r"declin(?:e|es|ed)|quot(?:e|es|ed)|interview\w*|tweet(?:s|ed)?|post(?:s|ed))\b",
    re.IGNORECASE,
)
_VOICE_TYPES = ("PERSON", "ORG", "NORP")
_QUOTE_CHARS = " “”\"'‘’"


def voice_points(reach: Reach) -> list[Scored]:
    """A person or body whose own words one outlet alone gives: at least ``VOICE_MIN_QUOTES`` direct quotes
    there, one of them naming it, and no sentence of another outlet that names it gives its words or
    position (a speech word in the sentence). When the others name it, this is a side only one outlet lets
    speak; when they do not, a voice only one outlet adds (ranked lower). Only speakers resolved to a named
    person or body of the story count."""
    ctx = reach.ctx
    story = ctx.story
    ents: dict[str, Entity] = {e.id: e for e in story.entities}
    quoted: dict[str, dict[str, list[Quote]]] = {}
    for q in story.quotes:
        e = ents.get(q.speaker_entity or "")
        if e is None or e.type not in _VOICE_TYPES or q.speaker_kind not in ("person", "organisation", "named"):
            continue
        if not q.direct:  # reported speech is the outlet's wording, and its speaker is read less surely
            continue
        quoted.setdefault(e.id, {}).setdefault(ctx.counted_outlet(q.content_span.article), []).append(q)
    by_outlet = {t.outlet: t for t in reach.texts}
    found: list[tuple[float, int, Difference]] = []
    for eid, per in quoted.items():
        if len(per) != 1:
            continue
        [(outlet, qs)] = per.items()
        me = by_outlet.get(outlet)
        if me is None or len(qs) < VOICE_MIN_QUOTES:
            continue
        e = ents[eid]
        keys = _entity_keys(e)
        if not any(q.speaker_span and any(k in q.speaker for k in keys) for q in qs):
            continue  # never named where its words are given (only "he", "the spokesman"): not sure enough
        named = [t for t in reach.texts if t.outlet != outlet and _names_entity(t, e, keys)]
        if any(_speaks(t, e, keys) for t in named):
            continue
        best = max(qs, key=lambda q: len(q.content.split()) if 6 <= len(q.content.split()) <= 40 else 0)
        words = "“" + cut(best.content.strip(_QUOTE_CHARS)) + "”"
        if named:
            others = join_names([t.label for t in named])
            text = (
                f"Only {me.label} gives {e.name}'s own words ({len(qs)} quotes, such as {words}); "
                f"{others} name{'s' if len(named) == 1 else ''} {e.name} without them."
            )
            score = 0.62
        else:
            text = (
                f"Only {me.label} gives {e.name} a voice ({len(qs)} quotes, such as {words}); "
                "no other outlet names them."
            )
            score = 0.42
        cites = [best.content_span] + [q.content_span for q in qs if q is not best][:2]
        found.append((score, len(qs), Difference("emphasis", text, [outlet], cites)))
    found.sort(key=lambda f: (-f[0], -f[1]))
    return [(score + 0.01 * min(n, 5), d) for score, n, d in found[:MAX_VOICES]]


def _entity_keys(e: Entity) -> set[str]:
    """The words that name an entity in running text: its names, and a person's family name."""
    names = {e.name} | {m.text for m in e.mentions if m.kind == "name"}
    keys = {n for n in names if len(n) > 2}
    if e.type == "PERSON":
        keys |= {n.split()[-1] for n in names if len(n.split()) > 1 and len(n.split()[-1]) > 2}
    return keys


def _names_entity(t: OutletText, e: Entity, keys: set[str]) -> bool:
    arts = {a.id for a in t.articles}
    if any(m.span.article in arts for m in e.mentions):
        return True
    return any(k in s for s in t.texts for k in keys)


def _speaks(t: OutletText, e: Entity, keys: set[str]) -> bool:
    """A sentence of the outlet names the entity and gives words or a position (a speech word)."""
    arts = {a.id for a in t.articles}
    at = [m.span for m in e.mentions if m.span.article in arts]
    for sp, s in zip(t.spans, t.texts):
        if not _SPEECH.search(s):
            continue
        if any(k in s for k in keys) or any(m.article == sp.article and sp.start <= m.start < sp.end for m in at):
            return True
    return False
