"""Stores for the web tests: the sample story (filled in where components are still missing) and a hostile article."""

from __future__ import annotations

import copy
from pathlib import Path

from crosswire.bench.web_data import synth_story
from crosswire.model import Article, Dossier, Story
from crosswire.store.db import Store

EVIL = Path(__file__).parent / "fixtures" / "web" / "evil.txt"
FILLABLE = ("summary", "timeline", "entities", "quotes", "claims", "claim_groups", "conflicts", "accounts", "events")


def filled_story(story: Story, articles: list[Article]) -> Story:
    """The story with every part that no component filled yet taken from the text-rule builder.

    Parts the real components produced are kept as they are, so the pages are tested on real
    output where it exists and on exact spans into the same articles where it does not.
    """
    s = copy.deepcopy(story)
    synth = synth_story(articles)
    took = set()
    for name in FILLABLE:
        if not getattr(s, name):
            setattr(s, name, getattr(synth, name))
            took.add(name)
    if "claim_groups" in took or not s.coverage.outlets:
        s.claims, s.claim_groups, s.coverage = synth.claims, synth.claim_groups, synth.coverage
    return s


def evil_article() -> Article:
    text = EVIL.read_text(encoding="utf-8")
    return Article(
        id=Article.make_id(text),
        text=text,
        raw=text,
        path=str(EVIL),
        source="Hostile Wire",
        title='<script>alert("title")</script> Hostile title',
        published="2024-10-14",
        format="text",
    )


def build_store(db: Path, dossier: Dossier) -> dict[str, str]:
    """Save the sample dossier (filled in) and one story of the hostile article; returns their ids."""
    d = copy.deepcopy(dossier)
    for i, a in enumerate(d.articles):  # as `--published` would, where the input does not say
        if not a.published:
            a.published, a.published_from = f"2024-10-{13 + i % 5}", "user"
    by_id = {a.id: a for a in d.articles}
    d.stories = [filled_story(s, [by_id[a] for a in s.articles if a in by_id]) for s in d.stories]
    evil = evil_article()
    evil_story = synth_story([evil])
    with Store(db) as store:
        store.save_dossier(d)
        store.put_article(evil)
        store.put_story(evil_story, {evil.id: evil})
    return {"story": d.stories[0].id, "evil_article": evil.id, "evil_story": evil_story.id}
