"""A large store for the web benchmark, built from the bench corpora without running models.

Each story gets one to four article variants of real bench articles (ECB+, WikiRef220), with an
outlet and a date, and a dossier filled by cheap text rules (sentences, capitalised names, quoted
speech) so that story pages have summaries, timelines, entities, quotes, claim groups, conflicts,
accounts and coverage of realistic size. The content is only for load: it is not an analysis.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections import Counter
from pathlib import Path

from crosswire.bench.common import require
from crosswire.model import (
    Account,
    Article,
    Claim,
    ClaimGroup,
    Conflict,
    Coverage,
    Entity,
    Event,
    Mention,
    Quote,
    Span,
    Story,
    SummarySentence,
    TimelineEntry,
    stable_id,
)
from crosswire.store.db import Store

OUTLETS = [
    f"{name}"
    for name in (
        "Daily Ledger",
        "Morning Wire",
        "Harbor Times",
        "Capital Post",
        "Evening Star",
        "Northern Herald",
        "City Courier",
        "Global Dispatch",
        "Valley News",
        "Coast Tribune",
        "Metro Journal",
        "Plains Gazette",
    )
]
_SENT = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}\b")
_QUOTE = re.compile(r"\"([^\"\n]{20,300})\"[,.]?\s+(said|says|told|added)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")
_STOP = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "He",
    "She",
    "It",
    "They",
    "We",
    "But",
    "And",
    "This",
    "That",
    "His",
    "Her",
}


def load_bench_articles(root: str | Path, max_chars: int = 3000) -> list[dict]:
    """The articles of stories/*.jsonl (id, title, text), text cut to max_chars."""
    folder = require(Path(root) / "stories", "story corpora (stories/*.jsonl)")
    rows = []
    for f in sorted(folder.glob("*.jsonl")):
        with f.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    d = json.loads(line)
                    if d.get("text"):
                        rows.append({"title": d.get("title"), "text": d["text"][:max_chars]})
    if not rows:
        raise FileNotFoundError(f"{folder}: no articles")
    return rows


def sentence_spans(text: str, limit: int = 8) -> list[tuple[int, int]]:
    out = []
    for m in _SENT.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        if e - s >= 25:
            out.append((s, e))
            if len(out) >= limit:
                break
    return out


def synth_story(arts: list[Article]) -> Story:
    """A story whose parts are filled by text rules over its articles (spans are exact)."""
    sid = stable_id("s_", *sorted(a.id for a in arts))
    sents = {a.id: sentence_spans(a.text) for a in arts}
    first = arts[0]
    s0 = sents[first.id][:1] or [(0, min(len(first.text), 80))]
    title = first.title or first.text[s0[0][0] : s0[0][1]][:90].strip()
    summary = []
    for a in arts:
        for st, en in sents[a.id][:2]:
            summary.append(SummarySentence(a.text[st:en], [Span(a.id, st, en)]))
    timeline = [
        TimelineEntry(stable_id("t_", a.id), a.published[:10], "day", False, a.text[st:en], [Span(a.id, st, en)])
        for a in arts
        if a.published
        for st, en in sents[a.id][:1]
    ]
    names: Counter = Counter()
    mentions: dict[str, list[Mention]] = {}
    for a in arts:
        for m in _NAME.finditer(a.text):
            if m.group(0) in _STOP:
                continue
            names[m.group(0)] += 1
            mentions.setdefault(m.group(0), []).append(Mention(Span(a.id, m.start(), m.end()), m.group(0)))
    entities = [
        Entity(stable_id("e_", sid, n), n, "PERSON" if " " in n else "OTHER", [n], mentions[n][:20])
        for n, _ in names.most_common(12)
    ]
    quotes = []
    for a in arts:
        for m in _QUOTE.finditer(a.text):
            quotes.append(
                Quote(
                    stable_id("q_", a.id, m.start()),
                    m.group(3),
                    None,
                    m.group(2),
                    m.group(1),
                    True,
                    Span(a.id, m.start(3), m.end(3)),
                    Span(a.id, m.start(2), m.end(2)),
                    Span(a.id, m.start(1), m.end(1)),
                )
            )
    claims, groups = [], []
    for k in range(4):
        members = [(a, sents[a.id][k]) for a in arts if len(sents[a.id]) > k]
        if not members:
            break
        gid = stable_id("g_", sid, k)
        cl = [
            Claim(stable_id("c_", a.id, st), Span(a.id, st, en), a.text[st:en], a.source, group=gid)
            for a, (st, en) in members
        ]
        claims += cl
        outlets = sorted({a.source for a, _ in members if a.source})
        groups.append(
            ClaimGroup(
                gid,
                cl[0].text,
                "consensus" if len(outlets) > 1 else "single",
                [c.id for c in cl],
                outlets,
                [c.span for c in cl],
            )
        )
    conflicts = (
        [
            Conflict(
                stable_id("x_", sid),
                [groups[0].id, groups[1].id],
                "account",
                "the sources describe it differently",
                groups[0].citations[:1] + groups[1].citations[:1],
            )
        ]
        if len(groups) > 1
        else []
    )
    accounts = [Account(e.name, e.id, [c.id for c in claims if e.name in c.text][:4]) for e in entities[:2]]
    outlets = sorted({a.source for a in arts if a.source})
    matrix = {o: [g.id for g in groups if o in g.outlets] for o in outlets}
    coverage = Coverage(
        outlets,
        matrix,
        exclusive={o: [g.id for g in groups if g.outlets == [o]] for o in outlets},
        omissions={o: [g.id for g in groups if o not in g.outlets and len(g.outlets) > 1] for o in outlets},
    )
    dates = sorted(a.published[:10] for a in arts if a.published)
    events = [
        Event(
            stable_id("v_", sid), title, [a.id for a in arts], dates[0] if dates else None, dates[-1] if dates else None
        )
    ]
    return Story(
        sid,
        title,
        [a.id for a in arts],
        None,
        events,
        entities,
        timeline,
        quotes,
        claims,
        groups,
        conflicts,
        accounts,
        summary,
        coverage,
    )


def fill_store(
    db: str | Path, n_stories: int, bench_root: str | Path, progress=None, offset: int = 0
) -> dict[str, int]:
    """Insert n_stories synthetic stories (and their articles) into the store at db, numbered from offset."""
    base = load_bench_articles(bench_root)
    day0 = _dt.date(2021, 1, 1)
    n_articles = 0
    with Store(db) as store:
        batch = 500
        for start in range(offset, offset + n_stories, batch):
            with store.transaction():
                for k in range(start, min(start + batch, offset + n_stories)):
                    arts = []
                    for j in range(1 + k % 4):
                        b = base[(k * 7 + j * 131) % len(base)]
                        text = f"{b['text']}\n\nUpdate {k}.{j}."
                        arts.append(
                            Article(
                                id=Article.make_id(text),
                                text=text,
                                raw=text,
                                path=f"bench:{k}.{j}",
                                source=OUTLETS[(k + j * 5) % len(OUTLETS)],
                                title=b["title"],
                                published=(day0 + _dt.timedelta(days=(k // 3) % 1500 + j)).isoformat(),
                                published_from="metadata",
                                format="jsonl",
                            )
                        )
                    for a in arts:
                        store.put_article(a)
                    store.put_story(synth_story(arts), {a.id: a for a in arts})
                    n_articles += len(arts)
            if progress:
                progress("fill", min(start + batch, offset + n_stories) - offset, n_stories)
        return {"stories": store.count("stories"), "articles": n_articles}
