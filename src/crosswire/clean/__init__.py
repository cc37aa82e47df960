"""Cleaning of extracted article text: every removal and repair recorded with its reason."""

from crosswire.clean.cleaner import apply_removals, clean_article, restore_raw, text_offset
from crosswire.clean.pages import not_an_article, page_rejection

__all__ = ["apply_removals", "clean_article", "not_an_article", "page_rejection", "restore_raw", "text_offset"]
