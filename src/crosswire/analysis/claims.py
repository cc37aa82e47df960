"""Story component: split every article into claims, one checkable statement each.

A claim is a sentence, or an independent clause of one (split at ";" and at
coordinated main verbs that have their own subject), with its entities, dates,
numbers, negation and attribution. ``Claim.source`` is the outlet publishing it;
``Claim.attribution`` is the party asserting it ("according to the Kremlin",
"government sources said", the speaker of a quote), found from the parse.
Headings, questions, fragments and web boilerplate are skipped.

Reads ``ctx.entity_at`` (entities), ``ctx.timerefs`` (dates) and ``ctx.story.quotes``
(quotes). Provides ``ctx.story.claims``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crosswire.analysis.context import StoryContext
from crosswire.model import Article, Claim, Span, stable_id
from crosswire.text import is_negated, is_page_furniture, numbers_in

REPORTING_LEMMAS = {
    "say",
    "tell",
    "state",
    "report",
    "claim",
    "announce",
    "add",
    "note",
    "stress",
    "emphasize",
    "emphasise",
    "recall",
    "insist",
    "assert",
    "write",
    "describe",
    "confirm",
    "deny",
    "reveal",
    "argue",
    "indicate",
    "explain",
    "warn",
    "allege",
    "suggest",
    "respond",
    "reiterate",
    "acknowledge",
    "admit",
    "declare",
    "quote",
}
MIN_WORDS = 5
# words that carry what a statement is about: a sentence with fewer of them than this, once the reporting
# verb is set aside ("'It may not,' he said.", "'We will see,' she added.") says nothing a reader can check
MIN_CONTENT_WORDS = 2
_CONTENT_POS = {"NOUN", "PROPN", "NUM", "ADJ", "VERB"}
MAX_CHARS = 600
# The comparison (grouping, conflicts, accounts, coverage) and the summary look at pairs of a story's
# claims, so their cost grows with the square of this number: a story keeps at most MAX_CLAIMS claims
# (about 50 articles' worth). Above it, each article keeps its first claims, the same number for every
# article (leads first), and the rest are not listed, compared or summarised. Below it nothing changes.
MAX_CLAIMS = 2000
_TERMINAL = re.compile(r"[.!\"”’'»)\]]\s*$")


# A photo's caption where the story should open: "House Minority Leader Nancy Pelosi speaks during a news
# conference ...", "The Bluefin-21 underwater vehicle is hoisted back aboard ...", "This photo released by SANA
# shows ...", "WASHINGTON, DC - JUNE 18: Former Congresswoman Gabby Giffords throws out the first pitch ...".
# Read off the leads of the 71 development stories (9 of their 232 outlet leads were captions).
_CAPTION_WORDS = re.compile(
    r"\b(?:in )?this (?:undated |handout |file |recent )?(?:photo|photograph|image|picture)\b|"
    r"\b(?:photo|photograph|image|picture) (?:provided|released|taken|distributed) by\b|"
    r"\b(?:photo|photograph|image|picture) (?:shows|released by)\b|"
    r"^[A-Z][A-Z .,'-]{2,40} - [A-Z]{3,9} \d{1,2}: ",
)
# verbs a caption puts in the present tense for what the picture shows ("speaks", "listens", "poses")
_CAPTION_VERBS = {
    "speak", "listen", "look", "pose", "arrive", "walk", "gesture", "wave", "stand", "sit", "cross", "pilot",
    "attend", "hold", "throw", "greet", "watch", "react", "carry", "hug", "embrace", "smile", "talk", "wait",
    "gather", "march", "celebrate", "mourn", "kneel", "shake", "ride", "pray", "cry", "lay", "sing", "dance",
}  # fmt: skip
_HABITUAL = {"seldom", "rarely", "often", "never", "always", "usually", "sometimes", "frequently", "regularly"}
# the same in the passive: "is seen", "are pictured"
_CAPTION_PASSIVES = {
    "see", "picture", "show", "photograph", "hoist", "escort", "carry", "lead", "help", "surround", "greet",
    "display", "lift", "reflect", "load", "unload",
}  # fmt: skip


def is_caption(sent) -> bool:
    """A sentence (a spaCy span) that describes a photo: a caption's wording, or a scene in the present tense
    ("Pelosi speaks during a news conference", "The vehicle is hoisted aboard")."""
    text = sent.text.strip()
    if _CAPTION_WORDS.search(text):
        return True
    root = sent.root
    lemma = root.lemma_.lower()
    if not any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("PROPN", "NOUN") for c in root.children):
        return False  # a caption names who or what is shown ("I look forward ..." is someone speaking)
    if any(c.lower_ in _HABITUAL for c in root.children):
        return False  # "seldom speaks of his brother": what someone does, not what a picture shows
    if root.tag_ in ("VBZ", "VBP") and lemma in _CAPTION_VERBS:
        return True
    if root.tag_ == "VBN" and lemma in _CAPTION_PASSIVES:
        return any(c.dep_ == "auxpass" and c.tag_ in ("VBZ", "VBP") for c in root.children)
    return False


def is_claim_sentence(sent) -> bool:
    """A checkable statement: has a verb, is long enough, is not a heading, question or boilerplate."""
    text = sent.text.strip()
    words = [t for t in sent if t.is_alpha]
    if len(words) < MIN_WORDS or len(text) > MAX_CHARS * 2:
        return False
    if text.endswith("?") or is_page_furniture(text) or is_caption(sent):
        return False
    if not any(t.pos_ in ("VERB", "AUX") for t in sent):
        return False
    content = [t for t in sent if t.pos_ in _CONTENT_POS and not t.is_stop and t.lemma_ not in REPORTING_LEMMAS]
    if len(content) < MIN_CONTENT_WORDS:
        return False
    if not _TERMINAL.search(text):  # headings and teasers carry no final punctuation
        return False
    if "http" in text or "@" in text and "." not in text[:-1]:
        return False
    return True


def clause_bounds(sent) -> list[tuple[int, int]]:
    """Character bounds of the independent clauses of a sentence (at least the whole sentence)."""
    cuts: list[int] = []
    for tok in sent:
        if tok.text == ";" and tok.i not in (sent.start, sent.end - 1):
            cuts.append(tok.idx)
    root = sent.root
    for adv in root.children:
        # ", calling for ..." after the main clause: a second statement by the same subject
        if (
            adv.dep_ == "advcl"
            and adv.tag_ == "VBG"
            and adv.i > root.i
            and adv.left_edge.i > sent.start
            and adv.doc[adv.left_edge.i - 1].text == ","
        ):
            cuts.append(adv.doc[adv.left_edge.i - 1].idx)
    for conj in root.children:
        if conj.dep_ != "conj" or conj.pos_ not in ("VERB", "AUX"):
            continue
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
            continue
        left = conj.left_edge
        # cut before the coordinating word / comma that joins the two clauses
        cut_tok = left
        prev = left.nbor(-1) if left.i > sent.start else None
        while prev is not None and prev.dep_ in ("cc", "punct") and prev.i > sent.start:
            cut_tok = prev
            prev = prev.nbor(-1) if prev.i > sent.start else None
        cuts.append(cut_tok.idx)
    bounds = []
    start = sent.start_char
    for c in sorted(set(cuts)):
        if c > start:
            bounds.append((start, c))
            start = c
    bounds.append((start, sent.end_char))
    # keep only clauses that are themselves statements (enough words); glue fragments back
    merged: list[tuple[int, int]] = []
    text = sent.doc.text
    for s, e in bounds:
        if merged and len(re.findall(r"[A-Za-z]+", text[s:e])) < MIN_WORDS:
            merged[-1] = (merged[-1][0], e)
        elif not merged or len(re.findall(r"[A-Za-z]+", text[merged[-1][0] : merged[-1][1]])) >= MIN_WORDS:
            merged.append((s, e))
        else:
            merged[-1] = (merged[-1][0], e)
    return merged


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Shrink [s, e) past spaces and joining punctuation/conjunctions at the edges."""
    while s < e and (text[s].isspace() or text[s] in ";,"):
        s += 1
    m = re.match(r"(and|but|while|whereas)\s+", text[s:e], re.IGNORECASE)
    if m and s > 0 and text[s - 1] not in ".!?\n":
        s += m.end()
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def attribution_of(sent, start: int, end: int) -> tuple[str | None, int | None, int | None]:
    """The party asserting the clause [start, end): text and character bounds, or (None, None, None)."""
    toks = [t for t in sent if start <= t.idx < end]
    # "according to X"
    for t in toks:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.nbor(1).lower_ == "to":
            objs = [c for c in t.nbor(1).children if c.dep_ == "pobj"]
            if objs:
                sub = list(objs[0].subtree)
                return _phrase(sub)
    # "as reported by X", "X said", "X told Y that ...", "the Kremlin described ..."
    for t in toks:
        if t.lemma_.lower() in REPORTING_LEMMAS and t.pos_ == "VERB":
            for c in t.children:
                if c.dep_ in ("nsubj",) and c.pos_ != "PRON":
                    return _phrase(list(c.subtree))
                if c.dep_ == "agent":
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    if objs:
                        return _phrase(list(objs[0].subtree))
    # a main-clause subject that is a person/organisation asserting: "Putin stated ..." handled above;
    # "Peskov claimed" as a trailing clause handled above. Nothing found.
    return None, None, None


def attribution_candidates(sent) -> list[str]:
    """Every source phrase of a sentence: "According to the Kremlin, Putin told ..." -> [Kremlin, Putin]."""
    found: list[str] = []
    for t in sent:
        phrase = None
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.nbor(1).lower_ == "to":
            objs = [c for c in t.nbor(1).children if c.dep_ == "pobj"]
            if objs:
                phrase = _phrase(list(objs[0].subtree))[0]
        elif t.lemma_.lower() in REPORTING_LEMMAS and t.pos_ == "VERB":
            for c in t.children:
                if c.dep_ == "nsubj" and c.pos_ != "PRON":
                    phrase = _phrase(list(c.subtree))[0]
                elif c.dep_ == "agent":
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    if objs:
                        phrase = _phrase(list(objs[0].subtree))[0]
        if phrase and phrase not in found:
            found.append(phrase)
    return found


def _phrase(tokens) -> tuple[str | None, int | None, int | None]:
    tokens = list(tokens)
    commas = [k for k, t in enumerate(tokens) if t.text == ","]
    if commas:  # "After his conversation with Putin, Scholz" -> "Scholz"
        tokens = tokens[commas[-1] + 1 :]
    tokens = [t for t in tokens if not (t.is_punct and t.text not in "'’-")]
    while tokens and tokens[0].dep_ == "det":
        tokens = tokens[1:]
    if not tokens:
        return None, None, None
    s, e = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = tokens[0].doc.text
    cut = text.rfind("\n", s, e)
    if cut >= 0:  # a phrase never runs across a line break (headings glued to a sentence)
        s = cut + 1
    return text[s:e], s, e


def _entities_in(ctx: StoryContext, article_id: str, doc, s: int, e: int) -> list[str]:
    out: list[str] = []
    for ent in doc.ents:
        if ent.start_char < s or ent.end_char > e:
            continue
        if ent.label_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
            continue
        key = ctx.entity(article_id, ent.start_char, ent.end_char)
        key = key or "name:" + re.sub(r"^(the)\s+", "", ent.text.lower()).replace("’s", "").replace("'s", "").strip()
        if key not in out:
            out.append(key)
    return out


def _dates_in(ctx: StoryContext, article_id: str, doc, s: int, e: int) -> tuple[list[str], list[tuple[int, int]]]:
    refs = (ctx.timerefs or {}).get(article_id) or []
    dates, spans = [], []
    for r in refs:
        if r.span.start >= s and r.span.end <= e:
            dates.append(r.value or r.text)
            spans.append((r.span.start, r.span.end))
    if not refs:
        for ent in doc.ents:
            if ent.label_ in ("DATE", "TIME") and ent.start_char >= s and ent.end_char <= e:
                dates.append(ent.text)
                spans.append((ent.start_char, ent.end_char))
    return dates, spans


def _quote_speaker(ctx: StoryContext, article_id: str, s: int, e: int) -> tuple[str | None, str | None]:
    for q in ctx.story.quotes:
        span = q.content_span
        if span and span.article == article_id and span.start < e and span.end > s:
            return q.speaker, q.speaker_entity
    return None, None


def claim_spans(doc) -> Iterator[tuple[int, int]]:
    """Character bounds of every claim in a parsed text, in text order."""
    for s, e, _ in _claim_pieces(doc):
        yield s, e


# A piece that only finishes the sentence before it: "... victimized," says Dunn. / "... he said.
_TAIL = re.compile(
    r"""^["”’'»)\]]*\s*(?:[a-z]|(?:said|says|told|added|explained|asked|wrote|according)\b)"""
    r"""|^["”’'»)\]]*\s*(?:he|she|they|it|we|I)\s+(?:said|says|added|told|explained|wrote)\b""",
)
# A sentence break after one of these is spaCy's mistake ("the U.S. Navy", "Sen. Paul").
_ABBREV_END = re.compile(
    r"(?:\b(?:U\.S|U\.K|U\.N|Mr|Mrs|Ms|Dr|St|No|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Jr|Sr|Inc|Corp|Co|Ltd|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mt|Ft|Ave|approx|vs|a\.m|p\.m)\.)$"
)


def statement_spans(doc) -> list[tuple[int, int]]:
    """Character bounds of the text's sentences, repaired: a piece that only finishes the sentence before
    it (a lower-case start, a trailing "he said", a break after "U.S.") is joined to it; a line break
    always ends a sentence (a heading glued to the next sentence is its own piece)."""
    text = doc.text
    out: list[tuple[int, int]] = []
    for piece in _pieces(doc):
        s, e = _trim(text, piece.start_char, piece.end_char)
        if s >= e:
            continue
        if out and "\n" not in text[out[-1][1] : s]:
            prev_s, prev_e = out[-1]
            words = len(re.findall(r"[A-Za-z]+", text[s:e]))
            if _TAIL.match(text[s:e]) or _ABBREV_END.search(text[prev_s:prev_e]) or words < 3:
                out[-1] = (prev_s, e)
                continue
        out.append((s, e))
    return out


def _claim_pieces(doc):
    """Claims are whole sentences: a reader understands a statement with its subject, verb and speaker."""
    for s, e in statement_spans(doc):
        sent = doc.char_span(s, e, alignment_mode="expand")
        if sent is None or not is_claim_sentence(sent):
            continue
        yield s, e, sent


def claims_of_article(ctx: StoryContext, article: Article) -> Iterator[Claim]:
    doc = ctx.doc(article.id)
    text = article.text
    outlet = article.outlet
    for s, e, sent in _claim_pieces(doc):
        claim_text = text[s:e]
        attribution, _, _ = attribution_of(sent, s, e)
        entity_id = None
        q_speaker, q_entity = _quote_speaker(ctx, article.id, s, e)
        if q_speaker:
            attribution, entity_id = q_speaker, q_entity
        if attribution is None:  # a clause of a reported sentence inherits the sentence's party
            attribution, _, _ = attribution_of(sent, sent.start_char, sent.end_char)
        dates, date_spans = _dates_in(ctx, article.id, doc, s, e)
        numbers = sorted(numbers_in(_blank(claim_text, s, date_spans)))
        yield Claim(
            id=stable_id("c_", article.id, s, e),
            span=Span(article.id, s, e),
            text=claim_text,
            source=outlet,
            attribution=attribution,
            attribution_entity=entity_id or _entity_for(ctx, article.id, doc, attribution, sent),
            entities=_entities_in(ctx, article.id, doc, s, e),
            dates=dates,
            numbers=numbers,
            negated=is_negated(claim_text),
        )


def _pieces(doc):
    """Sentences, cut again at line breaks: a heading glued to the next sentence is its own piece."""
    for sent in doc.sents:
        text = sent.text
        if "\n" not in text.strip():
            yield sent
            continue
        offset = sent.start_char
        for m in re.finditer(r"[^\n]+", text):
            piece = doc.char_span(offset + m.start(), offset + m.end(), alignment_mode="contract")
            if piece is not None and len(piece):
                yield piece


def _blank(text: str, offset: int, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for k in range(max(a - offset, 0), min(b - offset, len(chars))):
            chars[k] = " "
    return "".join(chars)


def _entity_for(ctx: StoryContext, article_id: str, doc, attribution: str | None, sent) -> str | None:
    if not attribution or ctx.entity_at is None:
        return None
    pos = doc.text.find(attribution, sent.start_char, sent.end_char)
    if pos < 0:
        return None
    inside = [
        e
        for e in doc.ents
        if e.start_char >= pos
        and e.end_char <= pos + len(attribution)
        and e.label_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "NORP")
    ]
    # the head of "Kremlin spokesperson Dmitry Peskov" is the person, at the end of the phrase
    for ent in sorted(inside, key=lambda e: (e.label_ != "PERSON", -e.start_char)):
        found = ctx.entity(article_id, ent.start_char, ent.end_char)
        if found:
            return found
    return None


REQUIRES = ("entity_at", "timerefs", "story.quotes")
PROVIDES = ("story.claims",)


def capped(per_article: list[list[Claim]], limit: int = MAX_CLAIMS) -> list[Claim]:
    """At most ``limit`` claims: every article's first k (the largest k that fits), then the (k+1)-th claims
    of the first articles while room is left; in article order, each article's claims in text order."""
    total = sum(len(cs) for cs in per_article)
    if total <= limit:
        return [c for cs in per_article for c in cs]
    k = 0
    while sum(min(len(cs), k + 1) for cs in per_article) <= limit:
        k += 1
    room = limit - sum(min(len(cs), k) for cs in per_article)
    out: list[Claim] = []
    for cs in per_article:
        take = min(len(cs), k)
        if room > 0 and len(cs) > k:
            take += 1
            room -= 1
        out.extend(cs[:take])
    return out


def run(ctx: StoryContext) -> None:
    ctx.story.claims = capped([list(claims_of_article(ctx, article)) for article in ctx.articles])
