"""Marked-up article text built from spans, as plain pieces for an autoescaping template.

The text is cut at every span boundary; each piece carries the kinds of marks that cover it
(entity, quote, speaker, claim, highlight) and a tooltip. The template writes each piece's text
escaped inside a ``<span class=...>``: article text is never turned into markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crosswire.model import Article, Story

KINDS = ("entity", "speaker", "quote", "claim", "hl")


@dataclass(slots=True)
class Mark:
    start: int
    end: int
    kind: str
    label: str


@dataclass(slots=True)
class Piece:
    text: str
    start: int
    kinds: tuple[str, ...] = ()
    labels: list[str] = field(default_factory=list)
    first_hl: bool = False

    @property
    def css(self) -> str:
        return " ".join(f"m-{k}" for k in self.kinds)

    @property
    def title(self) -> str:
        return "; ".join(dict.fromkeys(self.labels))

    @property
    def hl(self) -> bool:
        return "hl" in self.kinds


def parse_hl(value: str | None, length: int) -> tuple[int, int] | None:
    """``?hl=START-END`` as a valid span of a text of this length, else None."""
    if not value:
        return None
    try:
        a, b = (int(x) for x in value.split("-", 1))
    except ValueError:
        return None
    if 0 <= a < b <= length:
        return a, b
    return None


def marks_for(article: Article, stories: list[Story]) -> list[Mark]:
    """Every entity mention, quote, speaker and claim span of the stories that fall in this article."""
    aid, n = article.id, len(article.text)
    out: list[Mark] = []

    def add(span, kind: str, label: str) -> None:
        if span is not None and span.article == aid and 0 <= span.start < span.end <= n:
            out.append(Mark(span.start, span.end, kind, label))

    for s in stories:
        for e in s.entities:
            for m in e.mentions:
                add(m.span, "entity", f"{e.name} ({e.type})")
        for q in s.quotes:
            add(q.content_span, "quote", f"quote: {q.speaker} ({q.cue})")
            add(q.speaker_span, "speaker", f"speaker: {q.speaker}")
        status = {c: g.status for g in s.claim_groups for c in g.claims}
        for c in s.claims:
            add(c.span, "claim", f"claim ({status.get(c.id, 'ungrouped')})")
    return out


def pieces(text: str, marks: list[Mark]) -> list[Piece]:
    """Cut text at every mark boundary; each piece knows which marks cover it."""
    cuts = {0, len(text)}
    for m in marks:
        cuts.add(m.start)
        cuts.add(m.end)
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    out: list[Piece] = []
    seen_hl = False
    for a, b in zip(bounds, bounds[1:]):
        active = [m for m in active if m.end > a] + starts.get(a, [])
        kinds = tuple(k for k in KINDS if any(m.kind == k for m in active))
        p = Piece(text[a:b], a, kinds, [m.label for m in active if m.label])
        if p.hl and not seen_hl:
            p.first_hl = seen_hl = True
        out.append(p)
    return out
