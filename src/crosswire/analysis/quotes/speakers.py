"""Who is the speaker: story entity when the source resolves, surface text otherwise.

Order of evidence for a source span:
1. the entity resolver of the entities component (``ctx.entity_at``), on the
   whole span, then on each named entity inside it (last first: "Kremlin
   spokesperson Dmitry Peskov" -> Peskov), then on the head word;
2. the story entities' own mentions that overlap the span;
3. a title or role the story gives an entity ("the chancellor" -> the entity with
   role "German Chancellor");
4. a personal pronoun ("he said") -> the nearest person named as a subject in this or the two
   sentences before, else the previous resolved person speaker of the article, else the resolver.
A possessive organisation ("the chancellor's office") is a party of its own and is
not folded into its owner; it keeps its surface text.
"""

from __future__ import annotations

from collections.abc import Callable

PRONOUNS = {"he", "she", "him", "her", "i", "we", "they"}
PERSON_PRONOUNS = {"he", "she", "him", "her"}
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
}


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
    return span.root.tag_ == "NNS"


class SpeakerResolver:
    def __init__(self, story, entity_at: Callable | None):
        self.entity_at = entity_at if callable(entity_at) else None
        self.entities = {e.id: e for e in story.entities}
        self.last_person: dict[str, str] = {}  # article id -> entity id of the last person speaker

    def name_of(self, entity_id: str | None) -> str | None:
        e = self.entities.get(entity_id or "")
        return e.name if e else None

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

    def _subject_before(self, article_id: str, doc, start: int) -> str | None:
        """The person named as subject nearest before ``start``, within the sentence and the two before."""
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        if span is None or not len(span):
            return None
        sent = span[0].sent
        lo = sent.start
        for _ in range(2):
            if lo > 0:
                lo = doc[lo - 1].sent.start
        for i in range(span[0].i - 1, lo - 1, -1):
            tok = doc[i]
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ in ("PROPN", "NOUN"):
                eid = self._ask(article_id, tok.idx, tok.idx + len(tok.text)) or self._by_mentions(
                    article_id, tok.idx, tok.idx + len(tok.text)
                )
                ent = self.entities.get(eid or "")
                if ent is not None and ent.type == "PERSON":
                    return eid
        return None

    def _by_role(self, text: str) -> str | None:
        words = _strip_det(text).split()
        if not words or len(words) > 4:
            return None
        head = words[-1]
        hits = set()
        for e in self.entities.values():
            if e.type != "PERSON":
                continue
            for r in e.roles:
                if head in r.text.lower().split():
                    hits.add(e.id)
        return hits.pop() if len(hits) == 1 else None

    def resolve(self, article_id: str, doc, start: int, end: int) -> tuple[str, str | None]:
        """(speaker name, entity id or None) for the source at doc.text[start:end]."""
        surface = doc.text[start:end].strip()
        low = surface.lower()
        span = doc.char_span(start, end, alignment_mode="expand")
        is_party = bool(span) and (any(t.tag_ == "POS" for t in span) and span[-1].lower_ in _PARTY_HEADS)
        entity_id = None
        if low in PRONOUNS:
            # "he added": the previous person speaker of the article first, then the resolver
            if low in PERSON_PRONOUNS:
                entity_id = self._subject_before(article_id, doc, start) or self.last_person.get(article_id)
            if entity_id is None:
                entity_id = self._ask(article_id, start, end)
        elif not is_party and not _indefinite(span):
            # ask about the head word's name ("Kremlin spokesperson Dmitry Peskov" -> Peskov); a
            # description whose head is not a name ("A German government spokesperson") stays as said
            root = span.root if span is not None and len(span) else None
            if root is not None and root.ent_type_:
                ent = next((e for e in span.ents if e.start <= root.i < e.end), None)
                if ent is not None:
                    entity_id = self._ask(article_id, ent.start_char, ent.end_char)
            if entity_id is None and root is not None:
                entity_id = self._ask(article_id, root.idx, root.idx + len(root.text))
            if entity_id is None and span is not None and root is not None and root.pos_ == "PROPN":
                for ent in reversed(list(span.ents)):
                    entity_id = self._ask(article_id, ent.start_char, ent.end_char)
                    if entity_id:
                        break
            if entity_id is None and root is not None:
                entity_id = self._by_mentions(article_id, root.idx, root.idx + len(root.text))
            if entity_id is None:
                entity_id = self._by_role(surface)
        if entity_id and entity_id in self.entities:
            ent = self.entities[entity_id]
            if ent.type == "PERSON":
                self.last_person[article_id] = entity_id
            return ent.name, entity_id
        return surface, entity_id
