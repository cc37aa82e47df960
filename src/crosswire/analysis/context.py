"""The typed context the story components share while one story is analysed.

Each component reads what earlier components provided and provides its own part
(see ``crosswire.analysis.components``). Nothing passes through an untyped
dictionary: every field a component may read or write is declared here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from crosswire.model import Article, Span, Story, TimeRef
from crosswire.settings import Settings

if TYPE_CHECKING:  # imported for types only: the language layer loads models lazily
    from crosswire.nlp import Language

# (article id, start, end) -> the id of the entity mentioned there, or None
EntityLookup = Callable[[str, int, int], "str | None"]


@dataclass
class SentenceMatches:
    """P(same fact) between every two sentences of the story's articles (compare provides it)."""

    spans: list[tuple[str, int, int]]  # (article id, start, end) of every sentence, in text order
    claim_sentence: list[int]  # story.claims[k] is spans[claim_sentence[k]]
    P: np.ndarray  # sentences x sentences; 0 within one article and for pairs not worth comparing
    thresholds: dict[str, float]  # the grouping's: "group" (same fact), "single" (nothing close elsewhere)

    def best_in(self, sentence: int, articles: set[str]) -> float:
        """The highest P between one sentence and any sentence of the given articles."""
        cols = [k for k, (a, _, _) in enumerate(self.spans) if a in articles]
        return float(self.P[sentence, cols].max()) if cols else 0.0


@dataclass
class StoryContext:
    """Everything a component may read while analysing one story, and what each one provides."""

    story: Story
    articles: list[Article]  # every article of the story, copies included
    lang: Language
    settings: Settings
    today: dt.date  # the run's clock: an input, so that a run is reproducible
    docs: dict[str, Any] = field(default_factory=dict)  # article id -> spaCy Doc of article.text
    # provided by the components (see components.py for who provides what)
    timerefs: dict[str, list[TimeRef]] = field(default_factory=dict)  # dates: article id -> time refs
    entity_at: EntityLookup | None = None  # entities: the entity mentioned at a span
    claim_embeddings: np.ndarray | None = None  # compare: one row per story.claims entry
    # compare: P(two claims report the same fact), n x n over story.claims (0 on the diagonal and within an article)
    same_fact: np.ndarray | None = None
    sentence_matches: SentenceMatches | None = None  # compare: the same, over every sentence of the story

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def doc(self, article_id: str) -> Any:
        """The spaCy Doc of an article's cleaned text, parsed once per run."""
        if article_id not in self.docs:
            self.docs[article_id] = self.lang.parse(self.article(article_id).text)
        return self.docs[article_id]

    def parsed_span(self, span: Span) -> Any:
        """The spaCy Span over a dossier span (widened to whole tokens), or None when it cannot be had."""
        try:
            doc = self.doc(span.article)
        except KeyError:
            return None
        return doc.char_span(span.start, span.end, alignment_mode="expand")

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised sentence embeddings, one row per text (the run's one encoder)."""
        return self.lang.embed(texts)

    def embed_with_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[tuple[np.ndarray, list[str]]]]:
        """Sentence embeddings and each text's content-token vectors, from one encoder pass."""
        return self.lang.embed_with_tokens(texts)

    def entity(self, article_id: str, start: int, end: int) -> str | None:
        """The entity mentioned at a span, when the entities component found one."""
        return self.entity_at(article_id, start, end) if self.entity_at is not None else None

    @property
    def originals(self) -> list[Article]:
        """Articles that are not near-copies of another article of the story."""
        return [a for a in self.articles if not a.duplicate_of]

    def counted_outlet(self, article_id: str) -> str:
        """The outlet an article counts for: a near-copy counts as its original's outlet."""
        a = self.article(article_id)
        if a.duplicate_of:
            try:
                return self.article(a.duplicate_of).outlet
            except KeyError:
                pass
        return a.outlet
