"""Cleaning of extracted article text: every removal and repair recorded with its reason."""

from crosswire.clean.cleaner import apply_removals, clean_article, restore_raw, text_offset

__all__ = ["apply_removals", "clean_article", "restore_raw", "text_offset"]
