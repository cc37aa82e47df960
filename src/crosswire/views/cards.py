"""The small view objects a story page is made of: citations, ranked lists with the rest folded, items.

Plain data for autoescaping templates: nothing here is markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from crosswire.model import Article, Span

T = TypeVar("T")


@dataclass(slots=True)
class Few(Generic[T]):
    """A ranked list: the few items a reader sees first, and the rest behind "show all"."""

    shown: list[T]
    rest: list[T]

    @classmethod
    def of(cls, items: list[T], k: int) -> Few[T]:
        # folding a single leftover item saves nothing: show it
        k = len(items) if len(items) <= k + 1 else k
        return cls(items[:k], items[k:])

    @property
    def total(self) -> int:
        return len(self.shown) + len(self.rest)

    @property
    def all(self) -> list[T]:
        return self.shown + self.rest

    def __bool__(self) -> bool:
        return bool(self.shown)


@dataclass(slots=True)
class Links:
    """Where links go: pages of the web app, or anchors inside the one-file report."""

    cite: Callable[[Span], str]
    article: Callable[[str], str]
    outlet: Callable[[str], str | None]
    entity: Callable[[str], str | None]


def web_links() -> Links:
    from urllib.parse import quote, urlencode

    return Links(
        cite=lambda span: f"/articles/{span.article}?hl={span.start}-{span.end}#hl",
        article=lambda aid: f"/articles/{aid}",
        outlet=lambda name: f"/outlets/{quote(name, safe='')}" if name and not name.startswith("unknown") else None,
        entity=lambda name: "/?" + urlencode({"entity": name}) if name else None,
    )


def static_links() -> Links:
    return Links(
        cite=lambda span: f"#article-{span.article}",
        article=lambda aid: f"#article-{aid}",
        outlet=lambda name: None,
        entity=lambda name: None,
    )


@dataclass(slots=True)
class Cite:
    """A citation [n]: n is the article's number in the story; label is its accessible name."""

    n: int | str
    href: str
    label: str
    article: str
    start: int
    end: int


@dataclass(slots=True)
class OutletRef:
    label: str  # the outlet as the data names it
    name: str  # what the page shows
    note: str | None  # why the name differs from the label, or what a code is
    href: str | None
    articles: int = 0


@dataclass(slots=True)
class Citer:
    """Turns spans into Cite objects for one story."""

    articles: dict[str, Article]
    numbers: dict[str, int]
    names: dict[str, str]
    links: Links

    def text(self, span: Span | None) -> str:
        if span is None:
            return ""
        a = self.articles.get(span.article)
        return a.text[span.start : span.end] if a else ""

    def outlet(self, article_id: str) -> str:
        a = self.articles.get(article_id)
        return self.names.get(a.outlet, a.outlet) if a else "unknown"

    def one(self, span: Span) -> Cite:
        n = self.numbers.get(span.article, "?")
        words = " ".join(self.text(span).split())
        if len(words) > 90:
            words = words[:88].rstrip() + "…"
        label = f"source {n}, {self.outlet(span.article)}" + (f": {words}" if words else "")
        return Cite(n, self.links.cite(span), label, span.article, span.start, span.end)

    def many(self, spans: list[Span], limit: int = 6) -> list[Cite]:
        """One citation per article (its first span), in order."""
        seen: dict[str, Span] = {}
        for sp in spans:
            seen.setdefault(sp.article, sp)
        return [self.one(sp) for sp in list(seen.values())[:limit]]


@dataclass(slots=True)
class Item:
    """A line of a list: text, its outlets, citations, and an optional tag and note."""

    text: str
    cites: list[Cite] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    tag: str | None = None
    note: str | None = None
    sub: list[Item] = field(default_factory=list)
    href: str | None = None
