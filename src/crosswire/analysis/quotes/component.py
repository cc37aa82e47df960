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
  outermost first, then the speaker.
"""

from __future__ import annotations

from crosswire.analysis.context import StoryContext
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
        # every source is resolved, in text order: it keeps "he" pointing at the last person
        who = resolve(a.source) if a.source else None
        if who is None or not a.cue or not a.content_parts:
            continue
        cue_span = doc.char_span(a.cue[0], a.cue[1], alignment_mode="expand")
        if cue_span is not None and len(cue_span) and not a.direct and not _speechlike(cue_span, lexicon):
            continue
        parts = _widen_to_quotes(a.content_parts, regions)
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
        chain = ([outlet] if outlet else []) + _chain(doc, a, attrs) + [speaker]
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
