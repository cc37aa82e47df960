"""A sentence's counted things and their values ("153 Chinese passengers" -> {"passenger": {153}}), and
whether two sentences give different values for one of them: the grouping never puts two such sentences
in one group (``facts.blocked_pairs``).

The conflicts stage reads quantities with more context (``number_phrases``); this is the cheap check the
grouping runs on every candidate pair.
"""

from __future__ import annotations

import re

from crosswire.text import MONTHS

# A number and what it counts: "3000 block", "153 Chinese passengers", "$3,000", "16 meters", "Johnson, 24,".
_TOKEN = re.compile(r"[$€£]?\d[\d,]*(?:\.\d+)?%?|[A-Za-z]+(?:\.[a-z]\.)?|[^\sA-Za-z\d]")
_AGE = re.compile(r"\b(?P<name>[A-Z][a-z]+),\s+(?P<age>\d{1,3})(?=[,;)]|\s+(?:and|was|were|is)\b)")
_NOT_UNITS = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "to",
    "in",
    "on",
    "at",
    "for",
    "by",
    "with",
    "from",
    "as",
    "about",
    "than",
    "that",
    "who",
    "which",
    "was",
    "were",
    "is",
    "are",
    "had",
    "has",
    "have",
    "after",
    "before",
    "when",
    "a.m.",
    "p.m.",
    "am",
    "pm",
    "percent",
    "th",
    "st",
    "nd",
    "rd",
    "times",
    "years",
    "year",
    "ago",
}
_SCALE = {"million": 1e6, "billion": 1e9, "trillion": 1e12, "thousand": 1e3}


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def quantities(text: str) -> dict[str, set[float]]:
    """What the text counts and the values it gives: {"block": {3000.0}, "age:johnson": {24.0}, "$": {3000.0}}.

    Years, days of the month and clock times are not quantities here (dates are compared elsewhere)."""
    out: dict[str, set[float]] = {}
    for m in _AGE.finditer(text):
        out.setdefault(f"age:{m.group('name').lower()}", set()).add(float(m.group("age")))
    toks = _TOKEN.findall(text)
    for k, tok in enumerate(toks):
        if not tok[-1:].isdigit() and not tok.endswith("%"):
            continue
        prev = toks[k - 1].lower().rstrip(".") if k else ""
        if prev in MONTHS:
            continue
        cur = tok[0] if tok[0] in "$€£" else ""
        raw = tok.lstrip("$€£").rstrip("%").replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        nxt = toks[k + 1] if k + 1 < len(toks) else ""
        if nxt.lower() in _SCALE:
            value *= _SCALE[nxt.lower()]
            k += 1
            nxt = toks[k + 1] if k + 1 < len(toks) else ""
        if cur:
            key = cur
        elif tok.endswith("%") or nxt.lower() in ("%", "percent"):
            key = "%"
        else:
            if "." not in raw and 1900 <= value <= 2100:
                continue  # a year
            word = nxt
            if word[:1].isupper() and k + 2 < len(toks) and toks[k + 2][:1].islower():
                word = toks[k + 2]  # "153 Chinese passengers" counts passengers
            word = word.lower()
            if not word.isalpha() or word in _NOT_UNITS or word in MONTHS:
                continue
            key = _singular(word)
        out.setdefault(key, set()).add(value)
    return out


def values_conflict(a: dict[str, set[float]], b: dict[str, set[float]]) -> bool:
    """The two texts give different values for the same counted thing (and no common one)."""
    return any(not (a[k] & b[k]) for k in a.keys() & b.keys())
