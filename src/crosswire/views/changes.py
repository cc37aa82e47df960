"""What changed in a story since a time: the change entries recorded after it (crosswire.run.history),
merged into one account, and the words to show it (CLI, web page, Atom feed).

Merging: articles added and then removed again after the time are left out; a claim group that more
outlets report later stays one new group; a conflict that appeared and was resolved after the time is
left out, one resolved after the time that existed before it is "resolved".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from crosswire.model import Story
from crosswire.run.history import same_conflict, stamp
from crosswire.run.sources import parse_duration
from crosswire.store.db import Store


@dataclass
class StoryChanges:
    story: str
    since: str | None
    latest: str | None = None  # time of the last version merged
    versions: list[int] = field(default_factory=list)
    opened: bool = False  # the story itself is new since the time
    articles: list[dict[str, Any]] = field(default_factory=list)
    articles_removed: list[dict[str, Any]] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    confirmed: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    resolved: list[dict[str, Any]] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.versions

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def marks(self, story: Story) -> set[str]:
        """What to mark as new on the story's page: the ids of new articles, and the labels of its current
        claim groups and the words of its current conflicts that are new (matched by their claims)."""
        out = {a["id"] for a in self.articles}
        claims = {c for g in self.groups for c in g.get("claims", [])}
        out |= {g.label for g in story.claim_groups if claims & set(g.claims)}
        groups = {g.id: g for g in story.claim_groups}
        new = {x["id"]: x for x in self.conflicts}
        for x in story.conflicts:
            sides = [sorted(groups[g].claims) for g in x.groups if g in groups]
            kept = {"kind": x.kind, "what": x.what, "point": x.point, "sides": sides}
            if new and same_conflict(x.id, kept, new):
                out.add(x.what)
        return out


def parse_since(text: str, now: dt.datetime) -> str:
    """A time as history keeps it (UTC ``YYYY-MM-DDTHH:MM:SSZ``) from an ISO date (its start, UTC), an
    ISO date and time (UTC when it names no zone), or a duration back from ``now`` ("90m", "2h", "1d")."""
    s = (text or "").strip()
    try:
        return stamp(now - dt.timedelta(seconds=parse_duration(s)))
    except ValueError:
        pass
    try:
        if len(s) == 10:
            day = dt.date.fromisoformat(s)
            return stamp(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC))
        return stamp(dt.datetime.fromisoformat(s.replace("Z", "+00:00")))
    except ValueError:
        raise ValueError(f"{text!r} is not a time: use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][+HH:MM] or 2h, 1d") from None


def changes_since(store: Store, story_id: str, since: str | None) -> StoryChanges:
    """Every change to the story recorded after ``since`` (all of them when None), merged."""
    return merge(story_id, since, store.story_changes(story_id, since=since))


def merge(story_id: str, since: str | None, entries: list[dict[str, Any]]) -> StoryChanges:
    out = StoryChanges(story=story_id, since=since)
    articles: dict[str, dict] = {}
    for e in entries:
        c = e["changes"]
        out.versions.append(e["version"])
        out.latest = e["at"]
        out.opened = out.opened or bool(c.get("opened"))
        for a in c.get("articles", []):
            articles.setdefault(a["id"], a)
        for a in c.get("articles_removed", []):
            if articles.pop(a["id"], None) is None:
                out.articles_removed.append(a)
        for o in c.get("outlets", []):
            if o not in out.outlets:
                out.outlets.append(o)
        out.groups += c.get("groups", [])
        for g in c.get("confirmed", []):
            _confirm(out, g)
        for x in c.get("conflicts", []):
            gone = [r for r in out.resolved if same_conflict(x["id"], x, {r["id"]: r})]
            if gone:  # resolved, then back: as it was before the time
                out.resolved = [r for r in out.resolved if r not in gone]
            else:
                out.conflicts.append(x)
        for x in c.get("resolved", []):
            came = [n for n in out.conflicts if same_conflict(x["id"], x, {n["id"]: n})]
            if came:  # appeared and went, both after the time
                out.conflicts = [n for n in out.conflicts if n not in came]
            else:
                out.resolved.append(x)
        out.values += c.get("values", [])
    out.articles = list(articles.values())
    return out


def _confirm(out: StoryChanges, g: dict[str, Any]) -> None:
    """More outlets report a group: if the group is itself new since the time, it stays one new group."""
    claims = set(g.get("claims", []))
    for known in out.groups + out.confirmed:
        if claims & set(known.get("claims", [])):
            known["label"], known["claims"] = g["label"], g.get("claims", [])
            extra = [o for o in g["outlets"] if o not in known["outlets"]]
            known["outlets"] = known["outlets"] + extra
            return
    out.confirmed.append(dict(g))


# -- words ------------------------------------------------------------------------------------
def headline(ch: StoryChanges) -> str:
    """One line: what the changes amount to."""
    parts = []
    if ch.opened:
        parts.append("new story")
    if ch.articles:
        parts.append(_n(len(ch.articles), "new article"))
    if ch.outlets:
        parts.append(_n(len(ch.outlets), "new outlet"))
    for v in ch.values[:2]:
        parts.append(f"{v['kind']} changed ({value_words(v)})")
    if len(ch.values) > 2:
        parts.append(f"{len(ch.values) - 2} more values changed")
    if ch.conflicts:
        parts.append(_n(len(ch.conflicts), "new conflict"))
    if ch.resolved:
        parts.append(_n(len(ch.resolved), "resolved conflict"))
    if ch.groups:
        parts.append(_n(len(ch.groups), "new claim"))
    if ch.confirmed:
        k = len(ch.confirmed)
        parts.append(f"{k} claim{'s' if k != 1 else ''} now reported by more outlets")
    return ", ".join(parts) or "no changes"


def value_words(v: dict[str, Any]) -> str:
    b, a = set(v["before"]["values"]), set(v["after"]["values"])
    return f"{', '.join(sorted(b - a)) or ', '.join(sorted(b))} → {', '.join(sorted(a - b)) or ', '.join(sorted(a))}"


def lines(ch: StoryChanges) -> list[str]:
    """The changes as plain-text lines (markdown list items under headings), most important first."""
    out: list[str] = []
    if ch.values:
        out.append("Changed between reports:")
        for v in ch.values:
            b, a = v["before"], v["after"]
            out.append(f"- {v['kind']}: {value_words(v)}; before: {_said(b)}; after: {_said(a)}")
    if ch.conflicts:
        out.append("New conflicts:")
        out += [f"- {x['what']}" for x in ch.conflicts]
    if ch.resolved:
        out.append("Resolved conflicts (no longer found):")
        out += [f"- {x['what']}" for x in ch.resolved]
    if ch.articles:
        out.append("New articles:")
        for a in ch.articles:
            copy = " (a copy of an earlier article)" if a.get("copy_of") else ""
            out.append(f"- {a['outlet']}: {a.get('title') or a['id']} ({a.get('published') or 'date unknown'}){copy}")
    if ch.articles_removed:
        out.append("Articles no longer in the story:")
        out += [f"- {a['outlet']}: {a['id']}" for a in ch.articles_removed]
    if ch.outlets:
        out.append("New outlets: " + ", ".join(ch.outlets))
    if ch.groups:
        out.append("New claims:")
        out += [f"- {g['label']} [{', '.join(g['outlets'])}]" for g in ch.groups]
    if ch.confirmed:
        out.append("Now also reported by:")
        out += [f"- {', '.join(g['outlets'])}: {g['label']}" for g in ch.confirmed]
    return out


def render_markdown(ch: StoryChanges, title: str) -> str:
    when = f"since {ch.since}" if ch.since else "since it was first stored"
    head = [f"# {title}", "", f"What changed {when}: {headline(ch)}"]
    if ch.empty:
        return "\n".join(head) + "\n"
    return (
        "\n".join([*head, f"(versions {ch.versions[0]}–{ch.versions[-1]}, last at {ch.latest})", "", *lines(ch)]) + "\n"
    )


def _n(k: int, word: str) -> str:
    return f"{k} {word}{'s' if k != 1 else ''}"


def _said(side: dict[str, Any]) -> str:
    return f"{side['outlet']} ({side.get('published') or 'date unknown'}): \u201c{side['text']}\u201d"
