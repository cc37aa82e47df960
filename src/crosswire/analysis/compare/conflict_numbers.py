"""Number conflicts: two values for one quantity of one happening, in claims of different outlets ("150
Chinese passengers" against "153 Chinese passengers"). ``number_phrases`` reads the quantities of a claim;
here two of them are compared (the same thing counted, said alike, one person's age) and the finder sets
them against each other in claims that read alike and name the same places, each side citing every
sentence that gives its value.
"""

from __future__ import annotations

import re

import numpy as np

from crosswire.analysis.compare.number_phrases import DISTANCES, MEASURES, VICTIM_VERBS, Quantity, quantities
from crosswire.analysis.compare.parties import party_of

# nouns that name a person by a relation to someone else: "his 20-year-old brother" and "his 4-year-old
# brother" are two people when the "his" differ, so two values of their age are no conflict
_RELATIONAL = {
    "brother",
    "sister",
    "son",
    "daughter",
    "father",
    "mother",
    "dad",
    "mom",
    "parent",
    "husband",
    "wife",
    "boyfriend",
    "girlfriend",
    "uncle",
    "aunt",
    "cousin",
    "nephew",
    "niece",
    "grandson",
    "granddaughter",
    "grandfather",
    "grandmother",
    "sibling",
    "stepfather",
    "stepmother",
    "stepson",
    "stepdaughter",
    "fiance",
    "fiancee",
}


def _apart(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """Both name places, and none in common."""
    return bool(a and b and not a & b)


def _elsewhere(q1: Quantity, q2: Quantity) -> bool:
    """The two numbers count what happened in different places ("104 killed in Homs" is not "125 died
    across Syria"), as their verbs say."""
    return _apart(q1.where, q2.where)


def _relational(q: Quantity) -> bool:
    """What the number measures is a person named only by a relation ("the brother")."""
    words = q.of.lower().split()
    return bool(words) and words[-1] in _RELATIONAL


def _name_key(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’.-]*", name) if w.lower() not in ("mr.", "mrs.", "ms.", "dr.")]
    if not words:
        return name.lower()
    return (words[0] + " " + words[-1]).lower() if len(words) > 1 else words[0].lower()


def same_person(a: str, b: str) -> bool:
    """ "Kevin Deon Johnson" and "Kevin Johnson" are one person; "Johnson" alone matches either."""
    ka, kb = _name_key(a).split(), _name_key(b).split()
    if not ka or not kb:  # a name with no letters in it ("2", "") names nobody
        return False
    if ka[-1] != kb[-1]:
        return False
    return len(ka) == 1 or len(kb) == 1 or ka[0] == kb[0]


# Two claims of different outlets this similar (MiniLM cosine; the same-fact probability when the
# lead's model fills ctx.same_fact) may give one quantity; chosen on the development sets (see
# BENCHMARKS.md "verdicts: conflicts"). An age of a named person needs no such context.
NUMBER_CONTEXT = {"cosine": 0.45, "same_fact": 0.5}
# the same, when both name what they count alike by an object or modifiers ("153 Chinese passengers", "the
# 8,013-meter peak"): the differing number itself lowers the same-fact probability of two such claims.
# Chosen on the 71 development stories (fifth session, BENCHMARKS.md "verdicts"): 0.5, 0.3, 0.2, 0.1, 0.05
# and 0 tried; 0.2 and below add the same three conflicts, all real, and no false one.
NUMBER_NAMED = {"cosine": 0.45, "same_fact": 0.2}


# units that say little of what is counted: without an object named alike, the claims need one verb
# or must read very close
GENERIC_UNITS = {"person", "dollar", "pound sterling", "euro", "percent", "year", "month", "week", "day", "hour"}


NUMBER_CLOSE = {"cosine": 0.75, "same_fact": 0.8}


_PLURAL = {"person": "people", "foot": "feet", "story": "stories", "inch": "inches"}


def plural(word: str) -> str:
    if word in _PLURAL:
        return _PLURAL[word]
    if word.endswith("man"):
        return word[:-3] + "men"
    return word if word.endswith("s") else word + "s"


def point_of(q: Quantity) -> str:
    if q.unit == "age":
        return f"the age of {q.of}"
    if q.unit in MEASURES:
        return f"the {q.of} in {plural(q.unit)}" if q.of else f"the amount in {plural(q.unit)}"
    mods = " ".join(sorted(q.mods))
    thing = q.label if q.label and q.label.lower().endswith(plural(q.unit)) else f"{mods} {plural(q.unit)}".strip()
    return f"the number of {thing}" + (f" of {q.of}" if q.of else "")


# counted nouns that name one thing in different words ("a 30-car pileup" / "a 25-vehicle pileup"), and the
# armed men one side calls gunmen or rebels and the other terrorists: each word maps to its class
_KINDS = {
    "vehicle": ("car", "vehicle", "truck", "automobile"),
    "armed man": ("gunman", "militant", "terrorist", "rebel", "attacker", "fighter", "insurgent", "assailant"),
    "summit": ("mountain", "peak", "summit"),
    "child": ("child", "kid"),
}


KIND_OF = {w: k for k, words in _KINDS.items() for w in words}


def kind_of(word: str) -> str:
    """The class of a counted noun or object (the word itself when it has none)."""
    return KIND_OF.get(word, word)


def same_quantity(q1: Quantity, q2: Quantity, strict: bool = True) -> bool:
    """Both count or measure one thing: same unit and, for an age, the same person; else the same
    modifiers ("Chinese passengers" is not "passengers") and the same object ("the 8,027-meter
    mountain" is not "a height of 5,900 meters"). ``strict=False`` lets an object named on one side only
    pass (to find what else an outlet says)."""
    if kind_of(q1.unit) != kind_of(q2.unit):
        return False
    if q1.unit == "age":
        return same_person(q1.of, q2.of)
    if q1.mods != q2.mods:
        return False
    of1, of2 = kind_of(q1.of), kind_of(q2.of)
    if strict:
        return of1 == of2 or _ends_alike(of1, of2)
    return not (of1 and of2 and of1 != of2 and not _ends_alike(of1, of2))


def _ends_alike(a: str, b: str) -> bool:
    """One object is the other with more words before it: "criminal mischief" and "fifth degree criminal
    mischief" (counts of one charge), "florence avenue" and "west florence avenue"."""
    if not a or not b or a == b:
        return False
    short, long_ = sorted((a, b), key=len)
    return long_.endswith(" " + short)


def said_alike(q1: Quantity, q2: Quantity) -> bool:
    """What is counted is said alike on both sides: an age of one person, or one thing named by its object
    or modifiers, or (for a unit that says little, like people or dollars) one verb ("killed")."""
    if q1.unit == "age":
        return True
    if q1.unit in GENERIC_UNITS and not q1.of:
        return bool(q1.verb and q1.verb == q2.verb)
    return bool(q1.of) or bool(q1.mods) or bool(q1.verb and q1.verb == q2.verb)


def clash(q1: Quantity, q2: Quantity) -> bool:
    """Two values of one quantity, said alike, that cannot both be true: two sentences giving them never
    report one fact (the grouping keeps them apart; the number finder sets them against each other)."""
    return same_quantity(q1, q2) and q1.disagrees(q2) and said_alike(q1, q2)


def _gives(q: Quantity, other: Quantity) -> bool:
    """``q`` (said anywhere in an article) gives ``other``'s value for the same thing. Victims counted by
    two different verbs are two things: an article's "three people were arrested" does not give "three
    people were killed"."""
    if q.verb != other.verb and q.verb in VICTIM_VERBS and other.verb in VICTIM_VERBS:
        return False
    return same_quantity(q, other, False) and not q.disagrees(other)


def _places(doc, start: int, end: int) -> set[str]:
    """The places a claim names (lower-cased first word of each GPE/LOC/FAC name)."""
    return {
        e.text.lower().removeprefix("the ").split()[0]
        for e in doc.ents
        if e.label_ in ("GPE", "LOC", "FAC") and start <= e.start_char and e.end_char <= end and e.text.strip()
    }


def number_findings(ctx, sim: np.ndarray, sim_kind: str) -> list:
    """Two values for one quantity of one happening, in claims of different outlets."""
    from crosswire.analysis.compare.conflict_sides import Finding

    claims = ctx.story.claims
    per_claim: list[list[Quantity]] = []
    for c in claims:
        try:
            doc = ctx.doc(c.span.article)
        except KeyError:
            per_claim.append([])
            continue
        per_claim.append(quantities(doc, c.span.start, c.span.end))
    whole: dict[str, list[Quantity]] = {}  # every quantity of an article, to see what else it says
    for a in ctx.articles:
        whole[a.id] = quantities(ctx.doc(a.id), 0, len(a.text))
    outlet = {a.id: ctx.counted_outlet(a.id) for a in ctx.articles}
    threshold, close, named = NUMBER_CONTEXT[sim_kind], NUMBER_CLOSE[sim_kind], NUMBER_NAMED[sim_kind]
    seen_places: dict[int, set[str]] = {}

    def places(k: int) -> set[str]:
        if k not in seen_places:
            c = claims[k]
            seen_places[k] = _places(ctx.doc(c.span.article), c.span.start, c.span.end)
        return seen_places[k]

    findings = []
    n = len(claims)
    for i in range(n):
        if not per_claim[i]:
            continue
        for j in range(i + 1, n):
            if not per_claim[j] or outlet[claims[i].span.article] == outlet[claims[j].span.article]:
                continue
            for q1 in per_claim[i]:
                for q2 in per_claim[j]:
                    if not same_quantity(q1, q2) or not q1.disagrees(q2) or _relational(q1) or _elsewhere(q1, q2):
                        continue
                    if q1.unit != "age":
                        if sim[i, j] < (named if q1.of or q1.mods else threshold):
                            continue
                        # what is counted must be said alike: a named object, a modifier or one verb;
                        # else the claims must read very close ("two complaints" is not "20 complaints")
                        if not said_alike(q1, q2) and sim[i, j] < close:
                            continue
                        if q1.unit in DISTANCES and q1.of.startswith("from ") and sim[i, j] < close:
                            continue  # two distances from one place may be of two things
                        if _apart(places(i), places(j)):
                            continue  # Madison's snow is not central Iowa's
                    # an outlet that also gives the other value (for this quantity, said alike) is not in conflict
                    if any(_gives(q, q2) for q in whole[claims[i].span.article]):
                        continue
                    if any(_gives(q, q1) for q in whole[claims[j].span.article]):
                        continue
                    a, b = (i, j) if (q1.lo, q1.hi) <= (q2.lo, q2.hi) else (j, i)
                    qa, qb = (q1, q2) if a == i else (q2, q1)
                    longer = qa if len(qa.of) >= len(qb.of) else qb
                    # "counts of criminal mischief", not the longer side's "counts of degree criminal mischief"
                    point = point_of((qb if longer is qa else qa) if _ends_alike(qa.of, qb.of) else longer)
                    key = ("number", point.lower(), (qa.lo, qa.hi), (qb.lo, qb.hi))
                    what = f'{point}: "{qa.written}" ({claims[a].source}) vs "{qb.written}" ({claims[b].source})'
                    side_a = [a] + _saying_too(qa, qb, a, b, ctx, per_claim, whole, sim, threshold, places)
                    side_b = [b] + _saying_too(qb, qa, b, a, ctx, per_claim, whole, sim, threshold, places)
                    findings.append(
                        Finding(
                            "number",
                            point,
                            side_a,
                            side_b,
                            what,
                            key,
                            float(sim[i, j]),
                            party_a=_side_party(ctx, side_a, qa),
                            party_b=_side_party(ctx, side_b, qb),
                            words=(qa.written, qb.written),
                        )
                    )
    return findings


def _side_party(ctx, side: list[int], q: Quantity) -> tuple[str | None, str | None]:
    """The party of a number side: of its first claim (which holds ``q``), else of another of its claims
    (they give the same value: "... in the 3300 block of West Florence Avenue, police said"); never a
    phrase that holds the number ("relatives of the 153 passengers"), nor the person whose age it is
    ("Geraldine Alcorn, 28, was charged ...")."""
    claims = ctx.story.claims
    for n, k in enumerate(side):
        c = claims[k]
        at = (q.start, q.end, q.written)
        if n:
            pos = ctx.doc(c.span.article).text.find(q.written, c.span.start, c.span.end)
            if pos < 0:
                continue
            at = (pos, pos + len(q.written), q.written)
        found = party_of(ctx, c, at)
        if found[0] and not (q.unit == "age" and same_person(q.of, found[0])):
            return found
    return None, None


def _saying_too(
    q: Quantity, other: Quantity, k: int, o: int, ctx, per_claim, whole, sim, threshold, places
) -> list[int]:
    """The other claims that give ``q``'s very value for the same thing, said alike, so that a side
    names every outlet (and every sentence) that tells it: claim ``k`` gives ``q`` against claim ``o``'s
    ``other``. A claim of another article must read like one of the two (the same-fact threshold of the
    finder); one of ``k``'s own article needs no likeness (an article's two "25-vehicle pileup"s are one
    pileup). Never a claim whose article also gives ``other``, nor one naming other places."""
    claims = ctx.story.claims
    own = claims[k].span.article
    out = []
    for m, qs in enumerate(per_claim):
        if m in (k, o) or not qs:
            continue
        art = claims[m].span.article
        if art == claims[o].span.article:
            continue
        if not any(
            same_quantity(x, q)
            and said_alike(x, q)
            and (x.lo, x.hi) == (q.lo, q.hi)
            and _gives(x, q)
            and not _elsewhere(x, q)
            for x in qs
        ):
            continue
        if art != own and max(sim[m, k], sim[m, o]) < threshold:
            continue
        if any(_gives(x, other) for x in whole[art]):
            continue
        if _apart(places(m), places(k)):
            continue
        out.append(m)
    return out
