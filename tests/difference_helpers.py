"""Small stories for the tests of analysis/differences: the flood story, a story context built from texts, the
components that make the differences run on it, and checks of what the points cite."""

from __future__ import annotations

import datetime

from crosswire.model import Story

FLOOD = {
    "Daily A": "The river Elbe burst its banks in Dresden on Monday, flooding the old town. Rescue teams evacuated "
    "300 residents from the riverside. The mayor said the damage would cost millions of euros.",
    "Daily B": "On Monday the Elbe burst its banks in Dresden and flooded the old town. About 300 residents were "
    "evacuated by rescue teams. Insurers expect large claims from shop owners.",
    "Daily C": "The city council met on Tuesday to plan the reopening of the zoo. Volunteers from local sports "
    "clubs filled sandbags overnight. Schools in the city will stay closed until Friday. Rescue teams evacuated "
    "about 300 residents from the riverside.",
}


def story_context(lang, texts: dict[str, str], titles: dict[str, str] | None = None):
    from crosswire.analysis.context import StoryContext
    from crosswire.model import Article
    from crosswire.settings import Settings

    arts = [
        Article(id=Article.make_id(t), text=t, raw=t, source=o, title=(titles or {}).get(o)) for o, t in texts.items()
    ]
    story = Story(id="s_test", title="placeholder", articles=[a.id for a in arts])
    return StoryContext(story=story, articles=arts, lang=lang, settings=Settings(), today=datetime.date(2025, 1, 1))


def analyse(ctx):
    from crosswire.analysis import claims, compare, differences, summary

    for m in (claims, compare, differences, summary):
        m.run(ctx)
    return ctx.story


def check_cited(ctx, points):
    for p in points:
        assert p.citations, p.text
        for c in p.citations:
            assert 0 <= c.start < c.end <= len(ctx.article(c.article).text)
        assert "unknown (" not in p.text


def points_saying(lang, texts: dict[str, str], words: str):
    """The story's context, once analysed, and its difference points whose text holds ``words``."""
    ctx = story_context(lang, texts)
    analyse(ctx)
    return ctx, [p for p in ctx.story.differences.points if words in p.text]
