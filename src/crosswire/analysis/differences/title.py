"""The story's neutral title: what happened, in 5 to 18 words, from the story's own text.

The rule, in order:

1. **A neutral headline that tells the story's main fact.** Each outlet's headline, with a site name
   ("… - Reuters", "… | CNN") and a generic kicker ("Key Takeaways", "Live updates", "Analysis:") cut
   off, is a candidate when it is neutral: no quotation marks, no question or exclamation, none of the
   loaded words in ``LOADED`` ("slams", "shocking", "claims" ...), not all capitals, 5 to 18 words, with
   a verb. Among them the one closest (MiniLM cosine) to the story's most corroborated facts wins, if it
   comes close enough (``ON_TOPIC``).
2. **Else the first statement that can be cut to its core clause**: who did what. Candidates are the
   outlets' leads that other outlets report too, then the claims of consensus groups, then the other
   leads, each tier ranked by how many outlets report them (``candidate_facts``); the first that can be
   cut is parsed and kept to its subject, verb and object,
   without appositions, relative and adverbial clauses, attributions ("police said"), titles before a
   name ("German Chancellor Olaf Scholz" -> "Olaf Scholz") and the prepositional phrases that would take
   it past 18 words. Reported speech ("Scholz said he is willing to ...") keeps a named speaker:
   "Scholz says he is willing to ...". Not used: a clause whose subject is a pronoun or only points back
   ("The money will help ..."), one with a pronoun the title does not name ("beaten her unconscious"), in
   the first or second person, or whose verb loses what it reports.
   A one-article story has its lead as the only candidate.

Where it is set: clustering gives every story a provisional title (``group.events.story_title``, the
most central article's headline), used for events and for stories not analysed yet; the differences
component replaces ``Story.title`` with this one after analysis, and the store and the web read
``Story.title``.
"""

from __future__ import annotations

import re

import numpy as np

from crosswire.analysis.context import StoryContext
from crosswire.analysis.differences.texts import OutletText
from crosswire.model import OutletLead

MIN_WORDS, MAX_WORDS = 5, 18
ON_TOPIC = 0.5  # a headline at least this close to the story's most corroborated facts describes the event
LOADED = {
    "slams", "slammed", "blasts", "blasted", "rips", "destroys", "shocking", "shock", "stunning", "outrage",
    "outrageous", "horrific", "horrifying", "disgraceful", "disgusting", "brutal", "epic", "incredible",
    "amazing", "unbelievable", "bombshell", "explosive", "furious", "fury", "chaos", "meltdown", "humiliating",
    "claims", "claimed", "alleged", "so-called", "must", "should", "finally", "just", "really", "insane",
    "absurd", "ridiculous", "heartbreaking", "terrifying", "you", "your", "why", "how", "what", "opinion",
}  # fmt: skip
_KICKERS = re.compile(
    r"\s*[:|–—-]\s*(key takeaways|takeaways|live updates?|live|what we know|what to know|analysis|opinion|"
    r"explainer|video|photos|watch|in pictures|the latest|update[sd]?)\s*$",
    re.I,
)
_LEAD_KICKER = re.compile(
    r"^\s*(breaking|exclusive|watch|analysis|opinion|update|live|video|explainer)\s*[:|–—-]\s*", re.I
)
_SITE = re.compile(r"\s+[|–—-]\s+[A-Z][\w.&' ]{1,30}$")
_QUOTE_MARKS = re.compile(r"[\"“”«»]|(?:^|\s)[‘'][^’']+[’'](?:\s|[,.:;]|$)")
# "BALTIMORE (WJZ) — ", "AUSTIN, Texas -- "
_DATELINE = re.compile(
    r"^[A-Z][A-Z .,'()-]{2,40}(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?\s*(\([A-Za-z .]+\))?\s*[—–-]{1,2}\s+"
)
_PERSONAL = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Ww]e|[Uu]s|[Oo]ur|[Oo]urs|[Yy]ou|[Yy]our|[Yy]ours)\b")
_PARTICLES = {"away", "up", "down", "out", "off", "back", "over"}  # "passed away": an adverb that is part of the verb
_REPORTING = {"say", "tell", "state", "announce", "report", "claim", "add", "write", "insist", "note"}
_DROP_DEPS = {"appos", "relcl", "acl", "advcl", "parataxis", "punct", "cc", "mark", "advmod", "npadvmod", "intj"}
_CORE_DEPS = {"nsubj", "nsubjpass", "aux", "auxpass", "neg", "prt", "dobj", "attr", "acomp", "dative", "xcomp", "oprd"}


def neutral_title(ctx: StoryContext, texts: list[OutletText], leads: list[OutletLead]) -> str | None:
    """The story's neutral title, or None when its text gives none (the provisional title stays)."""
    facts = candidate_facts(ctx, texts, leads)
    headline = _best_headline(ctx, facts[:6])
    if headline:
        return headline
    lead_texts = {ld.lead for ld in leads}
    for text in facts[:12]:
        core = core_clause(ctx.lang.parse(_DATELINE.sub("", text)), lead=text in lead_texts)
        if core:
            return core
    return None


def candidate_facts(ctx: StoryContext, texts: list[OutletText], leads: list[OutletLead]) -> list[str]:
    """Statements that may tell the event: first the outlets' lead sentences that another outlet reports too
    (a lead is written to tell the event), then the claims of consensus groups, then the other leads; in
    each tier the most corroborated first. A claim counts its group's outlets; a lead counts its own outlet
    and every other outlet whose text reports it (``OutletText.reports``). Ties: the earlier in its article,
    then the comparison's importance, then the shorter. A one-article story's lead comes first."""
    story = ctx.story
    first: dict[str, int] = {}
    seen: dict[str, int] = {}
    for c in story.claims:
        first[c.id] = seen.get(c.span.article, 0)
        seen[c.span.article] = first[c.id] + 1
    claims = {c.id: c for c in story.claims}
    ranked: list[tuple[tuple, str]] = []
    for g in story.claim_groups:
        if g.status != "consensus":
            continue
        n = len({ctx.counted_outlet(s.article) for s in g.citations})
        for cid in g.claims:
            if cid in claims:
                text = " ".join(claims[cid].text.split())
                ranked.append(((1, -n, min(first.get(cid, 9), 3), -g.importance, len(text)), text))
    if leads:
        vecs = ctx.embed([ld.lead for ld in leads])
        for ld, v in zip(leads, vecs):
            n = 1 + sum(1 for t in texts if t.outlet != ld.outlet and t.reports(v, ld.lead)[0])
            ranked.append(((0 if n >= 2 or len(leads) == 1 else 2, -n, 0, 0.0, len(ld.lead)), ld.lead))
    ranked.sort(key=lambda kv: kv[0])
    return list(dict.fromkeys(text for _, text in ranked))


def clean_headline(text: str) -> str:
    """A headline without its site name and generic kicker."""
    t = " ".join(text.split())
    t = _LEAD_KICKER.sub("", t)
    t = _KICKERS.sub("", t)
    t = _SITE.sub("", t) if len(t.split()) > 6 else t
    return t.strip(" .")


def is_neutral(text: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    if not (MIN_WORDS <= len(words) <= MAX_WORDS) or text.isupper():
        return False
    if "?" in text or "!" in text or _QUOTE_MARKS.search(text):
        return False
    return not any(w.lower() in LOADED for w in words)


def _best_headline(ctx: StoryContext, facts: list[str]) -> str | None:
    cands = []
    for a in ctx.originals:
        if not a.title:
            continue
        h = clean_headline(a.title)
        if h and h not in cands and is_neutral(h):
            doc = ctx.lang.parse(h)
            if any(t.pos_ in ("VERB", "AUX") for t in doc):
                cands.append(h)
    if not cands:
        return None
    if not facts:  # one article or no consensus: a neutral headline tells its story
        return cands[0]
    emb = ctx.embed(cands + facts[:6])
    h, f = emb[: len(cands)], emb[len(cands) :]
    score = (h @ f.T).max(axis=1)
    best = int(np.argmax(score))
    return cands[best] if float(score[best]) >= ON_TOPIC else None


def core_clause(doc, lead: bool = False) -> str | None:
    """The sentence cut to who did what (5 to 18 words), or None when no such clause can be had.
    ``lead``: the sentence opens its article, where "the storm" is the story's own (elsewhere "the money"
    points back to what came before)."""
    sents = list(doc.sents)
    if not sents:
        return None
    root = sents[0].root
    if root.pos_ not in ("VERB", "AUX"):
        return None
    subj = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    speech = [c for c in root.children if c.dep_ == "ccomp"] if root.lemma_.lower() in _REPORTING else []
    verb = speech[0] if speech else root
    own_subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    named_speaker = bool(speech and subj and subj[0].pos_ == "PROPN")
    if own_subj and own_subj[0].pos_ == "PRON" and not (named_speaker and own_subj[0].lower_ in ("he", "she")):
        return None  # "He urged ...", "Obama says they're not better": whose words or who, the title cannot say
    if any(c.dep_ == "ccomp" for c in verb.children):
        return None  # "Rare documents showed [that ...]": the clause says nothing without what it reports
    lemma = root.lemma_.lower()
    if not speech and (
        lemma in ("say", "tell") or lemma in _REPORTING and not any(c.dep_ == "dobj" for c in root.children)
    ):
        return None  # "Rivlin's office said in a statement", "The K-squad is telling friends": no content
    if own_subj and not lead and _needs_antecedent(own_subj[0]):
        return None  # "The money will help ...", "The sensor would detect ...": which money, which sensor
    # with the verb's prepositional phrases, whole and then with the nouns cut to their own words; then the
    # same without the phrases ("Two former staff members of a delegate to Congress ..." -> "Two former staff members")
    fitting = []
    for optional, short in ((True, False), (True, True), (False, False), (False, True)):
        inner = _clause(verb, optional, short=short)
        if not inner:
            return None
        text = _words(inner)
        if named_speaker:
            if inner and inner[0].pos_ != "PROPN" and inner[0].text != "I":
                text = text[:1].lower() + text[1:]  # "Obama says the leaders ...", not "... says The leaders"
            text = f"{_words(_phrase(subj[0], subject=True))} says {text}"
        n = len(re.findall(r"[A-Za-z0-9][\w'’-]*", text))
        if _PERSONAL.search(text):
            return None  # "Raffaele expressed his frustration to me": a writer's or speaker's own voice
        if _dangling_pronoun(inner, own_subj[0] if own_subj else None):
            return None  # "A man had beaten her unconscious": who she is, the title cannot say
        if _cut_short(inner):
            continue  # "... put Congress on a path", "... is accused": the phrase that carries it was cut
        if MIN_WORDS <= n <= MAX_WORDS and not _QUOTE_MARKS.search(text) and "?" not in text:
            # a cut that keeps a phrase of the verb ("were indicted for circulating nude pictures") before
            # one that keeps a long subject whole and drops them
            with_pp = any(t.head.i == verb.i and t.dep_ in ("prep", "agent") for t in inner)
            fitting.append((not with_pp, len(fitting), text[:1].upper() + text[1:]))
    return min(fitting)[2] if fitting else None


def _cut_short(toks: list) -> bool:
    """The kept words stop right before a phrase that hangs on the last of them ("a path [to ...]",
    "is accused [of ...]", "in connection with the circulation [of ...]")."""
    if not toks:
        return False
    last = toks[-1]
    nxt = last.i + 1
    if nxt >= len(last.doc):
        return False
    if any(c.i == nxt and c.dep_ in ("prep", "agent", "xcomp", "ccomp") for c in last.children):
        return True
    # "the moment [when ...]", "the day [the killings happened]": a common noun whose clause was cut
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in last.children)
    if (
        last.pos_ == "NOUN"
        and definite
        and any(c.dep_ in ("relcl", "acl") and c.left_edge.i == nxt for c in last.children)
    ):
        return True
    # "was caught on tape [telling a rape victim ...]": a verb's -ing clause right after the kept words
    return any(
        c.dep_ in ("advcl", "acl") and c.tag_ == "VBG" and c.left_edge.i == nxt
        for t in toks
        if t.pos_ in ("VERB", "AUX")
        for c in t.children
    )


def _needs_antecedent(subj) -> bool:
    """A subject that only points back ("the money", "this sensor"): a determiner and a common noun with
    no name, number or title in its phrase."""
    words = list(subj.subtree)
    det = [t for t in words if t.dep_ == "det" and t.lower_ in ("the", "this", "that", "these", "those")]
    return (
        subj.pos_ == "NOUN"
        and bool(det)
        and subj.lower_ not in _TITLE_WORDS
        and not any(t.pos_ in ("PROPN", "NUM") or t.like_num for t in words)
        and len(words) <= 3
    )


_OTHERS = {"her", "him", "them", "it", "they", "their", "its", "his"}


def _dangling_pronoun(toks: list, subj) -> bool:
    """A third-person pronoun the title does not name: any, unless it is a possessive of a named subject
    ("Cliven Bundy ... his cattle")."""
    named = subj is not None and any(t.pos_ == "PROPN" for t in subj.subtree)
    for t in toks:
        if (
            t.pos_ == "PRON"
            and t.lower_ in _OTHERS
            and not (named and t.lower_ in ("his", "her", "their", "its") and t.dep_ == "poss")
        ):
            return True
    return False


_TITLE_WORDS = {
    "president", "chancellor", "minister", "prime", "senator", "sen.", "rep.", "representative", "governor",
    "gov.", "mayor", "king", "queen", "pope", "general", "gen.", "secretary", "spokesperson", "spokesman",
    "spokeswoman", "ceo", "chairman", "chairwoman", "director", "judge", "dr.", "mr.", "mrs.", "ms.", "leader",
    "foreign", "chief", "sheriff", "officer", "coach", "actor", "actress", "singer", "star", "rapper",
}  # fmt: skip


def _phrase(head, subject: bool = False, short: bool = False) -> list:
    """A noun phrase without its appositions, clauses and the title words before a name
    ("German Chancellor Olaf Scholz" -> "Olaf Scholz"); only a subject keeps a second conjunct
    ("Scholz and Putin held ..."). ``short``: without the phrases after its head, unless they are part
    of a name ("the Bureau of Land Management")."""
    toks = [t for t in head.subtree if not _inside_dropped(t, head, keep_conj=subject)]
    if short and not _name_goes_on(head):
        toks = [t for t in toks if t.i <= head.i or t.head.i == head.i and t.dep_ in ("conj", "cc")]
    for name in [t for t in toks if t.pos_ == "PROPN" and t.dep_ != "compound"]:
        left = [c for c in name.lefts if c.dep_ in ("compound", "amod")]
        titles = [c.i for c in left if c.lower_ in _TITLE_WORDS]
        if titles and any(c.pos_ == "PROPN" and c.i > max(titles) for c in left):
            cut = max(titles)
            drop = {t.i for c in left if c.i <= cut for t in c.subtree}
            toks = [t for t in toks if t.i not in drop]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks.pop()
    return toks


def _name_goes_on(head) -> bool:
    """A proper name whose "of" phrase is part of it ("Bureau of Land Management")."""
    return head.pos_ == "PROPN" and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.pos_ == "PROPN" for g in c.children) for c in head.children
    )


def _inside_dropped(tok, head, keep_conj: bool = True) -> bool:
    t = tok
    while t.i != head.i:
        if t.dep_ in ("appos", "relcl", "acl", "advcl", "parataxis") or (t.is_punct and t.text in ",;()—–"):
            return True
        if not keep_conj and t.dep_ in ("conj", "cc", "preconj"):
            return True
        t = t.head
    return False


def _clause(verb, optional: bool, need_subject: bool = True, short: bool = False) -> list:
    """Subject, verb, object and complements of a clause; with ``optional``, its prepositional phrases too
    while the whole stays within MAX_WORDS (none that holds a quotation mark); ``short``: nouns without
    the phrases after them."""
    toks = [verb]
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            toks.extend(_phrase(c, subject=True, short=short))
        elif c.dep_ in ("dobj", "attr", "dative", "oprd"):
            toks.extend(_phrase(c, short=short))
        elif c.dep_ in ("aux", "auxpass", "neg", "prt") or (
            c.dep_ == "advmod" and c.i == verb.i + 1 and c.lower_ in _PARTICLES
        ):
            toks.append(c)
        elif _shares_object(verb, c):
            # "found and rescued a person": the second verb shares the subject and holds the object
            toks.extend(g for g in verb.children if g.dep_ == "cc" and verb.i < g.i < c.i)
            toks.extend(_clause(c, optional, need_subject=False, short=short))
        elif c.dep_ == "xcomp":
            toks.extend(_clause(c, optional, need_subject=False, short=short))
        elif c.dep_ == "acomp":
            toks.append(c)
            for x in c.children:
                if x.dep_ == "xcomp":
                    toks.extend(_clause(x, optional, need_subject=False, short=short))
    if need_subject and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return []
    if optional:
        for p in (c for c in verb.children if c.dep_ in ("prep", "agent") and c.i > verb.i and c.lower_ != "according"):
            extra = _pp(p, MAX_WORDS - len(toks))
            if not extra:
                break
            toks.extend(extra)
    return sorted(set(toks), key=lambda t: t.i)


def _shares_object(verb, conj) -> bool:
    """``conj`` is a second verb joined by "and" that holds the object the first lacks ("found and rescued a
    person"), with no subject of its own."""
    if conj.dep_ != "conj" or conj.pos_ != "VERB" or any(g.dep_ in ("nsubj", "nsubjpass") for g in conj.children):
        return False
    if any(g.dep_ in ("dobj", "ccomp", "xcomp", "attr") for g in verb.children):
        return False
    cc = [g for g in verb.children if g.dep_ == "cc" and verb.i < g.i < conj.i]
    return bool(cc) and cc[0].lower_ == "and" and any(g.dep_ == "dobj" for g in conj.children)


def _pp(prep, room: int) -> list:
    """A prepositional phrase in at most ``room`` words: whole, else its object with the first phrase
    hanging on it that still fits ("at the center of a dispute"), else its object alone; [] when even that
    does not fit or it holds a quotation mark."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    if objs:
        whole = sorted([prep, *(t for o in objs for t in _phrase(o))], key=lambda t: t.i)
    else:
        whole = [t for t in prep.subtree if not _inside_dropped(t, prep)]
    if _QUOTE_MARKS.search(" ".join(t.text for t in whole)):
        return []
    if len(whole) <= room:
        return whole
    if not objs:
        return []
    obj = objs[0]
    if _name_goes_on(obj):
        return []  # a name is not cut ("with the Bureau" of Land Management)
    core = [prep] + [t for t in obj.subtree if t.i <= obj.i and not _inside_dropped(t, obj)]
    if len(core) > room:
        return []
    for inner in (c for c in obj.children if c.dep_ == "prep" and c.i > obj.i):
        core += _pp(inner, room - len(core))
        break
    return sorted(core, key=lambda t: t.i)


def _words(toks: list) -> str:
    out = ""
    for k, t in enumerate(toks):
        out += t.text
        if k + 1 < len(toks):
            out += t.whitespace_ if toks[k + 1].i == t.i + 1 else " "
    return re.sub(r"\s+", " ", out).strip(" ,;:-—")
