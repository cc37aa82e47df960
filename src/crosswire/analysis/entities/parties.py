"""What kind of speaker a source phrase names, and whether it can be a party.

A party is the person or body whose words or position a statement is: "Dmitry Peskov", "the
Kremlin", "police", "the chancellor's office". It is never

- an outlet ("The New York Times", "Reuters", the story's own outlets),
- a document or a medium ("the indictment", "a report", "court documents", "a statement"),
- a pronoun left unresolved ("he", "they", "who"), or
- a fragment ("Any comments?", "said", "this finding").

An anonymous source ("a White House official", "government sources", "one insider") is a speaker
but not a party: nobody can be held to the words.

``speaker_kind`` gives one of ``KINDS``; ``is_party`` is the single check that quotes, claims and
compare use. Nothing here knows the story's names: ``outlets`` and the resolved entity's type are
passed in.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from crosswire.analysis.entities.roles import ORG_TITLES, PERSON_TITLES

PERSON, ORGANISATION, NAMED, ANONYMOUS, DOCUMENT, OUTLET, UNKNOWN = (
    "person",
    "organisation",
    "named",  # a name of a person or a body, which of the two is not known
    "anonymous",
    "document",
    "outlet",
    "unknown",
)
KINDS = (PERSON, ORGANISATION, NAMED, ANONYMOUS, DOCUMENT, OUTLET, UNKNOWN)
PARTY_KINDS = (PERSON, ORGANISATION, NAMED)
PARTY_ENTITY_TYPES = {"PERSON": PERSON, "ORG": ORGANISATION, "GPE": ORGANISATION, "NORP": ORGANISATION}
MAX_PARTY_WORDS = 8  # a longer source phrase is a misparse or a description, not a name

PRONOUNS = {
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "him",
    "her",
    "them",
    "us",
    "me",
    "his",
    "hers",
    "its",
    "their",
    "our",
    "who",
    "whom",
    "which",
    "that",
    "this",
    "these",
    "those",
    "one",
    "someone",
    "somebody",
    "anyone",
    "everyone",
    "nobody",
    "people",
}
# the head noun of a phrase that is a text, a recording or a medium, not somebody
DOCUMENTS = {
    "document",
    "documents",
    "report",
    "reports",
    "reporting",
    "indictment",
    "complaint",
    "record",
    "records",
    "filing",
    "filings",
    "affidavit",
    "study",
    "studies",
    "poll",
    "polls",
    "survey",
    "letter",
    "memo",
    "release",
    "statement",
    "statements",
    "transcript",
    "recording",
    "tape",
    "video",
    "footage",
    "data",
    "figures",
    "statistics",
    "article",
    "story",
    "research",
    "analysis",
    "ruling",
    "order",
    "warrant",
    "lawsuit",
    "suit",
    "motion",
    "petition",
    "email",
    "emails",
    "message",
    "post",
    "tweet",
    "tweets",
    "website",
    "page",
    "book",
    "film",
    "ad",
    "advertisement",
    "photo",
    "headline",
    "slide",
    "chart",
    "finding",
    "findings",
    "estimate",
    "estimates",
    "projection",
    "bill",
    "law",
    "text",
    "note",
    "notice",
    "submission",
    "brief",
    "decision",
    "verdict",
    "account",
    "version",
    "interview",
    "broadcast",
    "communique",
    "readout",
}
# nouns naming somebody without saying who: "a White House official", "government sources"
ANONYMOUS_HEADS = {
    "source",
    "sources",
    "official",
    "officials",
    "insider",
    "insiders",
    "person",
    "people",
    "aide",
    "aides",
    "diplomat",
    "diplomats",
    "observer",
    "observers",
    "member",
    "members",
    "staffer",
    "staffers",
    "employee",
    "employees",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "representative",
    "representatives",
    "someone",
    "somebody",
    "witness",
    "witnesses",
    "analyst",
    "analysts",
    "expert",
    "experts",
    "critic",
    "critics",
    "resident",
    "residents",
}
_INDEFINITE = re.compile(
    r"^(?:a|an|one|some|several|two|three|four|five|many|few|a few|unnamed|anonymous|other|another|"
    r"senior|two senior|one senior)\b",
    re.IGNORECASE,
)
# outlets by the words their names are made of; "state television" speaks for a state, so it is a body
_MEDIA = re.compile(
    r"\b(?:times|post|journal|newspaper|newspapers|magazine|reuters|associated press|ap|afp|dpa|tass|ria novosti|"
    r"interfax|cnn|bbc|fox news|nbc|abc|cbs|msnbc|npr|bloomberg|politico|axios|breitbart|tribune|herald|gazette|"
    r"chronicle|daily|wire|network|outlet|outlets|blog|tabloid|broadcaster|news agency|media|press agency)\b",
    re.IGNORECASE,
)
_STATE_MEDIA = re.compile(
    r"\bstate(?:-run| run|-owned)?\s+(?:media|television|tv|radio|news agency|broadcaster)\b", re.I
)
_FUNCTION_START = re.compile(
    r"^(?:any|what|which|how|why|when|where|there|if|and|but|or|so|said|says|says|told|according|as|than|because)\b",
    re.IGNORECASE,
)
_DETS = re.compile(r"^(?:the|a|an|his|her|its|their|our|my|your)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")


_CUT_WORDS = {"of", "at", "from", "for", "in", "with", "who", "which", "that", "citing", "quoting", "by", "on"}


def _head(words: list[str]) -> str:
    """The head noun of a source phrase: its last word, or the word before "of" ("the head of state" ->
    "head"), or before a comma or a relative clause ("The authors of the report, which ..." -> "authors")."""
    for k, w in enumerate(words):
        if w.lower() in _CUT_WORDS and k > 0:
            words = words[:k]
            break
    return _POSSESSIVE.sub("", words[-1].strip(".,;:\"'”’“")).lower() if words else ""


def speaker_kind(
    text: str | None, outlets: Collection[str] = (), *, entity_type: str | None = None, resolved: bool = False
) -> str:
    """The kind of speaker ``text`` names (one of ``KINDS``).

    ``entity_type``: the type of the story entity the phrase was resolved to, when it was
    ("PERSON", "ORG", "GPE", "NORP", ...); ``resolved``: the phrase is a pronoun or a title that
    was resolved to that entity, so its own words ("he", "the chancellor") do not count against it.
    ``outlets``: the names of the story's outlets (an outlet is never a party, even when resolved)."""
    if not text or not text.strip():
        return UNKNOWN
    t = re.sub(r"\s+", " ", text.strip().strip("“”\"'‘’,;:"))
    low = t.lower()
    if low in {o.lower() for o in outlets if o} or _DETS.sub("", low) in {o.lower() for o in outlets if o}:
        return OUTLET
    if "?" in t or not re.search(r"[A-Za-z]{2}", t):
        return UNKNOWN
    words = t.split()
    bare = _DETS.sub("", t).split() or words
    head = _head(bare)
    if head in DOCUMENTS:
        return DOCUMENT
    if _MEDIA.search(t) and not _STATE_MEDIA.search(t) and not (entity_type and resolved):
        return OUTLET
    if resolved and entity_type in PARTY_ENTITY_TYPES:
        return PARTY_ENTITY_TYPES[entity_type]
    if _STATE_MEDIA.search(t) and len(words) <= MAX_PARTY_WORDS:
        return ORGANISATION  # "state television", "Russian state media": they speak for a state
    if low in PRONOUNS or _FUNCTION_START.match(t) or len(words) > MAX_PARTY_WORDS:
        return UNKNOWN
    if head in ANONYMOUS_HEADS and (_INDEFINITE.match(t) or head.endswith("s") and not _DETS.match(t)):
        return ANONYMOUS  # "a White House official", "government sources"; not "the Kremlin spokesman"
    if entity_type is not None:
        return PARTY_ENTITY_TYPES.get(entity_type, UNKNOWN)
    # a capital after "the" names a body ("the Pentagon", "the FBI"); "The deal" keeps its noun lower-case
    named = any(w[:1].isupper() for w in bare)
    if not named and head not in _BODIES | _PERSON_NOUNS | ORG_TITLES:
        return UNKNOWN  # lower-case words that name nobody: "deal", "a problem", "the idea"
    if head in _PERSON_NOUNS:
        return PERSON
    return ORGANISATION if not named or head in _BODIES | ORG_TITLES else NAMED


# lower-case words that name somebody on their own: "police said", "prosecutors say"
_BODIES = {
    "police",
    "prosecutors",
    "investigators",
    "authorities",
    "officials",
    "lawmakers",
    "legislators",
    "regulators",
    "democrats",
    "republicans",
    "government",
    "army",
    "military",
    "paramedics",
    "firefighters",
    "doctors",
    "scientists",
    "researchers",
    "protesters",
    "activists",
    "voters",
    "residents",
    "troops",
    "rebels",
    "militants",
    "judges",
    "senators",
    "ministers",
    "campaign",
    "team",
    "committee",
    "administration",
    "court",
    "council",
    "board",
    "panel",
    "commission",
    "union",
    "federation",
    "coalition",
    "alliance",
    "organization",
    "organisation",
    "foundation",
    "institute",
    "department",
    "service",
    "bureau",
    "state",
    "states",
    "city",
    "county",
    "family",
    "officers",
    "leaders",
    "members",
    "critics",
    "experts",
    "analysts",
    "supporters",
    "opponents",
    "allies",
    "senate",
    "house",
    "congress",
    "parliament",
    "cabinet",
    "kremlin",
    "white",
}
# nouns that name a person beside the titles (roles.PERSON_TITLES): "the spokesman", "the suspect"
_PERSON_NOUNS = PERSON_TITLES | {
    "anchor",
    "author",
    "businessman",
    "businesswoman",
    "candidate",
    "commissioner",
    "congressman",
    "congresswoman",
    "host",
    "nominee",
    "official",
    "writer",
}


def is_person_title(word: str) -> bool:
    """A noun that names one person by office or description: "chancellor", "nominee", "businessman"."""
    return word.lower() in _PERSON_NOUNS


def is_party(
    text: str | None, outlets: Collection[str] = (), *, entity_type: str | None = None, resolved: bool = False
) -> bool:
    """True when ``text`` names a person or body that can hold a position (see the module doc).

    The one check for quotes, claims and compare: ``is_party("the indictment")``, ``is_party("he")``,
    ``is_party("The New York Times")``, ``is_party("a White House official")`` are False;
    ``is_party("Dmitry Peskov")``, ``is_party("police")``, ``is_party("he", entity_type="PERSON",
    resolved=True)`` are True."""
    return speaker_kind(text, outlets, entity_type=entity_type, resolved=resolved) in PARTY_KINDS
