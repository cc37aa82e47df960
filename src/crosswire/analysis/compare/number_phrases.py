"""Quantities in a claim, read from its parse: the value the words allow, what is counted or measured.

"150 Chinese passengers" -> 150 of "passenger" (modifier "chinese"); "Kevin Johnson, 24" -> the age of
Kevin Johnson; "the 3000 block of West Florence Avenue" -> 3000 of "block" (of "west florence avenue");
"between 2 meters and 16 meters in size" -> 2..16 "meter"; "a 30-car pileup" -> 30 "car" of "pileup";
"about $76,000 per academic year" -> 75,500..76,500 "dollar per year". A hedge widens the value to what
it allows ("about 140" fits 139.1, "at least three" does not fit two); a plain whole number is exact.
Numbers inside dates and times, ordinals, years and numbers without a counted noun are left out:
two of those are never set against each other.

The number finder (``conflict_numbers``) compares them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crosswire.analysis.compare.number_values import (
    NUMBER_RE,
    WORD_NUM,
    hedge_before,
    interval,
    parse_number,
    step,
)

# unit words after a number, normalised; measurement units compare only with themselves
_UNITS = {
    "m": "meter",
    "metre": "meter",
    "meter": "meter",
    "km": "kilometer",
    "kilometre": "kilometer",
    "kilometer": "kilometer",
    "ft": "foot",
    "feet": "foot",
    "foot": "foot",
    "mi": "mile",
    "mile": "mile",
    "inch": "inch",
    "inches": "inch",
    "in.": "inch",
    "hr": "hour",
    "hour": "hour",
    "minute": "minute",
    "min": "minute",
    "kg": "kilogram",
    "kilogram": "kilogram",
    "lb": "pound",
    "lbs": "pound",
    "mph": "mph",
    "people": "person",
    "persons": "person",
    "person": "person",
    "percent": "percent",
    "%": "percent",
    "per cent": "percent",
    "vehicle": "vehicle",
    "car": "car",
}


# counted nouns too vague to say what they count without more context ("two of them", "three times")
VAGUE_UNITS = {"time", "thing", "way", "one", "other", "part", "point", "kind", "type", "lot", "number"}


# numbers that are calendar or clock values, never counts
_TIME_UNITS = {"year", "month", "week", "day", "am", "pm", "a.m.", "p.m.", "o'clock", "century", "decade"}


MAX_AGE = 120


@dataclass
class Quantity:
    """One number as written in a claim, with the interval its words allow and what it counts."""

    lo: float
    hi: float
    written: str  # the words: "150 Chinese passengers"
    unit: str  # "passenger", "age", "meter", "dollar", "dollar per year"
    start: int  # character offsets of the number phrase in the article
    end: int
    of: str = ""  # what is counted or measured: the person for an age, "pileup", "west florence avenue"
    mods: frozenset[str] = field(default_factory=frozenset)  # modifiers of the counted noun ("chinese")
    verb: str = ""  # the verb governing it ("kill", "arrest")
    values: tuple[float, ...] = ()  # the value(s) as written (two for a range)
    label: str = ""  # the counted noun as written, with its modifiers: "Chinese passengers"
    ends: tuple[tuple[float, float], tuple[float, float]] | None = None  # a range's two ends, each an interval
    # where the counted thing happened, by its verb: "were killed in Homs" {"homs"}, "died across Syria" {"syria"}
    where: frozenset[str] = field(default_factory=frozenset)

    def fits(self, other: Quantity) -> bool:
        """The two intervals share a value: both can be true."""
        return self.lo <= other.hi and other.lo <= self.hi

    def disagrees(self, other: Quantity) -> bool:
        """Both cannot be true: a value outside the other's interval, or two ranges whose ends differ
        ("between 2 and 16 meters" vs "from 2m to 15m": one extent, two largest sizes)."""
        if self.ends and other.ends:
            return any(not (a[0] <= b[1] and b[0] <= a[1]) for a, b in zip(self.ends, other.ends))
        return not self.fits(other)


_UNIT_AFTER = re.compile(r"^(?P<hy>\s?-\s?|\s)?(?P<u>[A-Za-z]+\.?|%)")


_RATE_AFTER = re.compile(
    r"^\s*(?:a|an|per|each)\s+(?:academic\s+|calendar\s+|school\s+)?(year|month|week|day|hour)\b", re.I
)


_DIMENSION_AFTER = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:in\s+(size|length|height|width|diameter|depth|area|altitude)|"
    r"(tall|long|wide|high|deep))\b",
    re.I,
)


_FROM_AFTER = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:(?:north|south|east|west)(?:east|west)?(?:ward)?\s+)?(?:from|of|off)\s+(?:the\s+)?(\w+)",
    re.I,
)


DISTANCES = {"meter", "kilometer", "foot", "mile"}


_AGE_AFTER = re.compile(r"^\s?-?\s?years?\s?-?\s?old\b", re.I)


_RELATIVE_AFTER = re.compile(r"^\s?\w*\s+(?:later|earlier|ago|before|after|afterwards?)\b", re.I)


_RANGE_TAIL = re.compile(
    r"\s*(?:[A-Za-z]{1,6}\.?)?\s*(?:\([^)]*\)\s*)?(?P<join>-|–|—|to|and)\s*[$£€]?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + WORD_NUM
    + r")(?:\s(?P<scale>thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)


# verbs whose object or passive subject is counted people: "an explosion killed two", "two were arrested"
VICTIM_VERBS = {"kill", "injure", "wound", "hurt", "arrest", "rescue", "evacuate", "hospitalize", "detain"}
_DURATION_AFTER = re.compile(r"^\s?-?\s?(?:years?|months?|weeks?|days?|hours?|minutes?)\b", re.I)


_SKIP_ENTS = {"DATE", "TIME", "ORDINAL", "FAC", "ORG", "PRODUCT", "WORK_OF_ART", "LAW", "GPE", "EVENT", "PERSON"}


_DURATION_UNITS = {"year", "month", "week", "day", "hour", "minute", "second"}


_CURRENCY = {"$": "dollar", "£": "pound sterling", "€": "euro"}


_NOT_MODS = {"other", "more", "additional", "total", "least", "than", "about", "some", "-", "new", "own", "several"}


def _person_at(doc, start: int, end: int):
    for ent in doc.ents:
        if ent.label_ == "PERSON" and ent.start_char <= start and end <= ent.end_char:
            return ent
    return None


def _age_of(doc, num_tok, s: int, e: int, value: float):
    """The person a number is the age of: "29-year-old Geraldine Alcorn", "Kevin Johnson, 24," or None."""
    text = doc.text
    if not (0 < value <= MAX_AGE and value == int(value)):
        return None
    after = text[e : e + 20]
    if _AGE_AFTER.match(after):
        for ent in doc.ents:  # the name the age stands before, or after which it stands
            if ent.label_ == "PERSON" and 0 <= ent.start_char - e <= 25:
                return ent
        for ent in doc.ents:
            if ent.label_ == "PERSON" and 0 <= s - ent.end_char <= 4:
                return ent
        return None
    if num_tok.dep_ == "appos" or (num_tok.i > 0 and doc[num_tok.i - 1].text == ","):
        nxt = text[e : e + 2].lstrip()
        if nxt[:1] not in (",", ";", ")", ".", "") and not nxt.startswith("\n"):
            return None
        prev = text[max(0, s - 3) : s]
        if "," not in prev:
            return None
        for ent in doc.ents:
            if ent.label_ == "PERSON" and 0 <= s - ent.end_char <= 3:
                return ent
        return _bare_name_before(doc, num_tok)
    return None


# entity types a capitalised word before ", 65," may carry and still be a person's name the tagger missed
# ("Macomber, 65, was found ..." gets no PERSON from the small model)
_NAME_ENT_TYPES = {"", "PERSON"}


def _bare_name_before(doc, num_tok):
    """The run of proper nouns right before ", N" when the tagger gave it no type (or PERSON): a surname
    alone, as in "Macomber, 65,". Never a place or an organisation, nor a sentence's only capitalised opener
    ("Police, 65, ..."). Whose age it is still has to match a person the other side names
    (``conflict_numbers.same_person``)."""
    i = num_tok.i - 1
    if i < 1 or doc[i].text != ",":
        return None
    end = i
    start = i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title:
        if doc[start - 1].ent_type_ not in _NAME_ENT_TYPES:
            return None
        start -= 1
    if start == end or (start > 0 and doc[start - 1].is_title and doc[start - 1].pos_ != "PUNCT"):
        return None
    if not any(t.ent_type_ == "PERSON" for t in doc[start:end]) and not any(
        e.label_ == "PERSON" and e.text.split()[-1] == doc[end - 1].text for e in doc.ents
    ):
        return None  # the surname must name a person elsewhere in the article
    return doc[start:end]


def _noun_context(head) -> tuple[str, frozenset[str]]:
    """ "block of West Florence Avenue" -> ("west florence avenue", {}); "Chinese passengers" -> ("", {chinese})."""
    of = ""
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:  # the object's name and its modifiers, not its relative clause
                toks = [t for t in objs[0].lefts if t.dep_ in ("compound", "amod", "nmod") and not t.like_num]
                of = " ".join(t.lower_ for t in toks + [objs[0]])
    mods = frozenset(
        c.lemma_.lower()
        for c in head.children
        if c.dep_ in ("amod", "compound", "nmod") and not c.like_num and c.is_alpha and c.lower_ not in _NOT_MODS
    )
    return of, mods


def _verb_token(tok):
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB",) or t.dep_ == "ROOT":
            return t
        if t.head.i == t.i:
            break
        t = t.head
    return None


def _verb_of(tok) -> str:
    v = _verb_token(tok)
    return v.lemma_.lower() if v is not None else ""


_LOCATIVE = {"in", "across", "throughout", "at", "near", "outside", "inside"}


def _where(doc, tok) -> frozenset[str]:
    """The places the number's verb is said to happen in ("killed ... in Homs", "died across Syria"): the
    first word of each place name that a locative preposition of the verb governs."""
    v = _verb_token(tok)
    if v is None:
        return frozenset()
    out = set()
    for prep in v.children:
        if prep.dep_ != "prep" or prep.lower_ not in _LOCATIVE:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            for ent in doc.ents:
                if ent.label_ in ("GPE", "LOC", "FAC") and ent.start <= obj.i < ent.end and ent.text.strip():
                    out.add(ent.text.lower().removeprefix("the ").split()[0])
    return frozenset(out)


def _per_each(doc, tok, after: str) -> bool:
    """The amount is per head: "$3,000 each", "apiece", "per person", or the subject is "each person"."""
    if re.match(r"^\s*(?:\S+\s+)?(?:each|apiece|per (?:person|head|capita))\b", after, re.I):
        return True
    verb = tok
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(subj) and any(c.lower_ == "each" for c in subj[0].children)


def _in_parens(text: str, s: int, lo: int) -> bool:
    before = text[lo:s]
    return before.rfind("(") > before.rfind(")")


def quantities(doc, start: int, end: int) -> list[Quantity]:
    """Every quantity written in doc.text[start:end] with what it counts (see the module doc)."""
    text = doc.text
    found: list[Quantity] = []
    matches = list(NUMBER_RE.finditer(text, start, end))
    k = 0
    while k < len(matches):
        m = matches[k]
        k += 1
        num_text, scale, cur = m.group("num"), m.group("scale"), m.group("cur")
        value = parse_number(num_text, scale)
        if value is None:
            continue
        s, e = m.start("num") if not cur else m.start(), m.end()
        span = doc.char_span(m.start("num"), m.end("num"), alignment_mode="expand")
        if span is None or not len(span):
            continue
        tok = span[-1]
        after = text[e : e + 40]
        if re.match(r"^(?:st|nd|rd|th)\b|^:\d|^\s?(?:a\.m\.|p\.m\.|am\b|pm\b)", after, re.I):
            continue  # ordinal or clock time
        if re.search(r"(?:No\.|#|Interstate|Route|Highway|Flight|flight|MH|Article|Section)\s?$", text[s - 12 : s]):
            continue
        person = _age_of(doc, tok, m.start("num"), m.end("num"), value) if not cur else None
        if person is not None:
            q = Quantity(value, value, text[s:e], "age", s, e, of=person.text, verb=_verb_of(person.root))
            q.values = (value,)
            found.append(q)
            continue
        # a range: "between 2 and 16 meters", "from 2m to 15m", "$300-$400 billion", "6 and 8 feet"
        hi_num, hi_scale, end_num = None, None, e
        tail = _RANGE_TAIL.match(text, e)
        if tail and tail.end() <= end and ("and" not in tail.group("join") or "between" in text[max(0, s - 12) : s]):
            hi_num, hi_scale, end_num = tail.group("num"), tail.group("scale"), tail.end()
            while k < len(matches) and matches[k].start() < end_num:
                k += 1
        scale = hi_scale or scale
        last_start = tail.start("num") if hi_num else m.start("num")
        last_end = tail.end("num") if hi_num else m.end("num")
        span2 = doc.char_span(last_start, last_end, alignment_mode="expand")
        tok = span2[-1] if span2 is not None and len(span2) else tok
        after = text[end_num : end_num + 40]
        if tok.ent_type_ in _SKIP_ENTS:  # a date, a name; but "23 years", "a 13-hour filibuster" are lengths
            dur = _DURATION_AFTER.match(after)
            if tok.ent_type_ not in ("DATE", "TIME") or not dur or _RELATIVE_AFTER.match(after):
                continue
        unit, of, mods, head = "", "", frozenset(), None
        if cur:
            unit = _CURRENCY[cur]
            rate = _RATE_AFTER.match(after)
            if rate:
                unit += " per " + rate.group(1).lower()
        else:
            u = _UNIT_AFTER.match(after)
            word = u.group("u").lower() if u else ""
            if word in ("%", "percent"):
                unit = "percent"
                ptok = doc.char_span(end_num + u.start("u"), end_num + u.end("u"), alignment_mode="expand")
                if ptok is not None and len(ptok):  # "35.7 percent of the votes": of what
                    of = _noun_context(ptok[-1])[0]
            elif u and u.group("hy") and u.group("hy").strip() == "-" and word.isalpha():
                # "30-car pileup", "13-hour filibuster": the unit, then the thing it measures
                unit = _UNITS.get(word, word.rstrip("s") if len(word) > 3 else word)
                utok = doc.char_span(end_num + u.start("u"), end_num + u.end("u"), alignment_mode="expand")
                if utok is not None and len(utok):
                    h = utok[-1].head
                    while h.head.i != h.i and h.pos_ not in ("NOUN", "PROPN"):
                        h = h.head
                    head = h
                    if h.pos_ in ("NOUN", "PROPN") and h.i != utok[-1].i:
                        of, mods = h.lemma_.lower(), _noun_context(h)[1]
            elif word in _UNITS and not (word == "in." and u.group("hy")):
                unit = _UNITS[word]
            elif tok.dep_ in ("nummod", "quantmod") and tok.head.pos_ in ("NOUN", "PROPN"):
                head = tok.head
                lemma = head.lemma_.lower()
                unit = _UNITS.get(lemma, lemma)
                of, mods = _noun_context(head)
            elif tok.pos_ == "NUM" and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj", "attr", "appos"):
                of_child = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
                objs = [g for c in of_child for g in c.children if g.dep_ == "pobj"]
                if objs:  # "two of the gunmen"
                    head = objs[0]
                    unit = _UNITS.get(head.lemma_.lower(), head.lemma_.lower())
                    mods = _noun_context(head)[1]
                elif tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in VICTIM_VERBS:
                    unit = "person"  # "an explosion killed two"
        mods = frozenset(x for x in mods if x not in _UNITS and x != unit)
        if unit and not cur:
            rate = _RATE_AFTER.match(after[len(u.group(0)) if u and unit in _UNITS.values() else 0 :])
            if rate and unit != "person":
                unit += " per " + rate.group(1).lower()  # "2-3 inches an hour"
            rest = after[len(u.group(0)) if u else 0 :]
            dim = _DIMENSION_AFTER.match(rest)
            if dim and not of:
                of = (dim.group(1) or dim.group(2)).lower()  # "16 meters in size", "26,000 feet high"
            ref = _FROM_AFTER.match(rest) if unit in DISTANCES else None
            if ref and not of:
                of = "from " + ref.group(1).lower()  # "1,589 miles southwest of Perth"
        if unit and _per_each(doc, tok, after):
            unit += " each"  # "$3,000 each", "each person will receive $1.84 million": not a total
        if not unit or unit in VAGUE_UNITS:
            continue
        if unit in _DURATION_UNITS and _RELATIVE_AFTER.match(after):
            continue  # "three days later": a date expression, not a count
        hedge = hedge_before(text, s)
        lo_v = value
        hi_v = parse_number(hi_num, scale) if hi_num else value
        if hi_v is None or hi_v < value:
            continue  # "a 5-4 vote", "won 35-31": a score, not a range
        if hi_num and scale and not m.group("scale"):
            lo_v = parse_number(num_text, scale) or value  # "$300-$400 billion": both in billions
        lo_end = interval(lo_v, hedge, step(num_text, m.group("scale") or scale), "." in num_text or bool(scale))
        lo1, hi1 = lo_end
        ends = None
        if hi_num:  # a range: each end as written, a hedge before it widens the low end only
            hi_end = interval(hi_v, None, step(hi_num, scale), "." in hi_num or bool(scale))
            hi1 = hi_end[1]
            ends = (lo_end, hi_end)
        verb = _verb_of(head if head is not None else tok)
        label = ""
        if head is not None and unit not in MEASURES and head.lemma_.lower() == unit:
            words = [c.text for c in head.lefts if c.dep_ in ("amod", "compound") and c.lemma_.lower() in mods]
            label = " ".join(words + [head.text])
        q = Quantity(lo1, hi1, text[s:end_num], unit, s, end_num, of=of, mods=mods, verb=verb, label=label)
        q.where = _where(doc, head if head is not None else tok)
        q.values = (lo_v, hi_v) if hi_num else (value,)
        q.ends = ends
        found.append(q)
    # a conversion in brackets, "8,027-meter (26,330-foot)", measures what the number before it measures
    for a, b in zip(found, found[1:]):
        if _in_parens(text, b.start, a.end) and not b.of:
            b.of, b.mods, b.verb = a.of, a.mods, a.verb
    return found


MEASURES = {"meter", "kilometer", "foot", "mile", "inch", "hour", "minute", "kilogram", "pound", "mph", "percent"}


MEASURES |= {"dollar", "pound sterling", "euro", "dollar per year", "year", "month", "week", "day"}
