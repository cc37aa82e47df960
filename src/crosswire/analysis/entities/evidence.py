"""Evidence from the text around a name for what kind of thing it names, used to repair the
tagger's type across the whole story (step 3 of ``entities``).

- Idioms: "Pandora's box", "Achilles' heel", "a Trojan horse", "crossed the Rubicon" name no
  one; such mentions are dropped before clustering.
- Places: "flew to Kyiv", "residents of Kyiv", "Kyiv's mayor", "Kyiv-based", "the city of Kyiv"
  (strong: what only a place has), "in Kyiv" (weak: "confidence in Scholz" is excluded, but "an
  ally in Scholz" remains possible, so ``entities`` wants weak evidence on at least half of a
  name's mentions), or the name is in the packaged list of countries and capitals
  (``places.PLACES``).
- Parties: "the far-right AfD", "AfD lawmakers", "the AfD party", or one of the generic names
  of party families ("the Greens", "the Social Democrats").
- People: an honorific right before a mention ("Mr Jordan") or an age right after it ("Jordan,
  34,"); titles and full names are found by ``entities`` itself.
"""

from __future__ import annotations

import re

from crosswire.analysis.entities.places import PLACES

_POSS = r"(?:['’]s?)"

# name -> (pattern right before the name, pattern right after it); either may be empty
_IDIOMS: dict[str, tuple[str, str]] = {
    "Pandora": ("", rf"^{_POSS}\s+box"),
    "Achilles": ("", rf"^{_POSS}?\s+heels?\b"),
    "Hobson": ("", rf"^{_POSS}\s+choice"),
    "Sophie": ("", rf"^{_POSS}\s+choice"),
    "Murphy": ("", rf"^{_POSS}\s+law"),
    "Occam": ("", rf"^{_POSS}\s+razor"),
    "Ockham": ("", rf"^{_POSS}\s+razor"),
    "Pavlov": ("", rf"^{_POSS}\s+dogs?"),
    "Frankenstein": ("", rf"^{_POSS}\s+monster"),
    "Midas": ("", r"^\s+touch"),
    "Trojan": ("", r"^\s+horses?"),
    "Potemkin": ("", r"^\s+villages?"),
    "Pyrrhic": ("", r"^\s+victor"),
    "Herculean": ("", r"^\s+(?:task|effort|feat)"),
    "Faustian": ("", r"^\s+(?:bargain|pact|deal)"),
    "Freudian": ("", r"^\s+slip"),
    "Jekyll": ("", r"^\s+and\s+(?:Mr\.?\s+)?Hyde"),
    "Hyde": (r"Jekyll\s+and\s+(?:Mr\.?\s+)?$", ""),
    "Damocles": (r"(?i)\bsword\s+of\s+$", ""),
    "Rubicon": (r"(?i)\bcross(?:es|ed|ing)?\s+the\s+$", ""),
    "Waterloo": (r"(?i)\bmee?ts?\s+(?:his|her|their|its)\s+$", ""),
    "Catch-22": ("", ""),
}


def is_idiom(text: str, start: int, end: int) -> bool:
    """Is the name at text[start:end] part of an idiom ("Pandora" in "Pandora’s box")?"""
    name = re.sub(r"['’]s?$", "", text[start:end]).strip()
    rule = _IDIOMS.get(name)
    if rule is None:
        return False
    before, after = rule
    if before and not re.search(before, text[max(0, start - 30) : start]):
        return False
    tail = text[start + len(name) : start + len(name) + 30]
    return not after or bool(re.search(after, tail))


_PLACE_NOUNS = (
    r"city|town|village|capital|port|region|province|district|suburbs?|outskirts|streets|residents|mayor|"
    r"governor|inhabitants|citizens|people|centre|center"
)
_STRONG_BEFORE = re.compile(rf"(?i)\b(?:{_PLACE_NOUNS})\s+of\s+(?:the\s+)?$")
# going somewhere: a place for people's names, but "moved to Intel", "returned to UNC" are jobs
_MOTION_BEFORE = re.compile(
    r"(?i)(?:\b(?:trip|journey|flight|flights|road|travel)\s+(?:to|from)\s+|"
    r"\b(?:fl[eo]w|flown|flying|fly|travell?(?:ed|ing)|travels?|arrived?|arriving|"
    r"returned|returning|headed|heading|moved|fled|fleeing|evacuated|drove|driving|sailed)\s+(?:back\s+)?"
    r"(?:to|from|in|into)\s+)$"
)
_STRONG_AFTER = re.compile(
    rf"(?i)^(?:{_POSS}\s+(?:mayor|residents|inhabitants|outskirts|suburbs|streets|airport|"
    r"city\s+cent(?:re|er)|old\s+town|port|harbou?r|skyline|districts?)\b)"
)
_WEAK_BEFORE = re.compile(r"(?i)\b(?:in|near|outside|across|throughout|around)\s+(?:central\s+|downtown\s+)?$")
# "confidence in Scholz", "a stake in Tesla": "in" after these names no place
_NOT_PLACE_IN = re.compile(
    r"(?i)\b(?:confidence|trust|faith|interest|belief|believe|believed|stake|stakes|shares|role|part|hand|"
    r"invest(?:ed|ing|ment)?|hope|pride|proud|delight|disappointed|disappointment)\s+in\s+\S*\s*$"
)
_MONTHS_DAYS = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$"
)


# what may follow a whole noun phrase: punctuation, the end, or a word that starts a new phrase
_NP_END = re.compile(
    r"^(?:\s*(?:[,.;:)!?\"'”’]|$)|\s+(?:and|or|but|on|in|at|for|to|from|by|with|where|which|that|who|"
    r"after|before|since|until|as|when|while|last|this|next|early|late|is|are|was|were|has|have|had|"
    r"said|says|will|would|could|\w+ed)\b)"
)


def place_evidence(text: str, start: int, end: int, strict: bool = False) -> str | None:
    """How the text around text[start:end] says it is a place: "strong" ("residents of X", "X's
    mayor"), "motion" ("flew to X", "X-based": a place unless X is an organisation, "Intel-based
    PCs"), "weak" ("in X") or None. A capitalised word right after ("in Hawaiian Gardens") means
    the name is part of a longer one: no evidence. ``strict`` (for a name tagged as a nationality
    or an organisation, "in French territory", "the heart of the SeaMicro system"): only a whole
    noun phrase counts, one followed by punctuation, a function word or a past-tense verb."""
    name = text[start:end]
    before = text[max(0, start - 40) : start]
    after = text[end : end + 30]
    if _STRONG_AFTER.match(after):
        return "strong"
    if _MONTHS_DAYS.match(name) or re.match(_POSS, after):
        return None  # "in May"; "in Scholz's view", "the mayor of Putin's home town"
    if re.match(r"^\s+[A-Z]", after) or (strict and not _NP_END.match(after) and not re.match(r"^-based\b", after)):
        return None  # "in Hawaiian Gardens": the name is part of a longer one, or a modifier
    if _STRONG_BEFORE.search(before):
        return "strong"
    if _MOTION_BEFORE.search(before) or re.match(r"^-based\b", after):
        return "motion"
    if _WEAK_BEFORE.search(before) and not _NOT_PLACE_IN.search(text[max(0, start - 40) : start]):
        return "weak"
    return None


def in_place_list(name: str) -> bool:
    return name in PLACES


_PARTY_BEFORE = re.compile(
    r"(?i)\b(?:far|hard|extreme)[- ](?:right|left)(?:[- ]wing)?\s+(?:populist\s+)?(?:party\s+)?$|"
    r"\b(?:right|left)[- ]wing\s+(?:populist\s+)?(?:party\s+)?$|"
    r"\b(?:cent(?:re|er)[- ](?:right|left)|populist|nationalist|ultranationalist|anti-immigra(?:nt|tion)|"
    r"opposition|ruling|governing|eurosceptic|euroskeptic|socialist|communist)\s+(?:party\s+)?$"
)
_PARTY_AFTER = re.compile(
    rf"^(?:\s+(?:party|parties|lawmakers|MPs|MEPs|faction|bloc|co-leaders?|parliamentarians)\b|"
    rf"{_POSS}\s+(?:co-)?(?:leader|leaders|leadership|chairman|chairwoman|lawmakers|MPs|MEPs|candidates?)\b)"
)
# generic names of party families, used with "the": "the Greens", "the Social Democrats"
PARTY_FAMILIES = frozenset(
    {
        "Greens",
        "Liberals",
        "Conservatives",
        "Democrats",
        "Republicans",
        "Socialists",
        "Tories",
        "Labour",
        "Social Democrats",
        "Christian Democrats",
        "Free Democrats",
        "Liberal Democrats",
        "Lib Dems",
        "Communists",
        "Nationalists",
        "Unionists",
    }
)


def party_evidence(text: str, start: int, end: int) -> bool:
    """Does the text around text[start:end] call it a political party ("the far-right AfD")?"""
    before = re.sub(r"(?i)\bthe\s+$", "", text[max(0, start - 40) : start])
    return bool(_PARTY_BEFORE.search(before) or _PARTY_AFTER.match(text[end : end + 30]))


_HONORIFIC = re.compile(r"(?:\bMr|\bMrs|\bMs|\bDr|\bSir|\bDame|\bMadam)\.?\s+$")
_AGE = re.compile(r"^,\s*(?:aged\s+)?(\d{1,3}),(?!\s*(?:\d|and\b|or\b))")  # not "IE6, 7, and 8"


def person_evidence(text: str, start: int, end: int) -> bool:
    """An honorific right before the name ("Mr Scholz") or an age right after it ("Jordan, 34,")."""
    if _HONORIFIC.search(text[max(0, start - 8) : start]):
        return True
    age = _AGE.match(text[end : end + 12])
    return age is not None and 0 < int(age.group(1)) < 120
