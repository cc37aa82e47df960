"""Titles and roles around names: "German Chancellor Olaf Scholz", "Dmitry Peskov, Putin's
spokesman", and bare role descriptions ("the chancellor", "the head of the Russian state").

Works on spaCy tokens; every result is a character span into the article's cleaned text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Nouns that make a phrase a person's title or role.
PERSON_TITLES = {
    "chancellor",
    "president",
    "minister",
    "premier",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "secretary",
    "leader",
    "head",
    "ambassador",
    "general",
    "commander",
    "chief",
    "mayor",
    "governor",
    "senator",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "envoy",
    "adviser",
    "advisor",
    "aide",
    "director",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "officer",
    "judge",
    "prosecutor",
    "attorney",
    "lawyer",
    "diplomat",
    "representative",
    "lawmaker",
    "monarch",
    "emir",
    "sheikh",
    "colonel",
    "lieutenant",
    "sergeant",
    "captain",
    "admiral",
    "marshal",
    "coach",
    "founder",
    "editor",
    "correspondent",
    "economist",
    "analyst",
    "professor",
    "pontiff",
    "dictator",
    "negotiator",
    "counterpart",
    "vice-president",
    "vice-chancellor",
}
# Titles of whoever leads a country: "the German leader", "the head of the Russian state".
LEADER_TITLES = {"chancellor", "president", "premier", "prime minister", "king", "queen", "emir", "monarch"}
GENERIC_LEADER = {"leader", "head", "chief", "head of state", "head of government"}
# Nouns that make a phrase an organisation's description: "the German newspaper Zeit".
ORG_TITLES = {
    "newspaper",
    "broadcaster",
    "agency",
    "daily",
    "magazine",
    "channel",
    "network",
    "company",
    "party",
    "group",
    "firm",
    "outlet",
    "paper",
    "weekly",
    "tabloid",
    "bank",
    "ministry",
    "office",
}
HONORIFICS = {
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "sir",
    "dame",
    "lord",
    "lady",
    "sgt",
    "sgt.",
    "lt",
    "lt.",
    "gen.",
    "gov.",
    "sen.",
    "rep.",
    "col.",
    "capt.",
    "cpl.",
    "det.",
    "insp.",
    "prof.",
    "rev.",
    "fr.",
}
_MOD_DEPS = {"compound", "amod", "poss", "case", "nmod", "nummod"}
_POSS = {"'s", "’s", "'", "’"}


@dataclass(slots=True)
class RoleSpan:
    start: int  # character offsets into the text
    end: int
    text: str
    head: str  # the title noun, lower case ("chancellor", "prime minister", "newspaper")
    kind: str  # "person" | "org"


def _head_of(words: list[str]) -> tuple[str, str] | None:
    """The title noun of a phrase (last matching word; "prime minister" kept as one)."""
    low = [w.lower().strip(".") for w in words]
    for i in range(len(low) - 1, -1, -1):
        w = low[i]
        if w in PERSON_TITLES:
            if w == "minister" and i > 0 and low[i - 1] == "prime":
                return "prime minister", "person"
            return w, "person"
        if w in ORG_TITLES:
            return w, "org"
    return None


def _modifier(tok) -> bool:
    if "\n" in tok.whitespace_ or tok.is_punct and tok.text not in ("-",) or tok.like_num:
        return False
    if tok.lower_ in ("the", "a", "an", "and", "or", "of", "with", "to", "by", "from", "as"):
        return False
    if tok.text in _POSS or tok.text == "-":
        return True
    if tok.lower_.strip(".") in PERSON_TITLES or tok.lower_ in ORG_TITLES or tok.lower_ in HONORIFICS:
        return True
    if tok.ent_type_ in ("NORP", "GPE", "ORG", "LOC"):
        return True
    if tok.pos_ in ("ADJ", "PROPN"):
        return True
    return tok.pos_ == "NOUN" and tok.dep_ in _MOD_DEPS


def title_before(doc, start_tok: int) -> RoleSpan | None:
    """The title phrase right before a name that starts at token ``start_tok``."""
    j = start_tok
    while j > 0 and _modifier(doc[j - 1]) and "\n" not in doc[j - 1].whitespace_:
        j -= 1
        if start_tok - j >= 7:
            break
    # never start on a possessive marker or hyphen
    while j < start_tok and (doc[j].text in _POSS or doc[j].text == "-"):
        j += 1
    if j >= start_tok:
        return None
    words = [t.text for t in doc[j:start_tok]]
    head = _head_of(words)
    if head is None:
        # honorifics are not roles; the name just follows them
        return None
    # the title noun must be the last word, or followed only by honorifics: "Chancellor Scholz"
    last = start_tok - 1
    while last > j and doc[last].lower_ in HONORIFICS:
        last -= 1
    if _head_of([doc[last].text]) is None:
        return None
    span = doc[j : last + 1]
    return RoleSpan(span.start_char, span.end_char, span.text, head[0], head[1])


def title_after(doc, end_tok: int) -> RoleSpan | None:
    """An appositive title: "Dmitry Peskov, the Kremlin spokesman, said" -> "the Kremlin spokesman"."""
    if end_tok >= len(doc) - 2 or doc[end_tok].text != ",":
        return None
    k = end_tok + 1
    first = k
    if doc[k].lower_ in ("the", "a", "an"):
        k += 1
    stop = min(len(doc), k + 7)
    j = k
    while j < stop and _modifier(doc[j]) and doc[j].text != ",":
        j += 1
    if j >= len(doc) or doc[j].text not in (",", ".", ";") or j == k:
        return None
    words = [t.text for t in doc[k:j]]
    head = _head_of(words)
    if head is None or _head_of([doc[j - 1].text]) is None:
        return None
    span = doc[first:j]
    return RoleSpan(span.start_char, span.end_char, span.text, head[0], head[1])


_DESC = re.compile(
    r"\b(?P<det>[Tt]he|[Tt]his|[Tt]hat)\s+(?P<phrase>(?:(?:[A-Z][\w’'-]*|former|then|new|top|foreign|defence|defense|interior|finance|deputy|acting|senior)\s+){0,3}"
    r"(?P<head>chancellor|president|prime\s+minister|premier|foreign\s+minister|spokesperson|spokesman|spokeswoman|"
    r"leader|head\s+of\s+(?:the\s+)?(?:[A-Z]\w+\s+)?(?:state|government)|minister|secretary|ambassador|envoy|"
    r"Chancellor|President|Prime\s+Minister|Premier|Foreign\s+Minister|Spokesperson|Spokesman|Leader|Minister))"
    r"(?![\w-])(?!\s+[A-Z][a-z])",
)
_HEAD_OF = re.compile(r"(?i)head\s+of\s+(?:the\s+)?(?:(?P<nat>[A-Z]\w+)\s+)?(?P<what>state|government)")


@dataclass(slots=True)
class Description:
    start: int
    end: int
    text: str
    title: str  # lower-case title without nationality: "chancellor", "foreign minister", "leader"
    nat: str | None  # nationality/organisation word: "german", "russian", "kremlin"


def descriptions(text: str) -> list[Description]:
    """Bare role mentions not followed by a name: "the chancellor", "the German leader"."""
    out = []
    for m in _DESC.finditer(text):
        phrase = m.group("phrase")
        phrase.split()
        nat = None
        hm = _HEAD_OF.search(phrase)
        if hm:
            title = "head of " + hm.group("what")
            nat = hm.group("nat")
            pre = phrase[: hm.start()].split()
        else:
            head = m.group("head")
            title = re.sub(r"\s+", " ", head.lower())
            pre = phrase[: m.start("head") - m.start("phrase")].split()
        mods = [w for w in pre if w.lower() not in ("former", "then", "new", "top", "acting", "senior")]
        lowmods = [w.lower() for w in mods]
        # lower-case office words belong to the title: "foreign minister"
        for w in list(lowmods):
            if w in ("foreign", "defence", "defense", "interior", "finance", "deputy"):
                title = f"{w} {title}"
                lowmods.remove(w)
        caps = [
            w
            for w in mods
            if w[:1].isupper() and w.lower() not in ("foreign", "defence", "defense", "interior", "finance", "deputy")
        ]
        if caps and nat is None:
            nat = caps[0]
        s = m.start("phrase")
        out.append(Description(s, m.end(), text[s : m.end()], title, norm_nat(nat) if nat else None))
    return out


def norm_nat(word: str) -> str:
    """A comparable stem of a nationality or place word: German/Germany -> "germ"."""
    w = word.lower().replace("’s", "").replace("'s", "").strip(".")
    return w[:4]


def role_title_and_nats(role_text: str) -> tuple[str, set[str]]:
    """("German Foreign Minister") -> ("foreign minister", {"germ"})."""
    words = re.sub(r"[’']s\b", "", role_text).split()
    low = [w.lower().strip("’'.,") for w in words]
    title_words: list[str] = []
    nats: set[str] = set()
    for w, lw in zip(words, low):
        if (
            lw in PERSON_TITLES
            or lw in ORG_TITLES
            or lw in ("prime", "foreign", "defence", "defense", "interior", "finance", "deputy", "vice")
        ):
            title_words.append(lw)
        elif w[:1].isupper() and lw not in ("the", "a"):
            nats.add(norm_nat(w))
    return " ".join(title_words), nats
