"""Stores for the web tests: the sample story (filled in where components are still missing) and a hostile article."""

from __future__ import annotations

import copy
from pathlib import Path

from crosswire.bench.web_data import synth_story
from crosswire.model import (
    Account,
    Article,
    Conflict,
    Difference,
    Differences,
    Dossier,
    OutletLead,
    Side,
    Span,
    Story,
    TimelineEntry,
)
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


BIG = 30  # articles in the generated store's big story


def big_story(base: list[dict]) -> tuple[Story, list[Article]]:
    """A 30-article story from six outlets (two given as codes), shaped like a real analysed story: a short
    summary, each outlet's lead, ranked differences, a conflict with two sides, a timeline with one
    background date years away, and the analysis faults the pages must absorb (a "party" named "who",
    doubled quotation marks)."""
    sources = ["nyt", "wapo", "Daily Ledger", "Morning Wire", "Harbor Times", "Capital Post"]
    arts = []
    for j in range(BIG):
        b = base[(j * 37 + 11) % len(base)]
        text = f"{b['text']}\n\nBig story update {j}."
        arts.append(
            Article(
                id=Article.make_id(text),
                text=text,
                raw=text,
                path=f"/data/incoming/big-{j:02d}.json",
                url=f"https://news.example.org/big/{j}" if j % 2 == 0 else None,
                source=sources[j % len(sources)],
                title=b["title"],
                published=f"2024-03-{1 + j % 9:02d}",
                published_from="metadata",
                format="jsonl",
            )
        )
    s = synth_story(arts)
    s.title = "Big generated story: thirty articles from six outlets"
    s.summary = s.summary[:4]
    for k, g in enumerate(s.claim_groups):
        g.importance = 1.0 / (1 + k)
    s.timeline.append(TimelineEntry("t_background", "2011-05-02", "day", False, "A law passed years before.", []))
    if s.quotes:
        q = s.quotes[0]
        q.content = "“" + q.content + "”"
    a0, a1 = arts[0], arts[1]
    sp0, sp1 = s.summary[0].citations[0], Span(a1.id, 0, min(60, len(a1.text)))
    s.conflicts = [
        Conflict(
            "x_big",
            [s.claim_groups[0].id, s.claim_groups[1].id],
            "number",
            "the two outlets give different counts",
            [sp0, sp1],
            point="the number of people affected",
            sides=[
                Side("Mayor Jane Doe", None, a0.text[sp0.start : sp0.end], [a0.outlet], [sp0]),
                Side("who", None, a1.text[: sp1.end], [a1.outlet], [sp1]),
            ],
        )
    ]
    s.differences = Differences(
        leads=[OutletLead(a.source, a.id, a.title, a.text[:80], [Span(a.id, 0, 80)]) for a in arts[:6]],
        points=[
            Difference("omission", f"{a.source} leaves out the second point.", [a.source], [Span(a.id, 0, 40)])
            for a in arts[:6]
        ],
    )
    s.accounts.append(Account("who", None, [c.id for c in s.claims[:2]]))
    return s, arts


def build_generated_store(db: Path, bench_root: Path, n: int = 100) -> dict[str, str]:
    """n stories from the web benchmark's generator (bench/web_data.py), one of them the big story; their ids."""
    from crosswire.bench.web_data import fill_store, load_bench_articles

    fill_store(db, n - 2, bench_root)
    base = load_bench_articles(bench_root)
    story, arts = big_story(base)
    b = base[5]
    text = f"{b['text']}\n\nA lone article."
    lone = Article(Article.make_id(text), text, text, "/data/lone.txt", None, "Valley News", b["title"], "2024-02-02")
    lone_story = synth_story([lone])
    with Store(db) as store:
        for a in [*arts, lone]:
            store.put_article(a)
        store.put_story(story, {a.id: a for a in arts})
        store.put_story(lone_story, {lone.id: lone})
    return {"big": story.id, "lone": lone_story.id, "lone_article": lone.id, "big_article": arts[0].id}
