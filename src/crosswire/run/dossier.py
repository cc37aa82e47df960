"""Per-story analysis and dossier building: the one implementation that analyze, ingest and batch call."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from crosswire import __version__
from crosswire.analysis.components import analyze_story
from crosswire.analysis.context import StoryContext
from crosswire.group import article_embedding_text
from crosswire.model import Article, Dossier, Rejection, RunWarning, Story, TimeRef
from crosswire.nlp import Language
from crosswire.settings import Settings

if TYPE_CHECKING:
    from crosswire.run.workers import StoryPool

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def analyze_one(
    story: Story,
    members: list[Article],
    lang: Language,
    settings: Settings,
    *,
    now: dt.datetime,
    keep_going: bool = False,
    docs: dict[str, Any] | None = None,
) -> tuple[dict[str, list[TimeRef]], list[RunWarning]]:
    """Run the story components on one story, in place; every member is parsed once, up front, in one
    ``parse_many`` (from the model cache where it has them). Returns the time refs and what was skipped."""
    docs = dict(docs or {})
    need = [a for a in members if a.id not in docs]
    if need:
        try:
            for a, doc in zip(need, lang.parse_many([a.text for a in need])):
                docs[a.id] = doc
        except Exception:  # an article that breaks the parser: the component that needs it fails with its name
            pass
    ctx = StoryContext(story=story, articles=members, lang=lang, settings=settings, today=now.date(), docs=docs)
    warnings = analyze_story(ctx, keep_going=keep_going, timings=lang.timings)
    return ctx.timerefs, warnings


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
    pool: StoryPool | None = None,
    vectors: dict[str, np.ndarray] | None = None,
    on_story: Callable[[Story, dict[str, list[TimeRef]], list[RunWarning]], None] | None = None,
) -> tuple[dict[str, list[TimeRef]], list[RunWarning]]:
    """Run the story components on every story, in place. Returns the time refs and what was skipped.

    ``docs`` (article id -> spaCy Doc of its text, e.g. from the batch's language stage) saves re-parsing.
    ``pool``: analyse the stories in its worker processes (same code, same results).
    ``vectors``: article id -> the article's clustering vector, computed by this run's encoder
    (workers reuse it instead of embedding the article's lead again).
    ``on_story(story, timerefs, warnings)`` is called as each story is done (ingest commits it there).
    ``now`` is the run's clock: dates are never resolved past it. Progress counts articles."""
    by_id = {a.id: a for a in articles}
    groups = [[by_id[a] for a in s.articles if a in by_id] for s in stories]
    total = sum(len(m) for m in groups)
    done = 0
    timerefs: dict[str, list[TimeRef]] = {}
    warnings: list[RunWarning] = []
    if pool is None or len(stories) < 2:
        for story, members in zip(stories, groups):
            story_docs = {a.id: docs[a.id] for a in members if a.id in docs} if docs else None
            refs, warns = analyze_one(story, members, lang, settings, now=now, keep_going=keep_going, docs=story_docs)
            if on_story:
                on_story(story, refs, warns)
            timerefs.update(refs)
            warnings.extend(warns)
            done += len(members)
            if progress:
                progress("analyze", done, total)
        return timerefs, warnings

    from crosswire.run.workers import StoryJob

    jobs = []
    for i, (story, members) in enumerate(zip(stories, groups)):
        job = StoryJob(index=i, story=story, members=[_lean(a) for a in members], now=now, keep_going=keep_going)
        for a in members:
            if vectors is not None and a.id in vectors:
                job.vectors[article_embedding_text(a)] = vectors[a.id]
            if docs and a.id in docs:
                job.docs[a.id] = lang.pack_doc(docs[a.id])
        jobs.append(job)
    results: dict[int, tuple[dict[str, list[TimeRef]], list[RunWarning]]] = {}
    for r in pool.analyze(jobs):
        r.raise_error()
        _copy_into(stories[r.index], r.story)
        results[r.index] = (r.timerefs, r.warnings)
        if on_story:
            on_story(stories[r.index], r.timerefs, r.warnings)
        lang.timings.merge(r.seconds, r.counts)
        lang.stats.update(r.stats)
        done += len(groups[r.index])
        if progress:
            progress("analyze", done, total)
    for i in range(len(stories)):
        refs, warns = results[i]
        timerefs.update(refs)
        warnings.extend(warns)
    return timerefs, warnings


def _lean(a: Article) -> Article:
    """The article as a worker needs it: without its raw input (web pages can be large)."""
    return dataclasses.replace(a, raw="") if a.raw else a


def _copy_into(target: Story, source: Story) -> None:
    """Stories are analysed in place: a worker's result goes into the caller's Story object."""
    for f in dataclasses.fields(Story):
        setattr(target, f.name, getattr(source, f.name))


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
