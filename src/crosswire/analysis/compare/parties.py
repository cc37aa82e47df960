"""Who asserts a claim: party labels, and sides (parties that speak for one another).

A claim's ``attribution`` is a phrase ("Kremlin spokesperson Dmitry Peskov",
"the German Chancellor's office", "government sources"). ``party_key`` reduces it
to a party name; ``sides`` joins parties that appear together as the source of
one sentence ("According to the Kremlin, Putin told ...") or that are one person
under a title and a name ("the chancellor" -> Scholz, via the roles found in the
story). Nothing here is a fixed list of names.
"""

from __future__ import annotations

import re

from crosswire.analysis.entities.parties import NAMED, PARTY_KINDS, is_party, speaker_kind

_PRONOUN = re.compile(r"^(he|she|it|they|we|i|you|his|her|their|our|its|this|that|these|those|one)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\b")
MAX_PARTY_WORDS = 6  # a longer "source" phrase is a misparse, not a party
GENERIC_HEADS = {
    "service",
    "office",
    "statement",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "press",
    "source",
    "sources",
    "official",
    "officials",
    "report",
    "media",
    "agency",
    "ministry",
}


def party_key(attribution: str | None) -> str | None:
    """A normalised party name: "the Kremlin press service" -> "Kremlin"; "Dmitry Peskov" -> "Dmitry Peskov"."""
    if not attribution:
        return None
    if _PRONOUN.match(attribution.strip()) or len(attribution.split()) > MAX_PARTY_WORDS:
        return None  # "he", "she", "we parents": who it is needs coreference, not guessed here
    text = re.sub(r"^(the|a|an)\s+", "", attribution.strip(), flags=re.IGNORECASE)
    text = _POSSESSIVE.sub("", text)
    words = text.split()
    if not words:
        return None
    # "German Chancellor office", "Kremlin press service": the owner of a generic head speaks
    while len(words) > 1 and words[-1].lower() in GENERIC_HEADS and words[-2].lower() not in ("government",):
        words = words[:-1]
    if len(words) == 1 or words[-1].lower() in GENERIC_HEADS:
        return " ".join(words)
    # "Kremlin press service" / "Kremlin spokesperson Dmitry Peskov": a proper name then generic nouns
    if words[0][:1].isupper() and len(words) > 1 and all(w.lower() in GENERIC_HEADS for w in words[1:]):
        return words[0]
    caps = [w for w in words if w[:1].isupper()]
    if len(words) > 2 and len(caps) >= 2 and words[-1][:1].isupper() and words[-2][:1].isupper():
        return " ".join(words[-2:])  # "... spokesperson Dmitry Peskov" -> "Dmitry Peskov"
    return " ".join(words)


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def sides(parties: dict[str, set[str]], counts: dict[str, int], title_of: dict[str, str]) -> dict[str, str]:
    """Map each party to a side label.

    ``parties``: party -> other party phrases seen in the same sentence as its
    claims' source (co-sources). ``title_of``: lower-cased title -> person name
    ("chancellor" -> "Olaf Scholz"), from the roles in the story.
    """
    uf = _UnionFind()
    names = list(parties)
    for p in names:
        uf.find(p)

    def resolve(p: str) -> str:
        low = p.lower()
        person = title_of.get(low)
        if person:
            surname = person.split()[-1].lower()
            for q in names:
                if q.split()[-1].lower() == surname:
                    return q
        return p

    for p in names:
        r = resolve(p)
        if r != p:
            uf.union(r, p)
        # "Peskov" and "Dmitry Peskov"; "Chancellor Scholz" and "Scholz"
        last = p.split()[-1].lower()
        for q in names:
            if q != p and (
                q.lower() == p.lower()
                or q.split()[-1].lower() == last
                and last[:1].isalpha()
                and p[:1].isupper()
                and q[:1].isupper()
            ):
                uf.union(p, q)
        for co in parties[p]:
            if co in parties:
                uf.union(p, co)
    comps: dict[str, list[str]] = {}
    for p in names:
        comps.setdefault(uf.find(p), []).append(p)
    label: dict[str, str] = {}
    for members in comps.values():
        members.sort(key=lambda m: (-counts.get(m, 0), m))
        name = " / ".join(members[:3])
        for m in members:
            label[m] = name
    return label


def party_of(ctx, claim, at: tuple[int, int, str] | None = None) -> tuple[str | None, str | None]:
    """(party, entity id) of a claim: the speaker of the quote it lies in, else its attribution, when
    that is a person or body (``is_party``); (None, None) when the outlet says it in its own voice or
    the party cannot be told. ``at``: (start, end, words) of what the side is about (a number): only a
    quote whose content holds it counts, and an attribution that holds the words themselves ("relatives of
    the flight's 153 passengers said ...") is no party of them."""
    outlets = {a.outlet for a in ctx.articles} | {a.source for a in ctx.articles if a.source}
    names = {e.id: e.name for e in getattr(ctx.story, "entities", []) or []}
    for q in ctx.story.quotes:
        sp = q.content_span
        if sp and sp.article == claim.span.article and sp.start < claim.span.end and claim.span.start < sp.end:
            if at is not None and not (sp.start <= at[0] and at[1] <= sp.end):
                continue
            entity = q.speaker_entity if q.speaker_entity in names else None
            name = names[entity] if entity else q.speaker
            if _named_party(name, entity, outlets):
                return name, entity
            break
    if at is not None and at[2] and at[2] in (claim.attribution or ""):
        return None, None
    if claim.attribution_entity and claim.attribution_entity in names:
        name = names[claim.attribution_entity]
        if is_party(name, outlets) and is_party(claim.attribution, outlets):
            return name, claim.attribution_entity
    key = party_key(claim.attribution)
    if key and _named_party(key, None, outlets) and is_party(claim.attribution, outlets):
        return key, None
    return None, None


def _named_party(name: str | None, entity: str | None, outlets) -> bool:
    """``name`` is a party (``is_party``), and not one only by the capital of its first word when no story
    entity stands behind it: "Blinding snow" in "Blinding snow is blamed for a pileup" (a sentence's first
    word has a capital). "Tom Reed" has a capital after its first word; "police" and "the spokesman" name
    one by their noun."""
    kind = speaker_kind(name, outlets)
    if kind not in PARTY_KINDS:
        return False
    if entity or kind != NAMED:
        return True
    words = (name or "").split()
    return len(words) < 2 or any(w[:1].isupper() for w in words[1:])
