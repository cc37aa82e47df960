"""Names kept whole: title abbreviations before a name, and the heads of organisation names.

Title abbreviations are kept whole by the tokenizer and never taken for a sentence end.

spaCy's English tokenizer knows "Dr.", "Gov.", "Sen." and a few more, but splits the ranks that police,
military and court reports put before names ("said LAPD Det. Chris Barling", "Iowa State Patrol Sgt.
Scott Bright"): the period becomes a token, the parser ends the sentence there, and the named
entity comes out as "LAPD Det". ``keep_titles_whole`` makes each abbreviation one token and forbids a
sentence to start right after it when a name follows (the tagger, which runs first, tags it NNP).

The small model's entity recogniser also stops organisation names short of their head noun ("the Iowa
State" in "provided by the Iowa State Patrol"; "Wayne State University" in "Wayne State University Police"):
``extend_org_heads`` runs after it and extends an organisation or place name over the capitalised words
after it up to an organisation head noun (Patrol, Police, Department, ...), as one organisation.
"""

from __future__ import annotations

from typing import Any

# AP-style ranks and titles written before a name; none is a word that ends an ordinary sentence
TITLE_ABBREVIATIONS = (
    "Amb",
    "Asst",
    "Atty",
    "Brig",
    "Capt",
    "Cmdr",
    "Cmdt",
    "Col",
    "Cpl",
    "Dep",
    "Det",
    "Ens",
    "Hon",
    "Insp",
    "Lt",
    "Maj",
    "Msgr",
    "Ofc",
    "Pfc",
    "Pvt",
    "Reps",
    "Sens",
    "Sgt",
    "Spc",
    "Supt",
)
COMPONENT = "crosswire_titles"
ORG_COMPONENT = "crosswire_org_heads"
# head nouns of organisation (and institution) names; the entities component also reads them (a "PERSON"
# whose last word is one is an organisation: "Mercy Hospital")
ORG_HEADS = frozenset(
    "Patrol Police Department Office Service Services Agency Bureau Commission Council Committee Court "
    "University College Party Board Authority Administration Ministry Guard Army Navy Corps Institute "
    "Association Union Company Corporation Group Foundation Center Centre Hospital School Church Coalition "
    "Alliance Network Society Fund Bank Trust Sheriff Marshals Prosecutors Clinic Inc Inc. Corp Corp. "
    "Hotel Airport Stadium".split()
)
MAX_HEAD_WORDS = 3  # capitalised words an organisation name is extended over
_ABBREVIATED = frozenset(a + "." for a in TITLE_ABBREVIATIONS)


def _extended(doc: Any) -> list:
    """The document's entities, organisation and place names extended to their organisation head."""
    from spacy.tokens import Span

    ents = list(doc.ents)
    starts = {e.start for e in ents}
    out = []
    for e in ents:
        if e.label_ not in ("ORG", "GPE", "NORP", "FAC"):
            out.append(e)
            continue
        end, i = e.end, e.end
        while i < len(doc) and i - e.end < MAX_HEAD_WORDS and i not in starts and doc[i].tag_ in ("NNP", "NNPS"):
            if doc[i].text in ORG_HEADS:
                end = i + 1
            i += 1
        out.append(e if end == e.end else Span(doc, e.start, end, label="ORG"))
    return out


def _no_break_after_title(doc: Any) -> Any:
    for tok in doc[:-1]:
        nxt = doc[tok.i + 1]
        if tok.text in _ABBREVIATED and (nxt.tag_ in ("NNP", "NNPS") or nxt.text in _ABBREVIATED):
            nxt.is_sent_start = False
    return doc


def _extend_org_heads(doc: Any) -> Any:
    doc.ents = _extended(doc)
    return doc


def _register() -> None:
    """Make both components known to spaCy (once per process)."""
    from spacy.language import Language as SpacyLanguage

    for name, func in ((COMPONENT, _no_break_after_title), (ORG_COMPONENT, _extend_org_heads)):
        if name not in SpacyLanguage.factories:
            SpacyLanguage.component(name, func=func)


def keep_titles_whole(nlp: Any) -> None:
    """Add the special cases, the sentence rule (before the parser) and the organisation heads (after the
    entity recogniser) to a loaded English pipeline."""
    from spacy.symbols import ORTH

    for abbr in _ABBREVIATED:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    _register()
    if COMPONENT not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser")
    if ORG_COMPONENT not in nlp.pipe_names and "ner" in nlp.pipe_names:
        nlp.add_pipe(ORG_COMPONENT, after="ner")
