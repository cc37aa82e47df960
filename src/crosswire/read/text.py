"""Plain-text articles: the title is the first line when it reads like a headline."""

from __future__ import annotations

from crosswire.clean.rules import headline_of


def title_of(text: str) -> str | None:
    """The article's headline, when its opening lines have one (see clean_rules.headline_of)."""
    return headline_of(text)
