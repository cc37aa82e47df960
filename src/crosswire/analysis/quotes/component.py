"""Story component: fill ``story.quotes`` with who said what, across the story's articles.

For each original article (near-copies are skipped: they would repeat the same
quotes) the tagger's attributions are turned into ``Quote`` objects:
- content touching a quotation runs to the whole quotation (marks included), so a
  quote spanning several sentences or paragraphs is one quote; a quote split by
  its attribution (``"...," Scholz told RTL, "..."``) is one quote whose
  ``content_span`` runs from the first to the last piece and whose ``content``
  text joins the quoted pieces with " … " (the words in between are not quoted);
- attributions with no source or no content are dropped (nothing to show), and so are
  plans, wishes and talks ("both leaders agreed to ...", "they discussed ...") unless quoted;
- the cue is widened to its addressee or channel: "told RTL", "wrote on the social
  network X", "said in a statement";
- ``chain`` holds the outlet, then any attribution that carries this one
  ("according to the dpa news agency", "the Kremlin press service reported"),
  outermost first, then the speaker;
- a conduit is not the speaker: when the source is a document or an outlet and its
  sentence has a named person speaking (``"...," Rodriguez told the husband, according
  to an indictment``; ``Scholz said he is willing ..., according to RTL``), that person
  is the speaker, the conduit goes into the chain and, for the second form, the content
  starts after the person's verb (``_inner_speaker``).
"""

from __future__ import annotations

from crosswire.analysis.context import StoryContext
from crosswire.analysis.entities import parties
from crosswire.analysis.entities.speakers import Speaker, SpeakerResolver
from crosswire.analysis.quotes.attributions import Attribution, extract_attributions, extract_attributions_many
from crosswire.analysis.quotes.marks import quote_regions
from crosswire.analysis.quotes.tagger import shared_tagger
from crosswire.model import Quote, Span, stable_id

_WIDEN_PREPS = {"on", "in", "to"}
# PolNeAR counts plans, wishes and talks as attributions; "who said what" does not
NOT_SPEECH = {
    "discuss",
    "agree",
    "highlight",
    "keen",
    "plan",
    "want",
    "hope",
    "like",
    "seem",
    "see",
    "know",
    "expect",
    "wish",
    "intend",
    "try",
    "decide",
    "choose",
    "consider",
    "be",
}
SPEECH_P = 0.3
SPEECH = {
    "say",
    "state",
    "tell",
    "add",
    "write",
    "announce",
    "declare",
    "report",
    "claim",
    "post",
    "tweet",
    "confirm",
    "deny",
    "explain",
    "respond",
    "reply",
    "answer",
    "insist",
    "warn",
    "urge",
}
_CHAIN_CUES = ("according to", "report", "cit", "quot", "told")


def _widen_to_quotes(parts: list[tuple[int, int]], regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in parts:
        for rs, re_ in regions:
            if rs < e and s < re_:
                s, e = min(s, rs), max(e, re_)
        if out and out[-1][1] >= s:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _widen_cue(doc, start: int, end: int) -> tuple[int, int]:
    """'told' -> 'told RTL'; 'wrote' -> 'wrote on the social network X'; 'said' -> 'said in a statement'."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) > 3:
        return start, end
    root = span.root
    new_end = end
    for child in root.rights:
        if child.i < span.end:
            continue
        if (
            child.dep_ in ("dative", "dobj")
            and child.lemma_.lower() != "that"
            and root.lemma_.lower() == "tell"
            and child.pos_ in ("PROPN", "NOUN", "PRON")
        ):
            new_end = max(new_end, child.right_edge.idx + len(child.right_edge.text))
            if child.right_edge.i - span.end > 8:
                return start, end
        elif (
            child.dep_ == "prep"
            and child.lower_ in _WIDEN_PREPS
            and child.i == span.end
            and root.lemma_.lower() in ("write", "say", "post", "tell", "state")
        ):
            right = child.right_edge
            if right.i - span.end <= 8:
                new_end = max(new_end, right.idx + len(right.text))
        break
    return start, new_end


def _speechlike(cue_span, lexicon: dict[str, float]) -> bool:
    """A cue "who said what" shows: not a plan or a talk, and a word often a cue in PolNeAR
    (drops headline fragments such as "hasn't received request for")."""
    lemma = cue_span.root.lemma_.lower()
    if lemma in NOT_SPEECH:
        return False
    if lemma in SPEECH:
        return True
    if cue_span.text.lower().startswith("according"):
        return True
    return any(lexicon.get(t.lemma_.lower(), 0.0) >= SPEECH_P for t in cue_span)


def _after_comma(doc, source: tuple[int, int], cue: tuple[int, int]) -> tuple[int, int]:
    """ "After his talk with Putin, Scholz wrote" -> "Scholz": a source running over a comma keeps
    the short name right before its cue."""
    text = doc.text
    cut = text.rfind(", ", source[0], source[1])
    if cut < 0 or source[1] > cue[0] or text[source[1] : cue[0]].strip():
        return source
    tail = doc.char_span(cut + 2, source[1], alignment_mode="expand")
    if tail is None or not (1 <= len(tail) <= 4) or tail[0].pos_ != "PROPN":
        return source
    return tail.start_char, tail.end_char


def _postposed(doc, a: Attribution, regions: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The reported clause of an attribution put after it, in indirect speech: "Two men were arrested
    last week, said LAPD Det. Chris Barling." -> "Two men were arrested last week" (from the sentence's
    start to the comma before the cue; the cue a speech verb, the source right after it, nothing after
    the source but the sentence's end or an apposition). None for any other form, and when the clause
    holds a quotation (a direct quote is widened to its marks instead)."""
    if not a.cue or not a.source:
        return None
    text = doc.text
    cue = doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
    if cue is None or not len(cue) or cue.root.lemma_.lower() not in SPEECH:
        return None
    if text[a.cue[1] : a.source[0]].strip() or a.source[0] < a.cue[1]:
        return None
    tail = text[a.source[1] : cue.sent.end_char].strip()
    if tail[:1] not in ("", ".", ",", "!", "?"):
        return None
    before = text[cue.sent.start_char : a.cue[0]].rstrip()
    if not before.endswith(","):
        return None
    start, end = cue.sent.start_char, cue.sent.start_char + len(before) - 1
    clause = text[start:end].strip()
    if len(clause.split()) < 4 or any(rs < end and start < re_ for rs, re_ in regions):
        return None
    start += len(text[start:end]) - len(text[start:end].lstrip())
    return start, end


def _is_chain_cue(text: str) -> bool:
    low = text.lower()
    return any(low.startswith(c) for c in _CHAIN_CUES)


def _sentence_of(doc, char: int):
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.sent if span is not None and len(span) else None


def _chain(doc, a: Attribution, others: list[Attribution]) -> list[str]:
    """Sources of attributions that carry ``a``: same sentence, and either their content holds
    ``a``'s cue, or they are a bare "according to X" / "X reported" with no content of their own."""
    sent = _sentence_of(doc, a.cue[0])
    carriers = []
    for b in others:
        if b is a or not b.source or not b.cue:
            continue
        if sent is None or not (sent.start_char <= b.cue[0] < sent.end_char):
            continue
        holds = b.content is not None and b.content[0] <= a.cue[0] and a.cue[1] <= b.content[1]
        bare = b.content is None and _is_chain_cue(doc.text[b.cue[0] : b.cue[1]])
        if holds or bare:
            width = (b.content[1] - b.content[0]) if b.content else 10**6
            carriers.append((-width, doc.text[b.source[0] : b.source[1]].strip()))
    return [name for _, name in sorted(carriers)]


_CONDUITS = (parties.DOCUMENT, parties.OUTLET)


def _name_span(tok) -> tuple[int, int] | None:
    """A named subject (the token with its compound and flat parts), "he"/"she" or "the <noun>" (a title the
    resolver may know: "the lawyer"), else None."""
    if tok.lower_ in ("he", "she"):
        return tok.idx, tok.idx + len(tok.text)
    if tok.pos_ == "NOUN" and [c.lower_ for c in tok.children if c.i < tok.i] == ["the"]:
        return tok.doc[tok.i - 1].idx, tok.idx + len(tok.text)
    if tok.pos_ != "PROPN" and tok.ent_type_ != "PERSON":
        return None
    toks = [tok, *(t for t in tok.children if t.dep_ in ("compound", "flat") and t.i < tok.i)]
    lo, hi = min(t.i for t in toks), max(t.i for t in toks)
    return tok.doc[lo].idx, tok.doc[hi].idx + len(tok.doc[hi].text)


def _subject_of(verb):
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None and verb.dep_ == "xcomp":  # "Rodriguez was recorded saying"
        subj = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj


def _inner_speaker(doc, a: Attribution, parts: list[tuple[int, int]], regions: list[tuple[int, int]]):
    """A person speaking in the sentence of a conduit's cue: (source, cue, parts) of the person's own
    attribution, or None. The person's speech verb (outside quotation marks) is outside the content, or
    inside it, where the content is cut to the words before the person ("...," Rodriguez told ...) or
    after the verb and its "that" ("Scholz said he is willing ...")."""
    assert a.cue is not None
    sent = _sentence_of(doc, a.cue[0])
    if sent is None:
        return None
    for verb in sent:
        if verb.lemma_.lower() not in SPEECH or verb.pos_ not in ("VERB", "AUX"):
            continue
        if a.cue[0] <= verb.idx < a.cue[1] or any(rs <= verb.idx < re_ for rs, re_ in regions):
            continue
        subj = _subject_of(verb)
        name = _name_span(subj) if subj is not None else None
        if name is None or any(rs <= name[0] < re_ for rs, re_ in regions):
            continue
        cue = (verb.idx, verb.idx + len(verb.text))
        inside = [k for k, p in enumerate(parts) if p[0] <= verb.idx < p[1]]
        if not inside:
            return name, cue, parts
        k = inside[0]
        lo, hi = parts[k]
        if name[0] > lo:  # the quoted words come first: keep them
            head = doc.text[lo : name[0]].rstrip(" ,;:—–-\n")
            if len(head.split()) < 2:
                return None
            return name, cue, [*parts[:k], (lo, lo + len(head)), *parts[k + 1 :]]
        nxt = verb.i + 1
        while nxt < len(doc) and (doc[nxt].lower_ == "that" or doc[nxt].is_punct):
            nxt += 1
        if nxt >= len(doc) or doc[nxt].idx >= hi:
            return None
        return name, cue, [*parts[:k], (doc[nxt].idx, hi), *parts[k + 1 :]]
    return None


def article_quotes(
    article,
    doc,
    resolver: SpeakerResolver,
    tagger: str = "crf",
    attrs: list[Attribution] | None = None,
    record: list[tuple[tuple[int, int], Speaker]] | None = None,
) -> list[Quote]:
    """``tagger``: "crf" (default) or "neural"; ``attrs``: the article's attributions when already tagged;
    ``record``: when given, gets (source span, speaker) of every attribution with a source, in text order
    (``bench quotes`` scores speaker resolution with it)."""

    def resolve(src: tuple[int, int]) -> Speaker:
        sp = resolver.resolve(article.id, doc, *src)
        if record is not None:
            record.append((src, sp))
        return sp

    if attrs is None:
        attrs = extract_attributions(doc, tagger=tagger)
    lexicon = shared_tagger().lexicon
    regions = quote_regions(doc.text)
    text = doc.text
    quotes: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for a in attrs:
        if a.source and a.cue:
            a.source = _after_comma(doc, a.source, a.cue)
    # an attribution put after its clause takes the whole clause; a cue inside that clause is not a speaker's
    clauses = {id(a): c for a in attrs if (c := _postposed(doc, a, regions)) is not None}
    contents = {id(a): a.content_parts for a in attrs}
    for a in attrs:
        c = clauses.get(id(a))
        if c is not None and all(c[0] <= s and e <= c[1] for s, e in a.content_parts):
            contents[id(a)] = [c]
        # every source is resolved, in text order: it keeps "he" pointing at the last person
        who = resolve(a.source) if a.source else None
        if who is None or not a.cue or not contents[id(a)]:
            continue
        cue_span = doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
        if cue_span is not None and len(cue_span) and not a.direct and not _speechlike(cue_span, lexicon):
            continue
        if any(c[0] <= a.cue[0] < c[1] for k, c in clauses.items() if k != id(a)):
            continue
        parts = _widen_to_quotes(contents[id(a)], regions)
        conduit: list[str] = []
        if who.kind in _CONDUITS:
            inner = _inner_speaker(doc, a, parts, regions)
            if inner is not None:
                person = resolver.resolve(article.id, doc, *inner[0])
                if person.kind in parties.PARTY_KINDS:
                    conduit = [who.name]
                    who = person
                    a = Attribution(cue=inner[1], source=inner[0], content=a.content, content_parts=inner[2])
                    parts = inner[2]
        cs, ce = parts[0][0], parts[-1][1]
        if any(s <= a.cue[0] and a.cue[1] <= e for s, e in parts):
            continue  # a cue inside the quotation: speech the quoted person reports, not this quote's own
        if (cs, ce) in seen or len(text[cs:ce].split()) < 2:
            continue
        seen.add((cs, ce))
        direct = all(any(rs <= s and e <= re_ for rs, re_ in regions) for s, e in parts)
        cue_s, cue_e = _widen_cue(doc, *a.cue)
        speaker, entity_id = who.name, who.entity
        outlet = article.source or article.site_name
        chain = list(dict.fromkeys(([outlet] if outlet else []) + _chain(doc, a, attrs) + conduit + [speaker]))
        content = " … ".join(text[s:e].strip() for s, e in parts)
        quotes.append(
            Quote(
                id=stable_id("q_", article.id, cs, ce, a.source[0]),
                speaker=speaker,
                speaker_entity=entity_id,
                cue=text[cue_s:cue_e],
                content=content,
                direct=direct,
                speaker_span=Span(article.id, a.source[0], a.source[1]),
                cue_span=Span(article.id, cue_s, cue_e),
                content_span=Span(article.id, cs, ce),
                chain=chain,
                speaker_kind=who.kind,
            )
        )
    return quotes


def run(ctx: StoryContext) -> None:
    resolver = SpeakerResolver(ctx.story, ctx.entity_at, {a.outlet for a in ctx.articles})
    tagger = ctx.settings.quote_tagger  # "crf" unless set (CROSSWIRE_QUOTE_TAGGER=neural)
    articles = list(ctx.originals)
    docs = [ctx.doc(a.id) for a in articles]
    quotes: list[Quote] = []
    for article, doc, attrs in zip(articles, docs, extract_attributions_many(docs, tagger)):
        quotes.extend(article_quotes(article, doc, resolver, tagger, attrs))
    ctx.story.quotes = quotes
