"""Rules for direct quotes the tagger left without an attribution.

A quotation followed by a short attribution clause (``"...," Peskov claimed.``,
``"...," said Smith``) or preceded by one (``Smith said: "..."``) becomes an
attribution when the tagger found no content touching that quotation. The
clause must hold a cue-like verb (by the trained cue lexicon) with a subject.
"""

from __future__ import annotations

from crosswire.analysis.quotes.marks import quote_regions

CUE_P = 0.3
MAX_CLAUSE = 8  # tokens between the quote and the end of the attribution clause


def _cue_verb(tokens, lex):
    for t in tokens:
        if t.pos_ in ("VERB", "AUX") and lex.get(t.lemma_.lower(), 0.0) >= CUE_P:
            return t
    return None


def _subject(verb):
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    return None


def direct_quote_attributions(doc, lex, taken: list[tuple[int, int]]):
    """(source, cue, content) character spans for quotations no tagged content touches."""
    out = []
    for qs, qe in quote_regions(doc.text):
        if any(s < qe and qs < e for s, e in taken):
            continue
        span = doc.char_span(qs, qe, alignment_mode="expand")
        if span is None or len(span) < 4:
            continue
        after = [t for t in doc[span.end : span.end + MAX_CLAUSE] if not t.is_space]
        # stop the clause at the sentence end
        clause = []
        for t in after:
            if t.text in ".!?;" or t.text in '“"':
                break
            clause.append(t)
        verb = _cue_verb(clause, lex)
        if verb is None:
            before = list(doc[max(0, span.start - MAX_CLAUSE) : span.start])
            k = len(before)
            while k > 0 and before[k - 1].text not in ".!?;\n" and not before[k - 1].is_space:
                k -= 1
            clause = before[k:]
            if not clause or clause[-1].text not in (":", ","):
                continue
            verb = _cue_verb(clause, lex)
        if verb is None:
            continue
        subj = _subject(verb)
        if subj is None:
            continue
        src = (subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge.text))
        cue = (verb.idx, verb.idx + len(verb.text))
        out.append((src, cue, (qs, qe)))
    return out
