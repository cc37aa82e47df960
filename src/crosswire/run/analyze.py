"""Runs crosswire's stages in order, with progress and per-stage error handling.

    paths -> ingest -> clean -> dedup -> stories -> per story: components -> Dossier

Per-story analysis is a list of *components* (spaCy style): each is a module
with ``run(ctx: StoryContext) -> None`` that reads what earlier components
added to ``ctx`` and fills its own part of ``ctx.story``. A component that
fails is reported as a warning for that story; the others still run.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from crosswire import __version__
from crosswire.model import Article, Dossier, Rejection, Story, TimeRef
from crosswire.nlp import Language
from crosswire.settings import Settings

log = logging.getLogger(__name__)

# Component modules, in the order they run on each story.
STORY_COMPONENTS: tuple[str, ...] = (
    "crosswire.analysis.entities",
    "crosswire.analysis.dates",
    "crosswire.analysis.storyline",
    "crosswire.analysis.timeline",
    "crosswire.analysis.quotes",
    "crosswire.analysis.claims",
    "crosswire.analysis.compare",
    "crosswire.analysis.summary",
)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class StoryContext:
    """Everything a component may read while analysing one story."""

    story: Story
    articles: list[Article]  # every article of the story, copies included
    lang: Language
    settings: Settings
    docs: dict[str, Any] = field(default_factory=dict)  # article id -> spaCy Doc of article.text
    timerefs: dict[str, list[TimeRef]] = field(default_factory=dict)  # article id -> time refs
    data: dict[str, Any] = field(default_factory=dict)  # scratch space shared by components
    warnings: list[str] = field(default_factory=list)

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def doc(self, article_id: str):
        if article_id not in self.docs:
            self.docs[article_id] = self.lang.parse(self.article(article_id).text)
        return self.docs[article_id]

    def parsed_span(self, span):
        """The spaCy Span over a dossier span (widened to whole tokens), or None when it cannot be had."""
        try:
            doc = self.doc(span.article)
        except KeyError:
            return None
        return doc.char_span(span.start, span.end, alignment_mode="expand")

    @property
    def originals(self) -> list[Article]:
        """Articles that are not near-copies of another article of the story."""
        return [a for a in self.articles if not a.duplicate_of]


def read_articles(
    paths: Sequence[str],
    *,
    source: str | None = None,
    published: str | None = None,
    sidecar: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> tuple[list[Article], list[Rejection]]:
    """Ingest and clean every path; bad inputs become rejections, the rest go on."""
    from crosswire.clean.cleaner import clean_article
    from crosswire.read import read_paths

    settings = settings or Settings.load()
    articles: list[Article] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for item in read_paths(paths, source=source, published=published, sidecar=sidecar, settings=settings, progress=progress):
        if isinstance(item, Rejection):
            rejected.append(item)
            continue
        art = clean_article(item)
        if art.id in seen:
            continue
        seen.add(art.id)
        articles.append(art)
    return articles, rejected


def analyze_story(ctx: StoryContext, components: Iterable[str] = STORY_COMPONENTS) -> None:
    for name in components:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:  # a component not built yet
            ctx.warnings.append(f"{name}: not available ({exc})")
            continue
        try:
            module.run(ctx)
        except Exception as exc:  # one failing stage must not sink the story
            log.exception("component %s failed on story %s", name, ctx.story.id)
            ctx.warnings.append(f"{name}: failed: {type(exc).__name__}: {exc}")


def build_stories(articles: list[Article], lang: Language, settings: Settings) -> list[Story]:
    from crosswire.group.dedup import mark_duplicates
    from crosswire.group import cluster_articles

    mark_duplicates(articles)
    return cluster_articles(articles, lang, settings)


def analyze_articles(
    articles: list[Article],
    stories: list[Story],
    lang: Language,
    settings: Settings,
    progress: Progress | None = None,
    docs: dict[str, Any] | None = None,
) -> tuple[dict[str, list[TimeRef]], list[str]]:
    """Run the per-story components on every story, in place. Returns time refs and warnings.

    ``docs`` (article id -> spaCy Doc of its text, e.g. from the batch's language stage) saves re-parsing."""
    by_id = {a.id: a for a in articles}
    timerefs: dict[str, list[TimeRef]] = {}
    warnings: list[str] = []
    docs = dict(docs or {})
    for i, story in enumerate(stories):
        members = [by_id[a] for a in story.articles if a in by_id]
        ctx = StoryContext(story=story, articles=members, lang=lang, settings=settings, docs=docs)
        analyze_story(ctx)
        timerefs.update(ctx.timerefs)
        warnings.extend(f"story {story.id}: {w}" for w in ctx.warnings)
        if progress:
            progress("analyze", i + 1, len(stories))
    return timerefs, warnings


def analyze(
    paths: Sequence[str],
    *,
    source: str | None = None,
    published: str | None = None,
    sidecar: str | None = None,
    settings: Settings | None = None,
    lang: Language | None = None,
    progress: Progress | None = None,
) -> Dossier:
    """Read, clean, group and analyse articles; return the dossier (nothing is written)."""
    settings = settings or Settings.load()
    lang = lang or Language(embed_batch=settings.embed_batch)
    articles, rejected = read_articles(
        paths, source=source, published=published, sidecar=sidecar, settings=settings, progress=progress
    )
    stories = build_stories(articles, lang, settings)
    timerefs, warnings = analyze_articles(articles, stories, lang, settings, progress=progress)
    for w in warnings:
        log.warning(w)
    return Dossier(
        crosswire=__version__,
        generated=_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        articles=articles,
        stories=stories,
        rejected=rejected,
        timerefs=timerefs,
    )
