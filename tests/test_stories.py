"""Story clustering, topics, titles and storylines."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from crosswire.group import Features, OnlineClusterer, Params, article_embedding_text, cluster_articles
from crosswire.group.events import headline, writing_date
from crosswire.model import Article

FIX = Path(__file__).parent / "fixtures" / "stories"
NAMES = ["flood_a", "chess_a", "flood_b", "chess_b", "flood_c", "chess_c"]


def fixture_articles(dates: dict[str, str] | None = None) -> list[Article]:
    dates = dates or {}
    return [
        Article(
            id=n, text=(FIX / f"{n}.txt").read_text(encoding="utf-8"), source=n.split("_")[1], published=dates.get(n)
        )
        for n in NAMES
    ]


def test_two_stories_from_fixtures(lang):
    arts = fixture_articles()
    stories = cluster_articles(arts, lang, None)
    groups = sorted(sorted(s.articles) for s in stories)
    assert groups == [["chess_a", "chess_b", "chess_c"], ["flood_a", "flood_b", "flood_c"]]
    for s in stories:
        assert s.topic and s.title and s.events
        assert s.title in {headline(a) for a in arts}
        assert sorted(x for e in s.events for x in e.articles) == sorted(s.articles)
    # unrelated stories do not share a topic
    assert len({s.topic for s in stories}) == 2


def test_story_ids_stable_as_articles_arrive(lang):
    arts = fixture_articles()
    first = {s.id: set(s.articles) for s in cluster_articles(arts[:2], lang, None)}
    later = {s.id: set(s.articles) for s in cluster_articles(arts, lang, None)}
    assert set(first) <= set(later)
    for sid, members in first.items():
        assert members <= later[sid]


def test_copies_follow_their_canonical(lang):
    arts = fixture_articles()
    copy = Article(id="copy", text=arts[0].text, duplicate_of="flood_a", source="other")
    stories = cluster_articles(arts + [copy], lang, None)
    home = next(s for s in stories if "flood_a" in s.articles)
    assert "copy" in home.articles
    assert sum("copy" in s.articles for s in stories) == 1


def test_time_window_closes_old_stories(lang):
    arts = fixture_articles({"flood_a": "2024-03-05", "flood_b": "2024-03-05", "flood_c": "2024-09-30"})
    arts = [a for a in arts if a.id.startswith("flood")]
    stories = cluster_articles(arts, lang, None)
    # flood_c comes months after the last article: the story has faded, it opens a new one
    assert sorted(len(s.articles) for s in stories) == [1, 2]


def _features(n: int, seed: int = 0) -> list[Features]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 384)).astype(np.float32)
    out = []
    for i in range(n):
        k = i % 3
        v = centres[k] + 0.3 * rng.normal(size=384).astype(np.float32)
        out.append(
            Features(
                article=f"a{i}",
                words={f"w{k}_{j}": 1.0 for j in range(5)} | {f"x{i}": 1.0},
                names={f"n{k}": 1.0},
                vector=v / np.linalg.norm(v),
                day=None,
            )
        )
    return out


def test_state_round_trip_continues_identically():
    feats = _features(30)
    straight = OnlineClusterer()
    a = [straight.add(f)[0] for f in feats]
    half = OnlineClusterer()
    b = [half.add(f)[0] for f in feats[:15]]
    import json

    resumed = OnlineClusterer.from_state(json.loads(json.dumps(half.to_state())))
    b += [resumed.add(f)[0] for f in feats[15:]]
    assert a == b
    assert len(set(a)) == 3


def test_open_set_is_bounded():
    c = OnlineClusterer(replace(Params(), max_open=10))
    feats = _features(60)
    for i, f in enumerate(feats):
        f.article, f.names, f.words = f"z{i}", {f"only{i}": 1.0}, {f"solo{i}": 1.0}
        c.add(f)
    assert len(c._open.ids) <= 10 and len(c.stories) == 60


def test_embedding_text_is_title_and_lead():
    a = Article(id="x", text="Body starts here. " * 200, title="A headline")
    t = article_embedding_text(a)
    assert t.startswith("A headline. Body starts here.") and len(t) <= 1000


def test_writing_date_from_text():
    a = Article(id="x", text="Leaders spoke on Nov. 15. The last call was on December 2, 2022, in 2024 news.")
    d, known = writing_date(a)
    assert (d.month, d.day, known) == (11, 15, False)
    b = Article(id="y", text="Talks last month, on Nov. 15, were frustrating.")
    assert writing_date(b)[0].month == 12
    c = Article(id="z", text="No date here.", published="2024-02-03")
    assert writing_date(c) == (writing_date(c)[0], True) and writing_date(c)[0].isoformat() == "2024-02-03"


def test_seeds_are_one_story_with_a_storyline(seed_dossier):
    d = seed_dossier
    assert len(d.stories) == 1
    story = d.stories[0]
    assert story.topic and story.title
    assert len(story.events) == 3
    seed = {a.id: Path(a.path or "").name[:3] for a in d.articles}
    order = [sorted(seed[x] for x in e.articles) for e in story.events]
    assert order[0] == ["000"]  # October: was a call requested?
    assert order[1] == ["002", "003", "004"]  # November 15: the call ("on Friday" in 003)
    assert order[-1] == ["001"]  # afterwards: the reactions ("last month")
    # the seeds have no publication dates: the storyline is dated from the text, marked inferred
    assert [e.start for e in story.events] == ["2024-10-13", "2024-11-15", "2024-12-15"]
    assert all(e.inferred for e in story.events)
