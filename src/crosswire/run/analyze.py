"""``crosswire analyze``: one run over a set of inputs, nothing stored (the CLI stores the dossier).

paths -> read -> clean -> copies and stories (group) -> per story: components -> Dossier
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from crosswire.clean import clean_article
from crosswire.group import build_stories
from crosswire.model import Article, Dossier, Rejection
from crosswire.nlp import Language
from crosswire.read import read_paths
from crosswire.run.dossier import Progress, analyze_stories, make_dossier, utc_now
from crosswire.settings import Settings

__all__ = ["Progress", "analyze", "read_articles"]


def read_articles(
    paths: Sequence[str],
    *,
    source: str | None = None,
    published: str | None = None,
    sidecar: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> tuple[list[Article], list[Rejection]]:
    """Read and clean every path; bad inputs become rejections, the rest go on. Each article once."""
    settings = settings or Settings.load()
    articles: list[Article] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for item in read_paths(
        paths, source=source, published=published, sidecar=sidecar, settings=settings, progress=progress
    ):
        if isinstance(item, Rejection):
            rejected.append(item)
            continue
        art = clean_article(item)
        if art.id in seen:
            continue
        seen.add(art.id)
        articles.append(art)
    return articles, rejected


def analyze(
    paths: Sequence[str],
    *,
    source: str | None = None,
    published: str | None = None,
    sidecar: str | None = None,
    settings: Settings | None = None,
    lang: Language | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    keep_going: bool = False,
) -> Dossier:
    """Read, clean, group and analyse articles; return the dossier (nothing is written).

    A story component that fails raises ``ComponentError`` unless ``keep_going``, in which case the
    failure is listed in ``dossier.warnings``. ``now`` is the run's clock (default: the current time)."""
    settings = settings or Settings.load()
    lang = lang or Language(embed_batch=settings.embed_batch)
    now = now or utc_now()
    articles, rejected = read_articles(
        paths, source=source, published=published, sidecar=sidecar, settings=settings, progress=progress
    )
    stories = build_stories(articles, lang, settings)
    timerefs, warnings = analyze_stories(
        articles, stories, lang, settings, now=now, keep_going=keep_going, progress=progress
    )
    return make_dossier(articles, stories, rejected, timerefs, warnings, now=now)
