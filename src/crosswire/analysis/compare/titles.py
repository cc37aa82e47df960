"""Titles and roles that sources give a person ("German Chancellor" vs "German Prime Minister").

Uses ``Entity.roles`` from the entities stage when it found any; otherwise reads
titles from the parse: the capitalised compound/adjective tokens right before a
PERSON name ("German Prime Minister Olaf Scholz", "Chancellor Scholz").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosswire.model import Span


@dataclass
class TitleUse:
    person: str  # a key for the person: entity id or surname
    name: str  # display name
    title: str  # as written: "German Prime Minister"
    office: str  # normalised: "prime minister"
    outlet: str
    span: Span


def office_of(tokens) -> str:
    """The office in a title, without nationality or place words: "German Prime Minister" -> "prime minister"."""
    keep = [
        t.text.lower() for t in tokens if not (t.ent_type_ in ("NORP", "GPE") or t.pos_ == "ADJ" or t.tag_ == "POS")
    ]
    return " ".join(keep)


def _title_before(ent) -> tuple[int, int] | None:
    doc = ent.doc
    i = ent.start - 1
    first = None
    while i >= 0:
        t = doc[i]
        if (
            t.is_title
            and t.dep_ in ("compound", "amod", "nmod")
            and t.head.i >= t.i
            and t.head.i < ent.end + 3
            and t.ent_type_ != "PERSON"
        ):
            first = i
            i -= 1
            continue
        break
    if first is None:
        return None
    return first, ent.start


def titles_from_docs(articles, doc_of) -> list[TitleUse]:
    uses: list[TitleUse] = []
    for art in articles:
        doc = doc_of(art.id)
        for ent in doc.ents:
            if ent.label_ != "PERSON" or len(ent) < 1:
                continue
            bounds = _title_before(ent)
            if not bounds:
                continue
            toks = doc[bounds[0] : bounds[1]]
            office = office_of(toks)
            if not office:
                continue
            surname = ent[-1].text
            uses.append(
                TitleUse(
                    surname.lower(),
                    ent.text,
                    toks.text,
                    office,
                    art.outlet,
                    Span(art.id, toks.start_char, toks.end_char),
                )
            )
    return uses


def titles_from_entities(entities, doc_of, outlet_by_article) -> list[TitleUse]:
    uses: list[TitleUse] = []
    for ent in entities or []:
        for role in getattr(ent, "roles", None) or []:
            span = role.span
            if span is None or span.article not in outlet_by_article:
                continue
            doc = doc_of(span.article)
            toks = doc.char_span(span.start, span.end, alignment_mode="expand")
            office = office_of(toks) if toks is not None else role.text.lower()
            if office:
                uses.append(TitleUse(ent.id, ent.name, role.text, office, outlet_by_article[span.article], span))
    return uses


# A title conflicts with another only when one person cannot hold both: two ranks of one ladder, two
# names of one office. Everything else (an abbreviation, a second true office, "the" vs "a") is not a
# conflict. A closed list: offices outside it never conflict.
EXCLUSIVE_OFFICES: tuple[frozenset[str], ...] = (
    frozenset({"assistant professor", "associate professor"}),
    frozenset({"prime minister", "chancellor", "premier"}),
)
_NOT_NOW = re.compile(r"\b(former|ex|then|onetime|one-time|late|future|acting|interim|deputy|vice)\W*$", re.IGNORECASE)
_APPOSITIVE = re.compile(r"^,\s+(?:(?:a|an|the)\s+)?(?P<t>[^,;.()]{3,60}?)(?=\s+(?:of|at|in|for)\b|[,;.]|$)")


def exclusive_office(office: str) -> str | None:
    """The office of the closed list that ``office`` names ("german prime minister" -> "prime minister")."""
    low = " " + re.sub(r"[^a-z ]", " ", office.lower()) + " "
    for family in EXCLUSIVE_OFFICES:
        for name in sorted(family, key=len, reverse=True):
            if f" {name} " in low:
                return name
    return None


def _family(office: str) -> frozenset[str] | None:
    return next((f for f in EXCLUSIVE_OFFICES if office in f), None)


def appositive_titles(articles, doc_of, entity_of=None) -> list[TitleUse]:
    """Titles of the closed list written after a name: "Matthew Kanan, an assistant professor of chemistry".

    ``entity_of(article id, start, end)`` (optional) gives the person's entity id, so that these uses
    join the roles the entities stage found for the same person."""
    uses: list[TitleUse] = []
    for art in articles:
        doc = doc_of(art.id)
        for ent in doc.ents:
            if ent.label_ != "PERSON" or len(ent) < 2:
                continue
            m = _APPOSITIVE.match(doc.text[ent.end_char : ent.end_char + 80])
            if not m:
                continue
            office = exclusive_office(m.group("t"))
            if office is None or _NOT_NOW.search(m.group("t").lower().split(office)[0]):
                continue
            s = ent.end_char + m.start("t")
            person = (entity_of(art.id, ent.start_char, ent.end_char) if entity_of else None) or ent[-1].text.lower()
            span = Span(art.id, s, s + len(m.group("t")))
            uses.append(TitleUse(person, ent.text, m.group("t"), office, art.outlet, span))
    return uses


def title_conflicts(uses: list[TitleUse], doc_text=None) -> list[tuple[TitleUse, list[TitleUse], list[TitleUse]]]:
    """Per person, two offices of one closed family (``EXCLUSIVE_OFFICES``) given by different outlets.

    Returns (example use, minority uses, majority uses) per differing office. ``doc_text(article id)``
    (optional) lets a title written as past or acting ("former Chancellor") be left out.
    """
    by_person: dict[str, list[TitleUse]] = {}
    for u in uses:
        office = exclusive_office(u.office) or exclusive_office(u.title)
        if office is None:
            continue
        if doc_text is not None:
            before = doc_text(u.span.article)[max(0, u.span.start - 20) : u.span.start]
            if _NOT_NOW.search(before) or _NOT_NOW.search(u.title.lower().split(office)[0]):
                continue
        by_person.setdefault(u.person, []).append(TitleUse(u.person, u.name, u.title, office, u.outlet, u.span))
    out = []
    for _person, us in by_person.items():
        outlets_by_office: dict[str, set[str]] = {}
        for u in us:
            outlets_by_office.setdefault(u.office, set()).add(u.outlet)
        if len(outlets_by_office) < 2:
            continue
        ranked = sorted(outlets_by_office, key=lambda o: (-len(outlets_by_office[o]), o))
        main = ranked[0]
        for other in ranked[1:]:
            if _family(other) != _family(main):
                continue
            if not (outlets_by_office[other] - outlets_by_office[main]) and not (
                outlets_by_office[main] - outlets_by_office[other]
            ):
                continue  # the same outlets use both: not a disagreement between sources
            minority = [u for u in us if u.office == other]
            majority = [u for u in us if u.office == main]
            out.append((minority[0], minority, majority))
    return out


def title_index(uses: list[TitleUse]) -> dict[str, str]:
    """Lower-cased title or office -> person name, when it names one person in the story.

    Both the title as written ("russian president") and the bare office ("president") are keys.
    """
    seen: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for u in uses:
        for key in {u.office, u.title.lower(), re.sub(r"['’]s\b", "", u.title.lower())}:
            seen.setdefault(key, set()).add(u.person)
        names[u.person] = max(names.get(u.person, ""), u.name, key=len)
    return {office: names[next(iter(p))] for office, p in seen.items() if len(p) == 1}
