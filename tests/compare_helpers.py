"""Helpers for the claims / compare / summary tests: a story context over small fixture articles."""

from __future__ import annotations

import datetime
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "compare"


def fixture_context(lang, names=("storm_a", "storm_b", "storm_c", "storm_d")):
    from crosswire.analysis.context import StoryContext
    from crosswire.model import Article, Story
    from crosswire.settings import Settings

    articles = []
    for name in names:
        path = FIXTURES / f"{name}.txt"
        text = path.read_text(encoding="utf-8")
        articles.append(Article(id=Article.make_id(text), text=text, raw=text, path=str(path), source=name))
    story = Story(id="s_test", title="storm", articles=[a.id for a in articles])
    return StoryContext(story=story, articles=articles, lang=lang, settings=Settings(), today=datetime.date(2025, 1, 1))


def analysed(lang, names=("storm_a", "storm_b", "storm_c", "storm_d")):
    from crosswire.analysis import claims, compare
    from crosswire.analysis import summary as summarize

    ctx = fixture_context(lang, names)
    claims.run(ctx)
    compare.run(ctx)
    summarize.run(ctx)
    return ctx
