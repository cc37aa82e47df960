"""crosswire: compare how many news outlets tell one story.

Public API::

    import crosswire
    dossier = crosswire.analyze(["examples/seeds"])   # -> crosswire.Dossier
    print(dossier.stories[0].title)
    print(dossier.to_json()[:200])
    store = crosswire.open_store("crosswire.db")       # -> crosswire.Store
    for row in store.list_stories():
        print(row["id"], row["title"])
"""

from __future__ import annotations

import os

__version__ = "0.1.0"

from crosswire.errors import CrosswireError, InputError, ModelError, StoreError  # noqa: E402
from crosswire.model import (
    Article,
    Claim,
    ClaimGroup,
    Conflict,
    Dossier,
    Entity,
    Event,
    Quote,
    Rejection,
    Span,
    Story,
    TimelineEntry,
    TimeRef,
)


def analyze(paths, **kwargs):
    """Analyse files or directories and return the :class:`Dossier` (see crosswire.run.analyze)."""
    from crosswire.run.analyze import analyze as _analyze

    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    return _analyze([str(p) for p in paths], **kwargs)


def open_store(path="crosswire.db"):
    """Open (or create) a crosswire SQLite store."""
    from crosswire.store.db import Store

    return Store(path)


__all__ = [
    "__version__",
    "analyze",
    "open_store",
    "Article",
    "Claim",
    "ClaimGroup",
    "Conflict",
    "Dossier",
    "Entity",
    "Event",
    "Quote",
    "Rejection",
    "Span",
    "Story",
    "TimelineEntry",
    "TimeRef",
    "CrosswireError",
    "InputError",
    "ModelError",
    "StoreError",
]
