"""Quotes and reported speech: who said what (story component ``run`` and ``extract_attributions``).

- ``marks``: where quotation marks open and close;
- ``features`` / ``tagger``: the CRF tagger (scripts/train_quotes.py), the story component's default;
- ``neural``: MiniLM fine-tuned on PolNeAR, int8 ONNX (scripts/train_quote_tagger.py), better on PolNeAR
  and selectable with the ``quote_tagger`` setting;
- ``attributions``: linking tagged spans into (source, cue, content) attributions;
- ``component``: the story component filling ``story.quotes`` with speakers resolved.
"""

from __future__ import annotations

from crosswire.analysis.context import StoryContext
from crosswire.analysis.quotes.attributions import Attribution, extract_attributions

__all__ = ["Attribution", "extract_attributions", "run"]


REQUIRES = ("entity_at",)
PROVIDES = ("story.quotes",)


def run(ctx: StoryContext) -> None:
    from crosswire.analysis.quotes.component import run as _run

    _run(ctx)
