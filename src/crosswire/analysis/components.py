"""The story components, in the order they run, and the runner.

Every component is a module with ``REQUIRES`` and ``PROVIDES`` (names of
``StoryContext`` fields, ``story.<field>`` for the story's own fields) and
``run(ctx: StoryContext) -> None``. ``check_order`` proves at import time that
each requirement is provided by the context itself or by an earlier component.

A component that fails stops the run with a ``ComponentError`` naming the
component, the story and the cause. With ``keep_going`` the failure becomes a
``RunWarning`` in the dossier instead and the other components still run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from crosswire.analysis import (
    claims,
    compare,
    dates,
    differences,
    entities,
    quotes,
    storyline,
    summary,
    timeline,
)
from crosswire.analysis.context import StoryContext
from crosswire.errors import ComponentError
from crosswire.model import RunWarning

if TYPE_CHECKING:
    from crosswire.nlp.timings import Timings

# What the context holds before any component runs.
BASE = ("story", "articles", "docs", "lang", "settings", "today")


@dataclass(frozen=True)
class Component:
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    run: Callable[[StoryContext], None]


def _component(name: str, module: ModuleType) -> Component:
    return Component(name, tuple(module.REQUIRES), tuple(module.PROVIDES), module.run)


COMPONENTS: tuple[Component, ...] = (
    _component("entities", entities),
    _component("dates", dates),
    _component("storyline", storyline),
    _component("timeline", timeline),
    _component("quotes", quotes),
    _component("claims", claims),
    _component("compare", compare),
    _component("differences", differences),
    _component("summary", summary),
)


def check_order(components: tuple[Component, ...] = COMPONENTS) -> None:
    """Raise ``ValueError`` if a component requires something no earlier component provides."""
    have = set(BASE)
    for c in components:
        missing = [r for r in c.requires if r not in have]
        if missing:
            raise ValueError(f"component {c.name} requires {', '.join(missing)}, which nothing before it provides")
        have.update(c.provides)


check_order()


def _provided(ctx: StoryContext, name: str) -> bool:
    if name.startswith("story."):
        return hasattr(ctx.story, name[6:])
    return getattr(ctx, name, None) is not None


def analyze_story(
    ctx: StoryContext,
    *,
    keep_going: bool = False,
    components: tuple[Component, ...] | None = None,
    timings: Timings | None = None,
) -> list[RunWarning]:
    """Run every component on one story, in order. Returns what was skipped (only with ``keep_going``).

    ``timings`` gets each component's seconds (``crosswire analyze --timings``)."""
    warnings: list[RunWarning] = []
    failed: set[str] = set()
    for c in components if components is not None else COMPONENTS:
        blocked = [r for r in c.requires if r in failed]
        if blocked:
            warnings.append(
                RunWarning(
                    story=ctx.story.id,
                    component=c.name,
                    message=f"skipped: needs {', '.join(blocked)} from a component that failed",
                )
            )
            failed.update(c.provides)
            continue
        try:
            with timings.stage(c.name) if timings is not None else contextlib.nullcontext():
                c.run(ctx)
            missing = [p for p in c.provides if not _provided(ctx, p)]
            if missing:
                raise RuntimeError(f"did not provide {', '.join(missing)}")
        except Exception as exc:
            if not keep_going:
                raise ComponentError(c.name, ctx.story.id, exc) from exc
            warnings.append(
                RunWarning(story=ctx.story.id, component=c.name, message=f"failed: {type(exc).__name__}: {exc}")
            )
            failed.update(c.provides)
    return warnings
