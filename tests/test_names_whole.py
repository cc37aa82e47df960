"""Names kept whole (nlp/titles.py) and attributions put after their clause (quotes/component.py):
"..., said LAPD Det. Chris Barling." is one sentence whose speaker is Chris Barling and whose quote is
the whole clause before the comma."""

from __future__ import annotations

from crosswire.analysis.entities import parties
from crosswire.analysis.quotes.attributions import Attribution
from crosswire.analysis.quotes.component import article_quotes
from crosswire.model import Article
from test_speakers import _entity, _resolver

ARREST = (
    "Dwight Smith, 30, and Kevin Johnson, 25, were arrested last week on suspicion of murder, "
    "said LAPD Det. Chris Barling. He gave no other details."
)
PILEUP = (
    "Blinding snow is blamed for a 30-car pileup on Interstate 35 near Fort Dodge, Iowa, that killed two "
    "people, said Iowa State Patrol Sgt. Scott Bright."
)


def _ents(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_a_rank_before_a_name_ends_no_sentence_and_no_name(lang):
    doc = lang.parse(ARREST)
    assert [s.text for s in doc.sents][0].endswith("said LAPD Det. Chris Barling.")
    assert ("Chris Barling", "PERSON") in _ents(doc)
    assert not any(text.endswith("Det") for text, _ in _ents(doc))
    doc = lang.parse(PILEUP)
    assert len(list(doc.sents)) == 1
    assert ("Scott Bright", "PERSON") in _ents(doc)


def test_a_rank_that_ends_a_sentence_still_ends_it(lang):
    # no name after it: the tagger does not tag "The" NNP, so the sentence may end there
    doc = lang.parse("He was promoted to Sgt. The next day he left the force.")
    assert len(list(doc.sents)) == 2


def test_an_organisation_name_runs_to_its_head_noun(lang):
    doc = lang.parse("This photo provided by the Iowa State Patrol shows the scene of the crash.")
    assert any(text.endswith("Iowa State Patrol") and label == "ORG" for text, label in _ents(doc))
    doc = lang.parse("Wayne State University Police K9 Officer Collin Rose has died.")
    assert ("Wayne State University Police", "ORG") in _ents(doc)
    assert ("Collin Rose", "PERSON") in _ents(doc)


def _span(text: str, words: str) -> tuple[int, int]:
    s = text.index(words)
    return s, s + len(words)


def _attr(text: str, cue: str, source: str, content: str | None = None) -> Attribution:
    """An attribution as a tagger gives it: cue, source and (when given) one piece of content."""
    a = Attribution(cue=_span(text, cue), source=_span(text, source), content=None)
    if content is not None:
        a.content = _span(text, content)
        a.content_parts = [a.content]
    return a


def _quotes(text: str, person, attrs: list[Attribution], lang):
    article = Article(id="a1", text=text, source="Example Times")
    return article_quotes(article, lang.parse(text), _resolver(text, person), "crf", attrs)


def test_an_attribution_after_its_clause_quotes_the_whole_clause(lang):
    # a tagger that cuts the content to the last phrase ("on suspicion of murder") gets the whole clause
    barling = _entity(ARREST, "e_barling", "Chris Barling", "PERSON", ["Chris Barling"])
    a = _attr(ARREST, "said", "LAPD Det. Chris Barling", "on suspicion of murder")
    (q,) = _quotes(ARREST, barling, [a], lang)
    assert q.speaker_entity == "e_barling" and q.speaker_kind == parties.PERSON
    assert q.content == "Dwight Smith, 30, and Kevin Johnson, 25, were arrested last week on suspicion of murder"


def test_a_cue_inside_the_clause_another_source_reports_is_no_quote(lang):
    # the tagger's two readings of one sentence: "Blinding snow" "is blamed for" ..., and Sgt. Bright "said"
    # with no content; the sergeant says the whole clause, the snow says nothing
    bright = _entity(PILEUP, "e_bright", "Scott Bright", "PERSON", ["Scott Bright"])
    snow = _attr(PILEUP, "is blamed for", "Blinding snow", "a 30-car pileup on Interstate 35 near Fort Dodge")
    sgt = _attr(PILEUP, "said", "Iowa State Patrol Sgt. Scott Bright")
    quotes = _quotes(PILEUP, bright, [snow, sgt], lang)
    assert [(q.speaker_entity, q.content) for q in quotes] == [("e_bright", PILEUP[: PILEUP.index(", said")])]


def test_a_direct_quote_before_its_attribution_keeps_its_marks(lang):
    text = '"We will rebuild the bridge within a year," said Mayor Ann Lee.'
    lee = _entity(text, "e_lee", "Ann Lee", "PERSON", ["Ann Lee"])
    (q,) = _quotes(text, lee, [_attr(text, "said", "Mayor Ann Lee", "We will rebuild the bridge within a year,")], lang)
    assert q.content == '"We will rebuild the bridge within a year,"'
