"""Account conflicts: a party's denial set against the accusation it answers.

A denial is a claim in which a named party rejects a statement: "Lehmkuhl had denied she was slacking
off", "Browne-Louis pleaded not guilty", "his son insisted his father was not the kind of man who would
hijack a plane", "'I'm not racist,' he said", "Northwestern believes that our athletes are not
employees". The accusation is a claim of another party (or of the outlet) that asserts what the denial
rejects: it shares the rejected statement's key words and its subject, and reads close to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from crosswire.analysis.compare.conflict_sides import Finding, says, trimmed
from crosswire.analysis.compare.parties import party_of
from crosswire.analysis.context import StoryContext

DENY_VERBS = {"deny", "reject", "dispute", "refute", "contest", "rebut"}
# verbs that put a statement in a party's mouth: what follows is the party's position
STANCE_VERBS = {
    "say",
    "insist",
    "maintain",
    "argue",
    "believe",
    "contend",
    "stress",
    "tell",
    "claim",
    "assert",
    "state",
    "add",
    "write",
    "testify",
    "respond",
    "counter",
    "reply",
}
# stance verbs that make a negative statement a denial: "insisted he was not", "maintains she did nothing wrong"
INSIST_VERBS = {"insist", "maintain", "contend", "counter", "respond", "reply", "testify", "argue"}
_NEG_WORDS = {"not", "n't", "never", "no", "nothing", "none", "nobody", "neither", "nor"}
_STOP = {
    "be",
    "have",
    "do",
    "say",
    "tell",
    "make",
    "get",
    "go",
    "thing",
    "way",
    "time",
    "year",
    "day",
    "people",
    "kind",
    "man",
    "woman",
    "evidence",
    "fact",
    "lot",
    "one",
    "mr.",
    "ms.",
    "mrs.",
}
# A denial and an accusation this similar (MiniLM cosine; same-fact probability when ctx.same_fact is
# filled) that share a key word of the rejected statement answer each other. Chosen on the development sets.
ACCOUNT_CONTEXT = {"cosine": 0.40, "same_fact": 0.3}
MIN_SHARED_KEYS = 1
MAX_POINT_WORDS = 14


@dataclass
class Denial:
    claim: int
    party: str
    entity: str | None
    key: str  # lemma of the rejected statement's predicate: "violate", "racist", "employee"
    object: str | None  # lemma of the predicate's object: "call an ambulance" -> "ambulance"
    subject: str | None  # lemma of its subject when a noun or name ("scholarship"), None for a pronoun
    point: str  # "whether she did violate any law or regulation"
    explicit: bool = False  # a denial in words ("denied", "insisted ... not", "I'm not"): an account; else a negation


def _content(tokens) -> set[str]:
    return {
        t.lemma_.lower()
        for t in tokens
        if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and t.is_alpha and t.lemma_.lower() not in _STOP and len(t) > 2
    }


def _point(tokens) -> str:
    """The rejected statement without its negation: "whether she did violate any law or regulation"."""
    words = [("any" if t.lower_ == "no" else t.text) for t in tokens if t.lower_ not in _NEG_WORDS - {"no"}]
    text = re.sub(r"\s+([,.;:!?’'])", r"\1", " ".join(words)).strip(' ,.;"“”')
    text = re.sub(r"^that\s+", "", text)
    parts = text.split()
    if len(parts) > MAX_POINT_WORDS:
        text = " ".join(parts[:MAX_POINT_WORDS]) + " ..."
    return f"whether {text}" if text else "the accusation"


# "I don't think they're better off" says they are not: a negated verb of opinion passes its negation
# down to the clause it governs
NEG_RAISING = {"think", "believe", "expect", "suppose", "imagine", "reckon", "seem", "appear", "feel"}


def _clause_of(tok):
    """The verb whose clause ``tok`` sits in ("better" in "they're not better off" -> "'re")."""
    head = tok
    while head.pos_ not in ("VERB", "AUX") and head.head is not head:
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") else tok.head


def _negated(tok) -> bool:
    """The clause headed by ``tok`` is negated: "is not", "did not", "no evidence", "aren't", "I don't think
    they are"."""
    if tok.dep_ in ("ccomp", "xcomp") and tok.head.lemma_.lower() in NEG_RAISING and _negated_here(tok.head):
        return True
    return _negated_here(tok)


def _negated_here(tok) -> bool:
    for c in tok.children:
        if c.dep_ == "neg":
            return True
        if c.dep_ in ("attr", "dobj", "nsubj", "acomp", "expl") and any(
            g.dep_ == "det" and g.lower_ in ("no", "neither") for g in c.children
        ):
            return True
        if c.dep_ in ("attr", "dobj", "nsubj") and c.lower_ in ("nothing", "none", "nobody"):
            return True
    return False


# a negated verb of these says nothing was answered, not that a statement is false
NOT_ANSWERS = {
    "confirm",
    "know",
    "say",
    "comment",
    "recall",
    "remember",
    "disclose",
    "elaborate",
    "specify",
    "identify",
    "rule",
    "expect",
    "think",
    "want",
    "respond",
    "return",
    "answer",
}
_NO_SIGN = {"evidence", "sign", "indication", "proof", "suggestion"}


def predicate(tok):
    """(predicate token, subject token or None) of the clause headed by ``tok``: a copula gives way to
    what it says ("are not employees" -> employees); "no evidence that X did Y" gives X did Y."""
    for _ in range(3):
        pred = tok
        if tok.lemma_.lower() == "be":
            comp = [c for c in tok.children if c.dep_ in ("attr", "acomp")]
            if comp:
                pred = comp[0]
        if pred.lemma_.lower() in _NO_SIGN:
            inner = [c for c in pred.children if c.dep_ in ("acl", "ccomp", "relcl") and c.pos_ in ("VERB", "AUX")]
            if inner:
                tok = inner[0]
                continue
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        return pred, (subj[0] if subj else None)
    return tok, None


SELF = "<self>"  # the speaker speaks of itself: "I'm not racist", "we did nothing wrong"


def _subject_key(ctx: StoryContext, article_id: str, subj) -> str | None:
    """The subject as a comparable key: a name's last word or a noun's lemma; SELF for I/we; None unknown."""
    if subj is None or subj.lower_ in ("there", "it", "this", "that"):
        return None
    if subj.lower_ in ("i", "we"):
        return SELF
    if subj.pos_ == "PRON":
        eid = ctx.entity(article_id, subj.idx, subj.idx + len(subj))
        name = next((e.name for e in ctx.story.entities if e.id == eid), None) if eid else None
        return name.split()[-1].lower() if name else None
    return subj.lemma_.lower()


def denial_of(ctx: StoryContext, k: int, party_at: Callable[[int], tuple[str | None, str | None]]) -> Denial | None:
    """The denial a claim states, with its party, or None."""
    claim = ctx.story.claims[k]
    span = ctx.parsed_span(claim.span)
    if span is None:
        return None
    party, entity = party_at(k)
    for tok in span:
        lemma = tok.lemma_.lower()
        head = None
        explicit = True
        if lemma in DENY_VERBS and tok.pos_ == "VERB":
            objs = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            if objs and subj:
                head = objs[0]
                if party is None:
                    party = _subject_party(ctx, claim, subj[0])
        elif lemma in STANCE_VERBS and tok.pos_ == "VERB":
            comp = [c for c in tok.children if c.dep_ == "ccomp" and _negated(c)]
            if comp:
                head = comp[0]
                explicit = lemma in INSIST_VERBS
        if head is None or not (span.start <= head.i < span.end):
            continue  # the denied clause must be this claim's own words
        if party is None:
            return None
        pred, subj = predicate(head)
        key = _subject_key(ctx, claim.span.article, subj)
        if key is None and pred.pos_ != "VERB":
            return None  # "there were no proposals": of what, by whom, cannot be told
        if pred.lemma_.lower() in NOT_ANSWERS or (key == SELF and not explicit and pred.pos_ == "VERB"):
            return None  # "could not confirm", "I don't know how": no answer, no denial
        explicit = explicit or key == SELF
        obj = _object(pred) if pred.pos_ == "VERB" else None
        return Denial(k, party, entity, pred.lemma_.lower(), obj, key, _point(list(head.subtree)), explicit)
    # the claim is the content of a quote: '"I'm not racist," he said'; "She did not violate any law."
    root = span.root
    if party is not None and _negated(root) and claim.attribution:
        pred, subj = predicate(root)
        key = _subject_key(ctx, claim.span.article, subj)
        if key is None and pred.pos_ != "VERB":
            return None
        if pred.lemma_.lower() in NOT_ANSWERS or (key == SELF and pred.pos_ == "VERB"):
            return None
        obj = _object(pred) if pred.pos_ == "VERB" else None
        return Denial(k, party, entity, pred.lemma_.lower(), obj, key, _point(list(span)), key == SELF)
    return None


def _subject_party(ctx: StoryContext, claim, subj) -> str | None:
    from crosswire.analysis.compare.parties import is_party

    words = subj.doc[subj.left_edge.i : subj.i + 1].text
    if subj.pos_ == "PRON":
        eid = ctx.entity(claim.span.article, subj.idx, subj.idx + len(subj))
        names = {e.id: e.name for e in ctx.story.entities}
        return names.get(eid or "")
    outlets = {a.outlet for a in ctx.articles}
    return words if is_party(words, outlets) else None


def _object(verb) -> str | None:
    objs = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
    return objs[0].lemma_.lower() if objs else None


def _predicated(noun) -> bool:
    """The noun is said of something: "are employees", "Lerner, a lawyer", "the equivalent of payment"."""
    if noun.dep_ in ("attr", "appos", "oprd", "acomp"):
        return True
    h = noun.head
    return noun.dep_ == "pobj" and h.lower_ == "of" and h.head.dep_ in ("attr", "pobj", "dobj", "appos")


def _said_by(span, name: str) -> bool:
    """The claim is the denier's own words: a reporting verb whose subject is the denier."""
    last = name.split()[-1].lower()
    for t in span:
        if t.pos_ == "VERB" and t.lemma_.lower() in STANCE_VERBS | DENY_VERBS:
            for c in t.children:
                if c.dep_ == "nsubj" and any(w.lower_ == last for w in c.subtree):
                    return True
    return False


def _asserts(ctx: StoryContext, article_id: str, span, d: Denial) -> bool:
    """The claim asserts the denied predicate (same lemma, not negated) of the same subject (a subject
    the claim leaves unsaid, or the denier speaking of itself, is taken as the same)."""
    if d.object and d.object not in {t.lemma_.lower() for t in span}:
        return False  # "called the boy's mother" does not say "called an ambulance"
    for t in span:
        if t.lemma_.lower() != d.key or t.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ"):
            continue
        if t.pos_ in ("NOUN", "PROPN") and not _predicated(t):
            continue  # "gang members" in passing does not say someone is one
        if t.dep_ == "intj":
            continue  # "Well, I don't think ..." says nothing of being well
        clause = _clause_of(t)
        if _negated(clause) or _negated(t):
            continue
        if t.pos_ == "VERB" and d.object and _object(t) not in (None, d.object):
            continue  # "called the boy's mother" does not say "called an ambulance"
        if d.subject is None or d.subject == SELF:
            return True
        subj = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj:
            return True
        theirs = _subject_key(ctx, article_id, subj[0])
        if theirs == d.subject or (theirs is not None and theirs.split()[-1] == d.subject.split()[-1]):
            return True
    return False


def denial_findings(
    ctx: StoryContext, sim: np.ndarray, sim_kind: str, allied: Callable[[str, str], bool] | None = None
) -> list[Finding]:
    """Each denial against the closest claim of another party (``allied`` tells parties of one side)
    that asserts what it denies."""
    claims = ctx.story.claims
    threshold = ACCOUNT_CONTEXT[sim_kind]
    known: dict[int, tuple[str | None, str | None]] = {}

    def party_at(k: int) -> tuple[str | None, str | None]:
        if k not in known:
            known[k] = party_of(ctx, claims[k])
        return known[k]

    denials = [d for d in (denial_of(ctx, k, party_at) for k in range(len(claims))) if d is not None]
    out: list[Finding] = []
    for d in denials:
        if d.key in _STOP or len(d.key) < 3:
            continue
        best = None
        for j, c in enumerate(claims):
            if j == d.claim or sim[d.claim, j] < threshold:
                continue
            other = party_at(j)[0]
            if other is not None and _same_party(other, d.party):
                continue
            span = ctx.parsed_span(c.span)
            if other is not None and allied is not None and allied(other, d.party):
                continue
            if span is None or not _asserts(ctx, c.span.article, span, d) or _said_by(span, d.party):
                continue
            # the accusation the same article sets the denial against first, then the closest
            score = float(sim[d.claim, j]) + (1.0 if c.span.article == claims[d.claim].span.article else 0.0)
            if best is None or score > best[0]:
                best = (score, j)
        if best is None:
            continue
        j = best[1]
        who = party_at(j)[0] or claims[j].source
        what = (
            f'on {d.point}: {who} {says(ctx, who)} "{trimmed(claims[j].text)}"; '
            f'{d.party} {says(ctx, d.party)} "{trimmed(claims[d.claim].text)}"'
        )
        kind = "account" if d.explicit else "negation"
        key = (kind, tuple(sorted((d.claim, j))))
        out.append(Finding(kind, d.point, [j], [d.claim], what, key, best[0], None, (d.party, d.entity)))
    return out


def _same_party(a: str, b: str) -> bool:
    la, lb = a.lower(), b.lower()
    return la == lb or la.split()[-1] == lb.split()[-1]
