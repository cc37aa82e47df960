"""Entities merged across sources: aliases, repaired types, per-source roles, entity_at."""

from __future__ import annotations

import datetime

import pytest

from crosswire.analysis.context import StoryContext
from crosswire.model import Article, Story, stable_id
from crosswire.settings import Settings

TEXTS = [
    "Kremlin spokesperson Dmitry Peskov said on Monday that Moscow had no request. "
    "German Chancellor Olaf Scholz later called. The chancellor spoke for an hour, Peskov said, "
    "and he added that the Kremlin was open to talks.",
    "Scholz told Russian President Vladimir Putin that the war must end. The Russian President "
    "replied that the German leader knew his position. Dmitry Peskov, the Kremlin spokesman, confirmed it.",
    "German Prime Minister Olaf Scholz spoke with Putin. The head of the Russian state said talks could go on.",
]


@pytest.fixture(scope="module")
def ctx(lang):
    arts = [Article(id=f"a{i}", text=t, source=f"outlet{i}") for i, t in enumerate(TEXTS)]
    story = Story(id="s_test", title="test", articles=[a.id for a in arts])
    c = StoryContext(story=story, articles=arts, lang=lang, settings=Settings(), today=datetime.date(2025, 1, 1))
    from crosswire.analysis import entities

    entities.run(c)
    return c


def by_name(ctx, name):
    return next(e for e in ctx.story.entities if e.name == name)


def test_aliases_merge_into_one_person(ctx):
    scholz = by_name(ctx, "Olaf Scholz")
    assert scholz.type == "PERSON"
    texts = {m.text for m in scholz.mentions}
    assert {"Olaf Scholz", "Scholz", "chancellor", "German leader"} <= texts
    assert scholz.id == stable_id("e_", "s_test", "Olaf Scholz")
    people = [e for e in ctx.story.entities if e.type == "PERSON" and "Scholz" in e.name]
    assert len(people) == 1


def test_roles_per_source_including_disagreement(ctx):
    roles = {(r.text, r.source) for r in by_name(ctx, "Olaf Scholz").roles}
    assert ("German Chancellor", "outlet0") in roles
    assert ("German Prime Minister", "outlet2") in roles
    peskov = by_name(ctx, "Dmitry Peskov")
    assert {"Kremlin spokesperson", "the Kremlin spokesman"} <= {r.text for r in peskov.roles}


def test_role_descriptions_resolve_to_the_holder(ctx):
    putin = by_name(ctx, "Vladimir Putin")
    texts = {m.text for m in putin.mentions if m.kind == "description"}
    assert "Russian President" in texts and "head of the Russian state" in texts


def test_kremlin_and_spokesperson_are_distinct_but_linked(ctx):
    kremlin = by_name(ctx, "Kremlin")
    peskov = by_name(ctx, "Dmitry Peskov")
    assert kremlin.type == "ORG" and kremlin.id != peskov.id
    assert kremlin.id in peskov.linked and peskov.id in kremlin.linked


def test_every_mention_and_role_is_a_span_of_the_text(ctx):
    texts = {a.id: a.text for a in ctx.articles}
    for e in ctx.story.entities:
        for m in e.mentions:
            assert texts[m.span.article][m.span.start : m.span.end] == m.text
        for r in e.roles:
            assert texts[r.span.article][r.span.start : r.span.end] == r.text


def test_entity_at_resolves_names_descriptions_and_pronouns(ctx):
    at = ctx.entity_at
    t0 = TEXTS[0]
    scholz = by_name(ctx, "Olaf Scholz").id
    peskov = by_name(ctx, "Dmitry Peskov").id
    i = t0.index("The chancellor")
    assert at("a0", i, i + len("The chancellor")) == scholz
    i = t0.index("Peskov said,")
    assert at("a0", i, i + 6) == peskov
    i = t0.index("he added")
    assert at("a0", i, i + 2) == peskov  # nearest person before the pronoun
    i = t0.index("Kremlin spokesperson Dmitry Peskov")
    assert at("a0", i, i + len("Kremlin spokesperson Dmitry Peskov")) == peskov  # a person beats the org
    assert at("a0", 0, 0) is None


def test_seed_dossier_entities(seed_dossier):
    ents = [e for s in seed_dossier.stories for e in s.entities]
    scholz = [e for e in ents if e.type == "PERSON" and "Scholz" in e.name]
    assert scholz, "no Scholz entity"
    big = max(scholz, key=lambda e: len(e.mentions))
    assert big.name == "Olaf Scholz"
    assert {"German Chancellor", "German Prime Minister"} <= {r.text for r in big.roles}
    assert not [e for e in ents if e.name == "Scholz" and e.type != "PERSON"], "a bare 'Scholz' kept a wrong type"


def test_relatives_stay_apart_and_suffixes_go(lang):
    texts = [
        "Hoyt Teasley was killed on Friday. His widow, Deborah Teasley, spoke to reporters. "
        "Arcade Joseph Comeaux Jr. escaped from a prison van.",
        "Teasley was a deputy. Comeaux was caught later; Arcade Joseph Comeaux had been armed.",
    ]
    arts = [Article(id=f"b{i}", text=t) for i, t in enumerate(texts)]
    c = StoryContext(
        story=Story(id="s2", title="t"), articles=arts, lang=lang, settings=Settings(), today=datetime.date(2025, 1, 1)
    )
    from crosswire.analysis import entities

    entities.run(c)
    people = {e.name: e for e in c.story.entities if e.type == "PERSON"}
    assert "Hoyt Teasley" in people and "Deborah Teasley" in people
    assert people["Hoyt Teasley"].id != people["Deborah Teasley"].id
    comeaux = [e for e in people.values() if "Comeaux" in e.name]
    assert len(comeaux) == 1 and comeaux[0].name == "Arcade Joseph Comeaux"
    assert "Comeaux" in {m.text for m in comeaux[0].mentions}
