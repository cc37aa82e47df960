"""The typed objects passed between crosswire's stages.

Every object is a slotted dataclass with a stable id (a content hash) so that
re-running on the same input gives the same ids. ``to_dict`` gives the JSON
form used in ``dossier.json`` (see docs/dossier.md); ``from_dict`` reads it back.

Spans: every ``Span`` is (article id, start, end) with character offsets into
that article's cleaned ``text``, so ``article.text[start:end]`` is the cited text.
Only ``Removal`` offsets point into the raw text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1


def stable_id(prefix: str, *parts: object, length: int = 16) -> str:
    """A short content hash: the same parts always give the same id."""
    h = hashlib.sha1()
    for p in parts:
        h.update(str(p).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return f"{prefix}{h.hexdigest()[:length]}"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class _Base:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        kwargs = {}
        hints = _FIELDS.get(cls)
        if hints is None:  # the fields of a class never change: read them once
            hints = _FIELDS[cls] = [(f.name, str(f.type)) for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
        for name, type_str in hints:
            if name not in data:
                continue
            kwargs[name] = _revive(type_str, data[name])
        return cls(**kwargs)


_FIELDS: dict[type, list[tuple[str, str]]] = {}


def _revive(type_str: Any, value: Any) -> Any:
    """Rebuild nested dataclasses from their dict form (types are strings here)."""
    if value is None:
        return None
    found = _REVIVERS.get(str(type_str))  # (class, is_list), built once from _REGISTRY below
    if found is None:
        return value
    klass, is_list = found
    if is_list:
        return [klass.from_dict(v) if isinstance(v, dict) else v for v in value]
    return klass.from_dict(value) if isinstance(value, dict) else value


@dataclass(slots=True)
class Span(_Base):
    article: str
    start: int
    end: int


@dataclass(slots=True)
class Removal(_Base):
    """A piece of raw text the cleaner removed, with why. Offsets into the raw text.

    ``replacement`` is what stands in its place in the cleaned text ("" for a removal,
    " " for a rejoined line break), so text = raw with every removal replaced, in order.
    """

    start: int
    end: int
    text: str
    reason: str
    replacement: str = ""


@dataclass(slots=True)
class Rejection(_Base):
    """An input, or a part of one (``file:LINE``, ``file#entry-N``, ``file#record-N``), left out, and why.

    ``kind`` sorts them (``crosswire batch`` counts by kind): unreadable, empty, format, bad_record,
    no_text, not_article (a crawl notice, a sign-in form ...), too_large, truncated, corrupt, non_html,
    http_error, out_of_range, skipped, failed;
    ``rejected`` when nothing more precise applies."""

    path: str
    reason: str
    kind: str = "rejected"


@dataclass(slots=True)
class RunWarning(_Base):
    """Something a run chose to skip (a story component that failed while keeping going)."""

    story: str | None
    component: str
    message: str


@dataclass(slots=True)
class Article(_Base):
    id: str
    text: str
    raw: str = ""
    path: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or datetime
    published_from: str | None = None  # "metadata" | "user" | None
    author: str | None = None
    site_name: str | None = None
    format: str | None = None  # text | html | feed | jsonl | warc
    removed: list[Removal] = field(default_factory=list)
    duplicate_of: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def outlet(self) -> str:
        """A label for the outlet, for display and grouping. Never invented: the source or site name
        when known, else the URL's host, else "unknown (<file name>)" so unknown outlets stay apart."""
        if self.source:
            return self.source
        if self.site_name:
            return self.site_name
        if self.url:
            from urllib.parse import urlparse

            host = urlparse(self.url).netloc
            if host:
                return host[4:] if host.startswith("www.") else host
        if self.path:
            name = self.path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
            return f"unknown ({name})"
        return f"unknown ({self.id[:10]})"

    @staticmethod
    def make_id(raw_or_text: str) -> str:
        return stable_id("a_", raw_or_text.strip())

    def to_dict(self) -> dict[str, Any]:
        d = _plain(self)
        d.pop("raw", None)
        return d


@dataclass(slots=True)
class Mention(_Base):
    span: Span
    text: str
    kind: str = "name"  # name | title | pronoun | description


@dataclass(slots=True)
class Role(_Base):
    """A title or role that one source gives an entity ("German Chancellor")."""

    text: str
    source: str | None
    span: Span


@dataclass(slots=True)
class Entity(_Base):
    id: str
    name: str
    type: str  # PERSON | ORG | GPE | LOC | NORP | EVENT | OTHER
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # ids of related entities


@dataclass(slots=True)
class TimeRef(_Base):
    """A date or time expression found in an article's text."""

    span: Span
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None  # TIMEX3-like: 2024-11-15, 2024-11, 2024-W46, P2Y ...
    precision: str | None = None  # day | month | year | week | time
    range_start: str | None = None
    range_end: str | None = None
    anchor: str | None = None  # the reference date used to resolve it
    inferred: bool = False
    evidence: str | None = None


@dataclass(slots=True)
class TimelineEntry(_Base):
    id: str
    date: str
    precision: str
    inferred: bool
    text: str
    citations: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Event(_Base):
    """One step of a storyline: a group of articles and its date range."""

    id: str
    title: str
    articles: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    inferred: bool = False  # dates estimated from the text, not publication dates


@dataclass(slots=True)
class Quote(_Base):
    id: str
    speaker: str  # surface text of the source
    speaker_entity: str | None  # Entity id when resolved
    cue: str
    content: str
    direct: bool
    speaker_span: Span | None
    cue_span: Span | None
    content_span: Span
    chain: list[str] = field(default_factory=list)  # nested attribution, outermost first
    # person | organisation | named | anonymous | document | outlet | unknown (analysis/entities/parties.py)
    speaker_kind: str | None = None


@dataclass(slots=True)
class Claim(_Base):
    id: str
    span: Span
    text: str
    source: str | None  # outlet publishing it
    attribution: str | None = None  # the party asserting it
    attribution_entity: str | None = None
    entities: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    negated: bool = False
    group: str | None = None


@dataclass(slots=True)
class ClaimGroup(_Base):
    id: str
    label: str  # a representative claim text
    # consensus: two or more independent outlets report it; single: only one does, checked against the whole
    # text of the others; partial: one outlet's claim that another outlet's text comes close to (neither verdict)
    status: str
    claims: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    citations: list[Span] = field(default_factory=list)
    importance: float = 0.0  # for ranking what a reader sees first (higher first)


@dataclass(slots=True)
class Side(_Base):
    """One side of a conflict: who says it (the person or body whose words or position it is), and where."""

    party: str | None  # None when the outlet states it in its own voice
    party_entity: str | None
    text: str  # the side's own words (a claim)
    outlets: list[str] = field(default_factory=list)
    citations: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Conflict(_Base):
    id: str
    groups: list[str]  # the claim groups of the two sides, side A first
    kind: str  # number | date | title | negation | account | attribution | other
    what: str  # what differs, in words
    citations: list[Span] = field(default_factory=list)
    point: str = ""  # the point in dispute ("the number of Chinese passengers")
    sides: list[Side] = field(default_factory=list)  # exactly two


@dataclass(slots=True)
class OutletLead(_Base):
    """What one outlet leads with: its headline and its opening sentence(s)."""

    outlet: str
    article: str
    headline: str | None
    lead: str
    citations: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Difference(_Base):
    """One point a journalist comparing the coverage should see, in plain words, cited."""

    kind: str  # lead | omission | conflict | wording | emphasis
    text: str
    outlets: list[str] = field(default_factory=list)
    citations: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Differences(_Base):
    """How the outlets' coverage differs: each outlet's lead, then the ranked points (most important first)."""

    leads: list[OutletLead] = field(default_factory=list)
    points: list[Difference] = field(default_factory=list)


@dataclass(slots=True)
class Account(_Base):
    """What one party (a government, a spokesperson) says, point by point."""

    party: str
    entity: str | None
    claims: list[str] = field(default_factory=list)  # claim ids
    counterparts: dict[str, list[str]] = field(default_factory=dict)  # claim id -> other parties' claim ids


@dataclass(slots=True)
class SummarySentence(_Base):
    text: str
    citations: list[Span] = field(default_factory=list)
    kind: str = "fact"  # fact | conflict


@dataclass(slots=True)
class Coverage(_Base):
    outlets: list[str] = field(default_factory=list)
    matrix: dict[str, list[str]] = field(default_factory=dict)  # outlet -> claim group ids
    exclusive: dict[str, list[str]] = field(default_factory=dict)
    omissions: dict[str, list[str]] = field(default_factory=dict)
    wording: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(slots=True)
class Story(_Base):
    id: str
    title: str
    articles: list[str] = field(default_factory=list)
    topic: str | None = None
    events: list[Event] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    claim_groups: list[ClaimGroup] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)
    differences: Differences = field(default_factory=Differences)


@dataclass(slots=True)
class Dossier(_Base):
    crosswire: str
    generated: str
    articles: list[Article] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    timerefs: dict[str, list[TimeRef]] = field(default_factory=dict)  # article id -> time refs
    warnings: list[RunWarning] = field(default_factory=list)  # what the run skipped (kept going)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def write_json(self, path: str | Path, indent: int | None = 2) -> None:
        """``to_json`` into a file, written as it is encoded: the whole text of a large dossier (and the
        encoder's pieces of it) is never held at once."""
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Dossier:
        return cls(
            crosswire=data.get("crosswire", ""),
            generated=data.get("generated", ""),
            articles=[Article.from_dict(a) for a in data.get("articles", [])],
            stories=[Story.from_dict(s) for s in data.get("stories", [])],
            rejected=[Rejection.from_dict(r) for r in data.get("rejected", [])],
            timerefs={k: [TimeRef.from_dict(t) for t in v] for k, v in data.get("timerefs", {}).items()},
            warnings=[RunWarning.from_dict(w) for w in data.get("warnings", [])],
        )

    def article(self, article_id: str) -> Article | None:
        for a in self.articles:
            if a.id == article_id:
                return a
        return None


_REGISTRY: dict[str, type] = {
    c.__name__: c
    for c in (
        Span,
        Removal,
        Rejection,
        RunWarning,
        Article,
        Mention,
        Role,
        Entity,
        TimeRef,
        TimelineEntry,
        Event,
        Quote,
        Claim,
        ClaimGroup,
        Side,
        Conflict,
        Account,
        SummarySentence,
        Coverage,
        OutletLead,
        Difference,
        Differences,
        Story,
    )
}
_REVIVERS: dict[str, tuple[type[_Base], bool]] = {}
for _name, _klass in _REGISTRY.items():
    _REVIVERS.setdefault(_name, (_klass, False))
    _REVIVERS.setdefault(f"{_name} | None", (_klass, False))
    _REVIVERS.setdefault(f"list[{_name}]", (_klass, True))
