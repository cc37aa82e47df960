"""Cleaning of already-extracted article text. Placeholder: keeps text as is."""

from __future__ import annotations

from .model import Article


def clean_article(article: Article) -> Article:
    if not article.raw:
        article.raw = article.text
    return article
