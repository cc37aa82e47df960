"""Who is speaking: source phrases resolved to the story's entities (analysis/entities/speakers.py)
and the kinds of speaker that can be a party (analysis/entities/parties.py)."""

from __future__ import annotations

import re

import pytest

from crosswire.analysis.entities import parties
from crosswire.analysis.entities.parties import is_party, speaker_kind
from crosswire.analysis.entities.speakers import Speaker, SpeakerResolver
from crosswire.analysis.quotes.attributions import Attribution
from crosswire.analysis.quotes.component import article_quotes
from crosswire.model import Article, Entity, Mention, Role, Span, Story


def _entity(text: str, eid: str, name: str, etype: str, words: list[str], roles=(), aliases=()) -> Entity:
    """An entity with a mention at every whole-word occurrence of each of ``words`` in ``text``."""
    mentions = [
        Mention(span=Span("a1", m.start(), m.end()), text=m.group())
        for w in words
        for m in re.finditer(rf"\b{re.escape(w)}\b", text)
    ]
    return Entity(
        id=eid,
        name=name,
        type=etype,
        aliases=list(aliases),
        mentions=mentions,
        roles=[Role(text=r, source="test", span=Span("a1", 0, 0)) for r in roles],
    )


def _resolver(text: str, *entities: Entity, outlets=()) -> SpeakerResolver:
    return SpeakerResolver(Story(id="s1", title="t", entities=list(entities)), entity_at=None, outlets=outlets)


def _at(res: SpeakerResolver, doc, words: str, nth: int = 0) -> Speaker:
    starts = [m.start() for m in re.finditer(re.escape(words), doc.text)]
    s = starts[nth]
    return res.resolve("a1", doc, s, s + len(words))


SCHOLZ_TEXT = (
    "Olaf Scholz said talks were useful. He added that more would follow. "
    "The chancellor said he was hopeful. The chancellor's office said the call lasted an hour."
)


def _scholz(text: str) -> Entity:
    return _entity(text, "e_scholz", "Olaf Scholz", "PERSON", ["Olaf Scholz", "Scholz"], ["German Chancellor"])


def test_pronoun_speaker_is_the_person_named_before(lang):
    doc = lang.parse(SCHOLZ_TEXT)
    res = _resolver(SCHOLZ_TEXT, _scholz(SCHOLZ_TEXT))
    assert _at(res, doc, "Olaf Scholz") == Speaker("Olaf Scholz", "e_scholz", parties.PERSON)
    assert _at(res, doc, "He") == Speaker("Olaf Scholz", "e_scholz", parties.PERSON)


def test_pronoun_speaker_skips_a_person_of_the_other_gender(lang):
    text = "Ms. Baerbock met Mr. Lavrov in Geneva. Lavrov said the talks had failed. She said they were frank."
    doc = lang.parse(text)
    baerbock = _entity(text, "e_b", "Annalena Baerbock", "PERSON", ["Baerbock"], aliases=["Ms. Baerbock"])
    lavrov = _entity(text, "e_l", "Sergei Lavrov", "PERSON", ["Lavrov"], aliases=["Mr. Lavrov"])
    res = _resolver(text, baerbock, lavrov)
    assert _at(res, doc, "Lavrov", 1).entity == "e_l"
    assert _at(res, doc, "She").entity == "e_b"


def test_pronoun_nobody_named_stays_unresolved_and_is_no_party(lang):
    text = "He said the deal was off."
    doc = lang.parse(text)
    who = _at(_resolver(text), doc, "He")
    assert who == Speaker("He", None, parties.UNKNOWN)
    assert not is_party(who.name)


def test_title_speakers_resolve_to_the_person_holding_the_title(lang):
    doc = lang.parse(SCHOLZ_TEXT)
    res = _resolver(SCHOLZ_TEXT, _scholz(SCHOLZ_TEXT))
    assert _at(res, doc, "The chancellor") == Speaker("Olaf Scholz", "e_scholz", parties.PERSON)
    # a possessive body is a party of its own, not folded into its owner
    office = _at(res, doc, "The chancellor's office")
    assert office.entity is None and office.name == "The chancellor's office" and is_party(office.name)

    text = "Dmitry Peskov spoke to reporters on Friday. The spokesman said no request had come."
    doc = lang.parse(text)
    peskov = _entity(text, "e_p", "Dmitry Peskov", "PERSON", ["Dmitry Peskov"], ["Kremlin spokesman"])
    putin = _entity(text, "e_v", "Vladimir Putin", "PERSON", [], ["Russian President"])
    assert _at(_resolver(text, peskov, putin), doc, "The spokesman").entity == "e_p"


def test_the_entity_resolver_is_asked_for_the_name_at_the_head(lang):
    text = "Kremlin spokesperson Dmitry Peskov said no request had come."
    doc = lang.parse(text)
    peskov = Entity(id="e_peskov", name="Dmitry Peskov", type="PERSON")
    asked = []

    def entity_at(article_id, start, end):
        asked.append(text[start:end])
        return "e_peskov" if "Peskov" in text[start:end] else None

    res = SpeakerResolver(Story(id="s", title="t", entities=[peskov]), entity_at)
    who = res.resolve("a1", doc, 0, len("Kremlin spokesperson Dmitry Peskov"))
    assert who == Speaker("Dmitry Peskov", "e_peskov", parties.PERSON)
    assert any("Peskov" in a for a in asked)


def test_outlets_documents_and_anonymous_sources_are_not_resolved_to_people(lang):
    text = (
        "Olaf Scholz spoke on Monday. Reuters said the talks failed. The indictment said he lied. "
        "A government spokesperson said the call was short. Tagesschau said it was long."
    )
    doc = lang.parse(text)
    reuters = _entity(text, "e_r", "Reuters", "ORG", ["Reuters"])
    res = _resolver(text, _scholz(text), reuters, outlets=["Tagesschau"])
    assert _at(res, doc, "Reuters") == Speaker("Reuters", None, parties.OUTLET)
    assert _at(res, doc, "The indictment") == Speaker("The indictment", None, parties.DOCUMENT)
    assert _at(res, doc, "A government spokesperson") == Speaker("A government spokesperson", None, parties.ANONYMOUS)
    assert _at(res, doc, "Tagesschau").kind == parties.OUTLET


def test_nested_attribution_keeps_its_chain_and_resolves_the_inner_speaker(lang):
    text = "According to the dpa news agency, Scholz told RTL that the call was frustrating. He said more was needed."
    doc = lang.parse(text)

    def span(words: str) -> tuple[int, int]:
        s = text.index(words)
        return s, s + len(words)

    inner = Attribution(cue=span("told RTL"), source=span("Scholz"), content=span("the call was frustrating"))
    inner.content_parts = [inner.content]
    outer = Attribution(cue=span("According to"), source=span("the dpa news agency"), content=None)
    then = Attribution(cue=span("said more"), source=span("He"), content=span("more was needed"))
    then.cue = (then.cue[0], then.cue[0] + 4)
    then.content_parts = [then.content]
    article = Article(id="a1", text=text, source="Example Times")
    res = _resolver(text, _scholz(text), outlets=["Example Times"])
    record: list = []
    quotes = article_quotes(article, doc, res, "crf", [outer, inner, then], record=record)
    q = next(q for q in quotes if q.content == "the call was frustrating")
    assert q.chain == ["Example Times", "the dpa news agency", "Olaf Scholz"]
    assert q.speaker == "Olaf Scholz" and q.speaker_entity == "e_scholz" and q.speaker_kind == parties.PERSON
    # the carriers of the chain are outlets, never parties
    assert not any(is_party(link, ["Example Times"]) for link in q.chain[:-1])
    # "He said" after the nested quote is Scholz again; every source was recorded in text order
    assert next(q for q in quotes if q.content == "more was needed").speaker_entity == "e_scholz"
    assert [doc.text[s:e] for (s, e), _ in record] == ["the dpa news agency", "Scholz", "He"]


def _attr(text: str, cue: str, source: str, content: str) -> Attribution:
    def span(words: str) -> tuple[int, int]:
        s = text.index(words)
        return s, s + len(words)

    a = Attribution(cue=span(cue), source=span(source), content=span(content))
    a.content_parts = [a.content]
    return a


def test_a_document_carrying_a_persons_words_is_not_the_speaker(lang):
    # a tagger may give the quote to the outer link only ("according to an indictment"); the person who
    # speaks in the sentence is the speaker, the document stays in the chain, the content is the quote
    text = (
        'Police charged Edgar Rodriguez on Monday. "You know how things are now; someone goes to court," '
        "Rodriguez told the husband, according to an indictment."
    )
    doc = lang.parse(text)
    rodriguez = _entity(text, "e_rod", "Edgar Rodriguez", "PERSON", ["Edgar Rodriguez", "Rodriguez"])
    res = _resolver(text, rodriguez, outlets=["Example Times"])
    outer = _attr(
        text,
        "according to",
        "an indictment",
        '"You know how things are now; someone goes to court," Rodriguez told the husband',
    )
    (q,) = article_quotes(Article(id="a1", text=text, source="Example Times"), doc, res, "neural", [outer])
    assert q.speaker_entity == "e_rod" and q.speaker_kind == parties.PERSON
    assert q.content == '"You know how things are now; someone goes to court,"'
    assert q.chain == ["Example Times", "an indictment", "Edgar Rodriguez"]


def test_a_broadcaster_reporting_what_a_person_said_is_not_the_speaker(lang):
    text = "Olaf Scholz said he is willing to speak with Putin again, according to the broadcaster RTL."
    doc = lang.parse(text)
    res = _resolver(text, _scholz(text), outlets=["Example Times"])
    outer = _attr(
        text, "according to", "the broadcaster RTL", "Olaf Scholz said he is willing to speak with Putin again"
    )
    (q,) = article_quotes(Article(id="a1", text=text, source="Example Times"), doc, res, "neural", [outer])
    assert q.speaker_entity == "e_scholz"
    assert q.content == "he is willing to speak with Putin again"
    assert q.chain == ["Example Times", "the broadcaster RTL", "Olaf Scholz"]


def test_a_document_stays_the_speaker_when_no_person_speaks_in_its_sentence(lang):
    text = "The company lost money last year, according to court documents filed on Monday."
    doc = lang.parse(text)
    res = _resolver(text, outlets=["Example Times"])
    outer = _attr(text, "according to", "court documents", "The company lost money last year")
    (q,) = article_quotes(Article(id="a1", text=text, source="Example Times"), doc, res, "neural", [outer])
    assert q.speaker == "court documents" and q.speaker_kind == parties.DOCUMENT


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Reuters", parties.OUTLET),
        ("The New York Times", parties.OUTLET),
        ("the dpa news agency", parties.OUTLET),
        ("the indictment", parties.DOCUMENT),
        ("court documents", parties.DOCUMENT),
        ("a statement", parties.DOCUMENT),
        ("Any comments?", parties.UNKNOWN),
        ("said", parties.UNKNOWN),
        ("he", parties.UNKNOWN),
        ("they", parties.UNKNOWN),
        ("the deal", parties.UNKNOWN),
        ("The deal", parties.UNKNOWN),  # a capital "The" at a sentence start names nobody
        ("a White House official", parties.ANONYMOUS),
        ("government sources", parties.ANONYMOUS),
    ],
)
def test_never_a_party(text, kind):
    assert speaker_kind(text) == kind
    assert not is_party(text)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Dmitry Peskov", parties.NAMED),
        ("the Kremlin", parties.ORGANISATION),
        ("police", parties.ORGANISATION),
        ("the chancellor's office", parties.ORGANISATION),
        ("the Kremlin spokesman", parties.PERSON),
        ("state television", parties.ORGANISATION),
        ("the Pentagon", parties.NAMED),  # a capitalised name after "the"
        ("the FBI", parties.NAMED),
    ],
)
def test_parties(text, kind):
    assert speaker_kind(text) == kind
    assert is_party(text)


def test_resolved_pronoun_is_a_party_but_an_outlet_never_is():
    assert is_party("he", entity_type="PERSON", resolved=True)
    assert not is_party("he", entity_type="PERSON")
    assert not is_party("Tagesschau", ["Tagesschau"], entity_type="ORG", resolved=True)


def test_pronoun_gender_learnt_from_the_article_s_own_pronouns(lang):
    text = (
        "Hillary Clinton said she would win and that her plan was ready. "
        "Donald Trump said he would win. "
        "Trump repeated the claim on Monday. She said the claim was false."
    )
    doc = lang.parse(text)
    clinton = _entity(text, "e_c", "Hillary Clinton", "PERSON", ["Hillary Clinton", "Clinton"])
    trump = _entity(text, "e_t", "Donald Trump", "PERSON", ["Donald Trump", "Trump"])
    res = _resolver(text, clinton, trump)
    assert _at(res, doc, "She", 0).entity == "e_c"  # not Trump, the subject just before


def test_names_match_for_the_speaker_benchmark():
    from crosswire.bench.speakers import names_match

    assert names_match("Trump", {"Donald J. Trump"})
    assert names_match("Barack Obama", {"Obama", "Barack Hussein Obama"})
    assert not names_match("Jeh Johnson", {"Gary Johnson"})
    assert not names_match("Clinton", {"Donald Trump"})
