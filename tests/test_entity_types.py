"""Entity types repaired with evidence from the whole story: places, parties, idioms, people.
The sentences are written for these tests; the small spaCy model tags several of these
names wrongly (Mykolaiv and Kherson as PERSON, Odesa as NORP, Pandora as GPE)."""

from __future__ import annotations

import datetime

import pytest

from crosswire.analysis.context import StoryContext
from crosswire.analysis.entities import evidence
from crosswire.model import Article, Story
from crosswire.settings import Settings

TEXTS = [
    "Chancellor Olaf Scholz met aid workers on Monday. Residents of Mykolaiv said the shelling went on, "
    "and Kherson's mayor asked for help. Many families travelled to Odesa.",
    "The far-right AfD gained, while the Greens lost votes. AfD lawmakers left the chamber. Scholz warned "
    "against opening Pandora's box, calling the plan a Trojan horse and the coalition's Achilles' heel.",
    "Jordan, 34, said he would run again. Jordan told reporters he had confidence in Macron. Macron said he "
    "was ready, and Macron thanked him. Pandora's shares rose 4 percent after Pandora said sales grew.",
]


@pytest.fixture(scope="module")
def story_entities(lang) -> dict:
    from crosswire.analysis import entities

    arts = [Article(id=f"a{i}", text=t, source=f"o{i}") for i, t in enumerate(TEXTS)]
    ctx = StoryContext(
        story=Story(id="s_types", title="t", articles=[a.id for a in arts]),
        articles=arts,
        lang=lang,
        settings=Settings(),
        today=datetime.date(2025, 1, 1),
    )
    entities.run(ctx)
    texts = {a.id: a.text for a in arts}
    for e in ctx.story.entities:  # every mention still points at its own text
        assert all(texts[m.span.article][m.span.start : m.span.end] == m.text for m in e.mentions)
    return {e.name: e for e in ctx.story.entities}


@pytest.fixture(scope="module")
def types(story_entities) -> dict[str, str]:
    return {name: e.type for name, e in story_entities.items()}


def test_places_from_the_text_around_them(types):
    assert types["Mykolaiv"] == "GPE"  # "Residents of Mykolaiv"
    assert types["Kherson"] == "GPE"  # "Kherson's mayor"
    assert types["Odesa"] == "GPE"  # "travelled to Odesa"


def test_parties(types):
    assert types["AfD"] == "ORG"
    assert types["Greens"] in ("NORP", "ORG")


def test_idioms_name_no_one_but_a_company_of_that_name_stays(story_entities):
    assert "Trojan" not in story_entities and "Achilles" not in story_entities
    # the company "Pandora" (its shares rose) stays; the idiom's "Pandora" did not join it
    pandora = story_entities["Pandora"]
    assert {m.span.article for m in pandora.mentions} == {"a2"} and len(pandora.mentions) == 2


def test_people_stay_people(types):
    assert types["Macron"] == "PERSON"  # "confidence in Macron" is no place
    assert types["Jordan"] == "PERSON"  # "Jordan, 34," although spaCy tags one "Jordan" a GPE
    assert types["Olaf Scholz"] == "PERSON"


@pytest.mark.parametrize(
    ("text", "name", "want"),
    [
        ("Residents of Zolotiv fled.", "Zolotiv", "strong"),
        ("The Zolotiv-based charity helped.", "Zolotiv", "motion"),
        ("Zolotiv's mayor spoke.", "Zolotiv", "strong"),
        ("She flew back to Zolotiv.", "Zolotiv", "motion"),
        ("He returned to Intel after a year.", "Intel", "motion"),  # not enough for a name tagged ORG
        ("Fighting went on in Zolotiv.", "Zolotiv", "weak"),
        ("Voters lost confidence in Brandt.", "Brandt", None),
        ("In Brandt's view the talks failed.", "Brandt", None),
        ("The mayor of Brandt's home town spoke.", "Brandt", None),
        ("It happened in May.", "May", None),
        ("She spoke to Brandt.", "Brandt", None),
        ("They live in Hawaiian Gardens.", "Hawaiian", None),  # part of a longer name
    ],
)
def test_place_evidence(text, name, want):
    s = text.index(name)
    assert evidence.place_evidence(text, s, s + len(name)) == want


def test_a_nationality_needs_a_whole_noun_phrase():
    text = "Troops flew to French territory."
    s = text.index("French")
    assert evidence.place_evidence(text, s, s + 6) == "motion"
    assert evidence.place_evidence(text, s, s + 6, strict=True) is None


@pytest.mark.parametrize(
    ("text", "name", "want"),
    [
        ("The far-right AfD gained.", "AfD", True),
        ("AfD lawmakers left.", "AfD", True),
        ("The BSW party won seats.", "BSW", True),
        ("The opposition SNP objected.", "SNP", True),
        ("AfD's co-leader spoke.", "AfD", True),
        ("Brandt said the vote was close.", "Brandt", False),
        ("Brandt's supporters cheered.", "Brandt", False),
    ],
)
def test_party_evidence(text, name, want):
    s = text.index(name)
    assert evidence.party_evidence(text, s, s + len(name)) is want


@pytest.mark.parametrize(
    ("text", "name", "want"),
    [
        ("Zelensky said it opened a “Pandora’s box”.", "Pandora", True),
        ("It is the Achilles' heel of the plan.", "Achilles", True),
        ("They crossed the Rubicon.", "Rubicon", True),
        ("Pandora's shares rose.", "Pandora", False),
        ("The Rubicon river is shallow.", "Rubicon", False),
    ],
)
def test_idioms(text, name, want):
    s = text.index(name)
    assert evidence.is_idiom(text, s, s + len(name)) is want


def test_seed_story_types(seed_dossier):
    ents = {e.name: e for s in seed_dossier.stories for e in s.entities}
    assert ents["Kyiv"].type == "GPE" and "Kiev" in ents["Kyiv"].aliases  # one place, two spellings
    assert ents["AfD"].type == "ORG"
    assert "Pandora" not in ents
    quotes = [q for s in seed_dossier.stories for q in s.quotes if "Pandora" in q.content]
    assert quotes and all(q.speaker == "Volodymyr Zelensky" for q in quotes)


def test_an_all_capitals_heading_is_no_name(lang):
    # a newsletter's heading "OBAMA GOES OUTSIDE IN ON JOBS" gave a PERSON "OBAMA GOES" that took
    # "the president"'s quotes as its own
    from crosswire.analysis import entities

    text = "OBAMA GOES OUTSIDE IN ON JOBS - The president spoke in Ohio.\n\nBarack Obama said jobs come first."
    art = Article(id="a0", text=text, source="o0")
    ctx = StoryContext(
        story=Story(id="s_caps", title="t", articles=["a0"]),
        articles=[art],
        lang=lang,
        settings=Settings(),
        today=datetime.date(2025, 1, 1),
    )
    entities.run(ctx)
    names = {e.name for e in ctx.story.entities}
    assert "Barack Obama" in names
    assert not any(n.isupper() and " " in n for n in names), names
