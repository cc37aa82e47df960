"""Near-duplicate detection. Placeholder: marks nothing."""

from __future__ import annotations

from .model import Article


def mark_duplicates(articles: list[Article]) -> None:
    return None
