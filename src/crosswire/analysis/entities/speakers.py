"""Who is speaking: a source phrase ("he", "the chancellor", "Scholz", "a White House official")
resolved to the story's entity, with the kind of speaker it is (``parties.KINDS``).

Order of evidence for a source span:
1. a phrase that names a document, an outlet or an anonymous source ("the indictment",
   "Reuters", "a White House official") is never resolved to a person: it keeps its words and
   its kind;
2. a name: the entity resolver of the entities component (``entity_at``), on the named entity
   that heads the span (last first: "Kremlin spokesperson Dmitry Peskov" -> Peskov), then on its
   head word, then the story entities' own mentions that overlap the head;
3. a title or description ("the chancellor", "the GOP nominee", "the Indiana governor"): a
   mention the entities component resolved there, else the one person of the story holding that
   role, else the person who is the subject of this sentence or the ones before;
4. a personal pronoun: "he"/"she" -> the nearest person named as a subject before it in this
   or the three sentences before (of the pronoun's gender when the story shows it), else the
   previous person speaker of the article; "they"/"it" -> the nearest organisation or group.
A possessive organisation ("the chancellor's office") is a party of its own and is not folded
into its owner; it keeps its words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from crosswire.analysis.entities import parties

PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"they", "them", "it"}
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | {"i", "we", "you", "me", "us"}
_FEMALE = {"she", "her", "hers", "herself", "mrs.", "mrs", "ms.", "ms", "madam", "woman", "mother", "wife"}
_MALE = {"he", "him", "his", "himself", "mr.", "mr", "sir", "man", "father", "husband"}
_MALE_PRONOUNS = {"he", "him", "his", "himself"}
_FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
_DETS = ("the ", "a ", "an ")
_PARTY_HEADS = {
    "office",
    "service",
    "ministry",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "press",
    "government",
    "sources",
    "source",
    "officials",
    "statement",
    "agency",
    "department",
    "campaign",
    "team",
    "lawyer",
    "lawyers",
    "attorney",
    "attorneys",
}
SENTENCES_BACK = 3


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved source: ``name`` is the entity's name when resolved, else the words as written."""

    name: str
    entity: str | None
    kind: str  # one of parties.KINDS


def _strip_det(text: str) -> str:
    low = text.lower().strip()
    for d in _DETS:
        if low.startswith(d):
            return low[len(d) :]
    return low


def _indefinite(span) -> bool:
    """ "A German government spokesperson", "one official", "sources": nobody in particular."""
    if span is None or not len(span):
        return False
    if span[0].lower_ in ("a", "an", "one", "some", "several", "two", "three", "many"):
        return True
    return span.root.tag_ == "NNS" and span.root.pos_ != "PROPN" and not span.ents


def _description(span) -> bool:
    """A title or description with no name in it: "the chancellor", "The GOP nominee"."""
    if span is None or not len(span) or span[0].lower_ not in ("the", "this", "that"):
        return False
    root = span.root
    return root.pos_ == "NOUN" and not any(t.pos_ == "PROPN" and t.ent_type_ == "PERSON" for t in span)


class SpeakerResolver:
    """Resolves the sources of one story's articles, in text order (it remembers each article's last
    person speaker, for "he added")."""

    def __init__(self, story, entity_at: Callable | None, outlets: Collection[str] = ()):
        self.entity_at = entity_at if callable(entity_at) else None
        self.entities = {e.id: e for e in story.entities}
        self.outlets = {o for o in outlets if o}
        self.last_person: dict[str, str] = {}  # article id -> entity id of the last person speaker
        self._gender = self._genders()
        self._read: set[str] = set()  # articles whose pronouns were counted (``_learn_genders``)

    def name_of(self, entity_id: str | None) -> str | None:
        e = self.entities.get(entity_id or "")
        return e.name if e else None

    def _genders(self) -> dict[str, str]:
        """Entity id -> "f" / "m" where the story shows it: an honorific ("Mrs. Clinton") before a
        mention, or a role word ("his wife", "the mother")."""
        out: dict[str, str] = {}
        for e in self.entities.values():
            if e.type != "PERSON":
                continue
            votes = 0
            for r in e.roles:
                words = set(r.text.lower().split())
                votes += len(words & _FEMALE) - len(words & _MALE)
            for a in e.aliases + [e.name]:
                first = a.split()[0].lower() if a.split() else ""
                votes += (first in _FEMALE) - (first in _MALE)
            if votes:
                out[e.id] = "f" if votes > 0 else "m"
        return out

    def _learn_genders(self, article_id: str, doc) -> None:
        """Genders the honorifics left open, from the article's own pronouns: in a sentence naming one
        person of the story, "he"/"his" outside quotation marks vote male and "she"/"her" female; a
        person whose votes lean two to one gets that gender."""
        if article_id in self._read:
            return
        self._read.add(article_id)
        spans = [
            (m.span.start, m.span.end, e.id)
            for e in self.entities.values()
            if e.type == "PERSON" and e.id not in self._gender
            for m in e.mentions
            if m.span.article == article_id
        ]
        if not spans:
            return
        votes: dict[str, list[int]] = {}
        for sent in doc.sents:
            named = {eid for s, e, eid in spans if sent.start_char <= s < sent.end_char}
            if len(named) != 1:
                continue
            counts = votes.setdefault(named.pop(), [0, 0])
            quoted = False
            for tok in sent:
                if tok.text in ('"', "“", "”"):
                    quoted = tok.text != "”" and not (tok.text == '"' and quoted)
                    continue
                if quoted:
                    continue
                low = tok.lower_
                counts[0] += low in _MALE_PRONOUNS
                counts[1] += low in _FEMALE_PRONOUNS
        for eid, (m, f) in votes.items():
            if m >= 1 and m >= 2 * f:
                self._gender[eid] = "m"
            elif f >= 1 and f >= 2 * m:
                self._gender[eid] = "f"

    def _ask(self, article_id: str, start: int, end: int) -> str | None:
        if not self.entity_at:
            return None
        try:
            return self.entity_at(article_id, start, end)
        except Exception:  # a resolver bug must not lose the quote
            return None

    def _by_mentions(self, article_id: str, start: int, end: int) -> str | None:
        best, best_len = None, 0
        for e in self.entities.values():
            for m in e.mentions:
                sp = m.span
                if sp.article == article_id and sp.start < end and start < sp.end:
                    overlap = min(end, sp.end) - max(start, sp.start)
                    if overlap > best_len:
                        best, best_len = e.id, overlap
        return best

    def _entity_of_token(self, article_id: str, tok) -> str | None:
        s, e = tok.idx, tok.idx + len(tok.text)
        return self._ask(article_id, s, e) or self._by_mentions(article_id, s, e)

    def _subject_before(self, article_id: str, doc, start: int, want: str, gender: str | None = None) -> str | None:
        """The nearest entity of type ``want`` ("person" or "group") named as a subject before ``start``,
        within its sentence and the ``SENTENCES_BACK`` before; of ``gender`` when known for both."""
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        if span is None or not len(span):
            return None
        lo = span[0].sent.start
        for _ in range(SENTENCES_BACK):
            if lo > 0:
                lo = doc[lo - 1].sent.start
        for i in range(span[0].i - 1, lo - 1, -1):
            tok = doc[i]
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ not in ("PROPN", "NOUN"):
                continue
            ent = self.entities.get(self._entity_of_token(article_id, tok) or "")
            if ent is None:
                continue
            if want == "person" and ent.type == "PERSON":
                g = self._gender.get(ent.id)
                if gender is None or g is None or g == gender:
                    return ent.id
            elif want == "group" and ent.type in ("ORG", "NORP", "GPE"):
                return ent.id
        return None

    def _by_role(self, text: str, article_id: str) -> str | None:
        """The one person of the story whose titles hold the description's head noun (and its other
        words when they are titles too): "the GOP nominee" -> the person titled "Republican nominee"."""
        words = [w.strip(".,") for w in _strip_det(text).replace("’s", "").replace("'s", "").split()]
        if not words or len(words) > 5:
            return None
        head = words[-1]
        counts: dict[str, int] = {}
        for e in self.entities.values():
            if e.type != "PERSON":
                continue
            for r in e.roles:
                if head in r.text.lower().split():
                    counts[e.id] = sum(1 for m in e.mentions if m.span.article == article_id) + len(e.mentions)
        if len(counts) == 1:
            return next(iter(counts))
        if len(counts) > 1:
            ranked = sorted(counts.items(), key=lambda kv: -kv[1])
            if ranked[0][1] >= 2 * ranked[1][1]:
                return ranked[0][0]
        return None

    def _pronoun(self, article_id: str, doc, start: int, end: int, low: str) -> str | None:
        if low in PERSON_PRONOUNS:
            gender = "f" if low in ("she", "her") else "m"
            found = self._subject_before(article_id, doc, start, "person", gender)
            if found is None:
                last = self.last_person.get(article_id)
                if last and self._gender.get(last, gender) == gender:
                    found = last
            return found or self._ask(article_id, start, end)
        if low in GROUP_PRONOUNS:
            return self._subject_before(article_id, doc, start, "group")
        return None

    def _title(self, article_id: str, doc, span, surface: str) -> str | None:
        """A description ("the Indiana governor", "The GOP nominee"): what the entities component found
        there, when it fits the head (a person's title wants a person, not "Indiana"); else the one
        person of the story holding the title; else, for a person's title, the person named as a
        subject before it."""
        person = parties.is_person_title(span.root.text)
        found = [self._ask(article_id, span.start_char, span.end_char) if span.ents or span.root.ent_type_ else None]
        found.append(self._by_mentions(article_id, span.root.idx, span.root.idx + len(span.root)))
        for eid in found:
            ent = self.entities.get(eid or "")
            if ent is not None and (not person or ent.type == "PERSON"):
                return ent.id
        by_role = self._by_role(surface, article_id)
        if by_role or not person:
            return by_role
        return self._subject_before(article_id, doc, span.start_char, "person")

    def _name(self, article_id: str, span) -> str | None:
        # ask about the head word's name ("Kremlin spokesperson Dmitry Peskov" -> Peskov)
        root = span.root
        entity_id = None
        if root.ent_type_:
            ent = next((e for e in span.ents if e.start <= root.i < e.end), None)
            if ent is not None:
                entity_id = self._ask(article_id, ent.start_char, ent.end_char)
        if entity_id is None:
            entity_id = self._ask(article_id, root.idx, root.idx + len(root.text))
        if entity_id is None and root.pos_ == "PROPN":
            for ent in reversed(list(span.ents)):
                entity_id = self._ask(article_id, ent.start_char, ent.end_char)
                if entity_id:
                    break
        if entity_id is None:
            entity_id = self._by_mentions(article_id, root.idx, root.idx + len(root.text))
        return entity_id

    def resolve(self, article_id: str, doc, start: int, end: int) -> Speaker:
        """The speaker of the source at doc.text[start:end]."""
        self._learn_genders(article_id, doc)
        surface = doc.text[start:end].strip()
        low = surface.lower()
        span = doc.char_span(start, end, alignment_mode="expand")
        kind = parties.speaker_kind(surface, self.outlets)
        entity_id = None
        owned = (
            span is not None
            and len(span) > 0
            and any(t.tag_ == "POS" for t in span)
            and span[-1].lower_ in _PARTY_HEADS
        )
        if low in PRONOUNS:
            entity_id = self._pronoun(article_id, doc, start, end, low)
        elif kind in (parties.DOCUMENT, parties.OUTLET, parties.ANONYMOUS) or owned or _indefinite(span):
            entity_id = None  # "the indictment", "Reuters", "a White House official", "the chancellor's office"
        elif span is not None and len(span):
            if _description(span):
                entity_id = self._title(article_id, doc, span, surface)
            else:
                entity_id = self._name(article_id, span) or self._by_role(surface, article_id)
        ent = self.entities.get(entity_id or "")
        if ent is None:
            if kind == parties.UNKNOWN and low not in PRONOUNS and span is not None and _indefinite(span):
                kind = parties.ANONYMOUS
            return Speaker(surface, None, kind)
        ent_kind = parties.speaker_kind(ent.name, self.outlets, entity_type=ent.type, resolved=True)
        if ent_kind not in parties.PARTY_KINDS:  # an outlet is never the speaker's entity
            return Speaker(surface, None, ent_kind)
        if ent.type == "PERSON":
            self.last_person[article_id] = ent.id
        return Speaker(ent.name, ent.id, ent_kind)


def is_pronoun(text: str) -> bool:
    return re.sub(r"\W", "", text.lower()) in PRONOUNS
