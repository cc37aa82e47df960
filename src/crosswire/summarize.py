"""Story component (not built yet): fills its part of the story. See pipeline.STORY_COMPONENTS."""

from __future__ import annotations


def run(ctx) -> None:
    return None
