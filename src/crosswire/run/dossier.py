"""Per-story analysis and dossier building: the one implementation that analyze, ingest and batch call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from crosswire import __version__
from crosswire.analysis.components import analyze_story
from crosswire.analysis.context import StoryContext
from crosswire.model import Article, Dossier, Rejection, RunWarning, Story, TimeRef
from crosswire.nlp import Language
from crosswire.settings import Settings

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def analyze_stories(
    articles: list[Article],
    stories: list[Story],
    lang: Language,
    settings: Settings,
    *,
    now: dt.datetime,
    keep_going: bool = False,
    progress: Progress | None = None,
    docs: dict[str, Any] | None = None,
) -> tuple[dict[str, list[TimeRef]], list[RunWarning]]:
    """Run the story components on every story, in place. Returns the time refs and what was skipped.

    ``docs`` (article id -> spaCy Doc of its text, e.g. from the batch's language stage) saves re-parsing.
    ``now`` is the run's clock: dates are never resolved past it."""
    by_id = {a.id: a for a in articles}
    timerefs: dict[str, list[TimeRef]] = {}
    warnings: list[RunWarning] = []
    shared_docs = dict(docs or {})
    for i, story in enumerate(stories):
        members = [by_id[a] for a in story.articles if a in by_id]
        ctx = StoryContext(
            story=story, articles=members, lang=lang, settings=settings, today=now.date(), docs=shared_docs
        )
        warnings.extend(analyze_story(ctx, keep_going=keep_going))
        timerefs.update(ctx.timerefs)
        if progress:
            progress("analyze", i + 1, len(stories))
    return timerefs, warnings


def make_dossier(
    articles: list[Article],
    stories: list[Story],
    rejected: list[Rejection],
    timerefs: dict[str, list[TimeRef]],
    warnings: list[RunWarning],
    *,
    now: dt.datetime,
) -> Dossier:
    return Dossier(
        crosswire=__version__,
        generated=now.isoformat(),
        articles=articles,
        stories=stories,
        rejected=rejected,
        timerefs=timerefs,
        warnings=warnings,
    )
