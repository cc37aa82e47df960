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


def title_conflicts(uses: list[TitleUse]) -> list[tuple[TitleUse, list[TitleUse], list[TitleUse]]]:
    """Per person, an office given by a minority of outlets where the others give another one.

    Returns (example use, minority uses, majority uses) per differing office.
    """
    by_person: dict[str, list[TitleUse]] = {}
    for u in uses:
        by_person.setdefault(u.person, []).append(u)
    out = []
    for _person, us in by_person.items():
        outlets_by_office: dict[str, set[str]] = {}
        for u in us:
            outlets_by_office.setdefault(u.office, set()).add(u.outlet)
        if len(outlets_by_office) < 2:
            continue
        # offices that merely extend another ("president" in "vice president") are not in conflict
        ranked = sorted(outlets_by_office, key=lambda o: (-len(outlets_by_office[o]), o))
        main = ranked[0]
        for other in ranked[1:]:
            if other in main or main in other:
                continue
            if outlets_by_office[other] <= outlets_by_office[main] and len(outlets_by_office[main]) == 1:
                continue  # one outlet using two titles is not a disagreement between sources
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
