"""The story page as a journalist reads it: first what happened and how the outlets differ, then the rest.

``story_page(story, articles, links)`` gives one StoryPage, used by the static report and the web app
(templates/_story.html). The first screen: a title, the dates, the outlets by name, the cited summary,
how the outlets differ (each outlet's lead, the ranked differences) and the conflicts. Below, behind a
contents bar, sections with their few most important items first and the rest folded.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from crosswire.model import Article, Conflict, Span, Story
from crosswire.views.cards import Cite, Citer, Few, Item, Links, OutletRef
from crosswire.views.labels import file_name, is_party, original_href, outlet_names, outlet_note, plural, quote_text
from crosswire.views.timeline import Chart, parse_day, timeline_chart

_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s|$)")


@dataclass(slots=True)
class Section:
    id: str
    title: str
    count: int
    empty: str | None = None  # the line shown when there is nothing (None: a section with items)


@dataclass(slots=True)
class LeadView:
    outlet: str
    headline: str | None
    lead: str
    cites: list[Cite]


@dataclass(slots=True)
class ConflictView:
    kind: str
    point: str
    what: str
    sides: list[Item]  # party in .tag (None: the outlet's own voice)
    cites: list[Cite]  # when the conflict has no sides


@dataclass(slots=True)
class ArticleView:
    n: int
    id: str
    title: str
    outlet: str
    outlet_href: str | None
    published: str | None
    href: str
    original: str | None  # the web address, when there is one
    file: str | None  # else the input file's name
    copy_of: str | None
    excerpt: str
    text: str
    removed: list


@dataclass(slots=True)
class StoryPage:
    id: str
    title: str
    topic: str | None
    first: str | None
    last: str | None
    outlets: list[OutletRef]
    n_articles: int
    single: bool  # one article: nothing to compare
    summary: Few[Item]
    leads: Few[LeadView]
    points: Few[Item]
    conflicts: Few[ConflictView]
    sections: list[Section] = field(default_factory=list)
    chart: Chart | None = None
    timeline: Few[Item] = field(default_factory=lambda: Few([], []))
    timeline_all: list[Item] = field(default_factory=list)
    events: Few[Item] = field(default_factory=lambda: Few([], []))
    consensus: Few[Item] = field(default_factory=lambda: Few([], []))
    partial: Few[Item] = field(default_factory=lambda: Few([], []))
    single_source: Few[Item] = field(default_factory=lambda: Few([], []))
    accounts: Few[Item] = field(default_factory=lambda: Few([], []))
    speakers: Few[Item] = field(default_factory=lambda: Few([], []))
    coverage_outlets: list[OutletRef] = field(default_factory=list)
    coverage_rows: Few[Item] = field(default_factory=lambda: Few([], []))
    omissions: list[Item] = field(default_factory=list)
    wording: list[Item] = field(default_factory=list)
    entities: Few[Item] = field(default_factory=lambda: Few([], []))
    articles: Few[ArticleView] = field(default_factory=lambda: Few([], []))
    hidden_parties: int = 0  # accounts and sides whose "party" could not be one (see labels.is_party)

    def section(self, sid: str) -> Section | None:
        return next((s for s in self.sections if s.id == sid), None)


def first_sentence(text: str, limit: int = 320, skip: str | None = None) -> tuple[int, int]:
    """The span of the text's first sentence (cut at limit characters), after `skip` (the headline) when
    the text starts with it."""
    start = len(text) - len(text.lstrip())
    if skip and text.startswith(skip.strip(), start):
        start += len(skip.strip())
        start += len(text[start:]) - len(text[start:].lstrip(" \n\t.:—-"))
    m = _SENTENCE_END.search(text, start, min(len(text), start + limit))
    end = m.end() if m else min(len(text), start + limit)
    return start, end


def story_page(story: Story, articles: dict[str, Article], links: Links) -> StoryPage:
    arts = [articles[a] for a in story.articles if a in articles]
    names = outlet_names(arts)
    numbers = {aid: i for i, aid in enumerate(story.articles, 1)}
    c = Citer(articles, numbers, names, links)
    per_outlet = Counter(a.outlet for a in arts)
    outlets = [
        OutletRef(o, names.get(o, o), outlet_note(o, names.get(o, o)), links.outlet(o), n)
        for o, n in sorted(per_outlet.items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0]).lower()))
    ]
    dates = sorted(a.published[:10] for a in arts if a.published)
    single = len(story.articles) <= 1
    name = lambda o: names.get(o, o)  # noqa: E731

    summary = [
        Item(s.text, c.many(s.citations), tag="conflict" if s.kind == "conflict" else None) for s in story.summary
    ]
    page = StoryPage(
        id=story.id,
        title=story.title or "Untitled story",
        topic=story.topic,
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
        outlets=outlets,
        n_articles=len(story.articles),
        single=single,
        summary=Few.of(summary, 3),
        leads=Few.of([] if single else _leads(story, arts, c), 2),
        points=Few.of(
            []
            if single
            else [
                Item(d.text, c.many(d.citations), [name(o) for o in d.outlets], d.kind)
                for d in story.differences.points
            ],
            2,
        ),
        conflicts=Few.of([] if single else [_conflict(x, c, name) for x in story.conflicts], 3),
    )
    page.hidden_parties = sum(1 for x in story.conflicts for s in x.sides if s.party and not is_party(s.party))
    _timeline(page, story, c)
    groups = sorted(story.claim_groups, key=lambda g: (-g.importance, -len(g.outlets), -len(g.citations)))
    by_status: dict[str, list[Item]] = {"consensus": [], "partial": [], "single": []}
    for g in groups:
        # several outlets: their number (the citations name them); one outlet: its name
        who = [name(o) for o in g.outlets] if len(g.outlets) < 2 else [f"{len(g.outlets)} outlets"]
        by_status.setdefault(g.status, []).append(Item(g.label, c.many(g.citations), who, g.status))
    page.consensus = Few.of(by_status["consensus"], 5)
    page.partial = Few.of(by_status["partial"], 3)
    page.single_source = Few.of(by_status["single"], 3)
    _accounts(page, story, c, name)
    _quotes(page, story, c)
    _coverage(page, story, groups, outlets, name)
    _entities(page, story, links, c)
    page.articles = Few.of(
        [_article(i, a, names, links) for i, aid in enumerate(story.articles, 1) if (a := articles.get(aid))], 6
    )
    _sections(page, story)
    return page


def _leads(story: Story, arts: list[Article], c: Citer) -> list[LeadView]:
    if story.differences.leads:
        return [
            LeadView(c.names.get(ld.outlet, ld.outlet), ld.headline, ld.lead, c.many(ld.citations))
            for ld in story.differences.leads
        ]
    # until the analysis gives leads: each outlet's earliest article, its headline and first sentence
    first: dict[str, Article] = {}
    for a in sorted(arts, key=lambda a: (a.published or "9999", story.articles.index(a.id))):
        if a.duplicate_of is None:
            first.setdefault(a.outlet, a)
    out = []
    for o, a in first.items():
        s, e = first_sentence(a.text, skip=a.title)
        if e > s:
            out.append(LeadView(c.names.get(o, o), a.title, a.text[s:e], [c.one(Span(a.id, s, e))]))
    return out


def _conflict(x: Conflict, c: Citer, name) -> ConflictView:
    sides = []
    for s in x.sides[:2]:
        party = s.party if is_party(s.party) else None
        note = "unclear" if s.party and party is None else None  # a "party" that cannot be one
        sides.append(Item(quote_text(s.text), c.many(s.citations), [name(o) for o in s.outlets], party, note))
    return ConflictView(x.kind, x.point or "", x.what, sides, [] if sides else c.many(x.citations))


def _timeline(page: StoryPage, story: Story, c: Citer) -> None:
    entries = [
        Item(t.text, c.many(t.citations), tag=t.date, note="date estimated from the text" if t.inferred else None)
        for t in story.timeline
    ]
    page.chart = timeline_chart(story.timeline)
    page.timeline_all = entries
    # the few: the entries in the chart's range that most sources cite, in date order (outliers are listed apart)
    apart = {n - 1 for n in (page.chart.earlier + page.chart.later)} if page.chart else set()
    inside = [i for i in range(len(entries)) if i not in apart]
    ranked = sorted(inside, key=lambda i: (-len(story.timeline[i].citations), i))[:5]
    shown = sorted(ranked, key=lambda i: (parse_day(story.timeline[i].date) or parse_day("9999"), i))
    page.timeline = Few([entries[i] for i in shown], [e for i, e in enumerate(entries) if i not in ranked])
    events = []
    for e in story.events:
        when = (e.start or "unknown") + (f" – {e.end}" if e.end and e.end != e.start else "")
        events.append(
            Item(
                e.title, tag=when, note=plural(len(e.articles), "article") + (", dates estimated" if e.inferred else "")
            )
        )
    page.events = Few.of(events, 5)


def _accounts(page: StoryPage, story: Story, c: Citer, name) -> None:
    claims = {x.id: x for x in story.claims}
    items = []
    for acc in story.accounts:
        if not is_party(acc.party):
            page.hidden_parties += 1
            continue
        subs = []
        for cid in acc.claims:
            cl = claims.get(cid)
            if cl is None:
                continue
            others = [claims[o] for o in acc.counterparts.get(cid, []) if o in claims]
            counter = [
                Item(o.text, [c.one(o.span)], tag=o.attribution if is_party(o.attribution) else None) for o in others
            ]
            subs.append(Item(cl.text, [c.one(cl.span)], sub=counter))
        if subs:
            subs.sort(key=lambda s: -len(s.sub))  # the points the other side answers first
            items.append(Item(acc.party, note=plural(len(subs), "claim"), sub=subs))
    items.sort(key=lambda i: -len(i.sub))
    page.accounts = Few.of(items, 3)


def _quotes(page: StoryPage, story: Story, c: Citer) -> None:
    by_speaker: dict[str, list[Item]] = {}
    for q in story.quotes:
        text = quote_text(q.content)
        via = f"; via {' → '.join(q.chain)}" if q.chain else ""
        by_speaker.setdefault(q.speaker, []).append(
            Item(text, [c.one(q.content_span)], tag="direct" if q.direct else None, note=f"{q.cue}{via}")
        )
    items = [Item(s, note=plural(len(qs), "quote"), sub=qs) for s, qs in by_speaker.items() if is_party(s)]
    page.hidden_parties += sum(1 for s in by_speaker if not is_party(s))
    items.sort(key=lambda i: -len(i.sub))
    page.speakers = Few.of(items, 3)


def _coverage(page: StoryPage, story: Story, groups, outlets: list[OutletRef], name) -> None:
    cov = story.coverage
    if page.single or not cov.outlets or not groups:
        return
    order = [o for o in outlets if o.label in cov.outlets] + [
        OutletRef(o, name(o), None, None) for o in cov.outlets if o not in {x.label for x in outlets}
    ]
    page.coverage_outlets = order
    rows = []
    for g in groups:
        marks = []
        for o in order:
            if g.id in cov.matrix.get(o.label, []):
                marks.append("yes")
            elif g.id in cov.omissions.get(o.label, []):
                marks.append("omitted")
            else:
                marks.append("no")
        rows.append(Item(g.label, tag=g.status, outlets=marks))
    page.coverage_rows = Few.of(rows, 6)
    by_id = {g.id: g for g in groups}
    rank = {g.id: i for i, g in enumerate(groups)}
    for o in order:
        gids = sorted((g for g in cov.omissions.get(o.label, []) if g in by_id), key=rank.__getitem__)
        if gids:
            page.omissions.append(Item(o.name, sub=[Item(by_id[g].label) for g in gids]))
        words = cov.wording.get(o.label, [])
        if words:
            subs = [Item(str(w.get("term", "")), note=", ".join(w.get("others", []))) for w in words if w.get("others")]
            if subs:
                page.wording.append(Item(o.name, sub=subs))


def _roles(e, c: Citer) -> str:
    """An entity's titles, each with who gives it: "German Chancellor (3 outlets); German Prime Minister (Die Welt)"."""
    by_text: dict[str, set[str]] = {}
    for r in e.roles:
        src = r.span.article if r.span else None
        who = c.outlet(src) if src in c.articles else c.outlet(r.source) if r.source in c.articles else r.source
        by_text.setdefault(r.text, set()).add(who or "unknown")
    parts = []
    for text, who in by_text.items():
        parts.append(f"{text} ({', '.join(sorted(who)) if len(who) < 3 else plural(len(who), 'outlet')})")
    return "; ".join(parts)


def _entities(page: StoryPage, story: Story, links: Links, c: Citer) -> None:
    items = []
    for e in sorted(story.entities, key=lambda e: -len(e.mentions)):
        seen = {e.name.lower()}
        aliases = [a for a in e.aliases if a.lower() not in seen and not seen.add(a.lower())]
        roles = _roles(e, c)
        items.append(
            Item(
                e.name,
                tag=e.type,
                note=plural(len(e.mentions), "mention"),
                href=links.entity(e.name),
                sub=[Item(", ".join(aliases), tag="also called")] * bool(aliases)
                + [Item(roles, tag="titles")] * bool(roles),
            )
        )
    page.entities = Few.of(items, 8)


def _article(n: int, a: Article, names: dict[str, str], links: Links) -> ArticleView:
    text = a.text
    excerpt = " ".join(text[:180].split()) + ("…" if len(text) > 180 else "")
    return ArticleView(
        n=n,
        id=a.id,
        title=a.title or "Untitled",
        outlet=names.get(a.outlet, a.outlet),
        outlet_href=links.outlet(a.outlet),
        published=a.published,
        href=links.article(a.id),
        original=original_href(a),
        file=None if original_href(a) else file_name(a),
        copy_of=a.duplicate_of,
        excerpt=excerpt,
        text=text,
        removed=a.removed,
    )


def _sections(page: StoryPage, story: Story) -> None:
    one = "One article: nothing to compare." if page.single else None
    n_groups = page.consensus.total + page.partial.total + page.single_source.total
    page.sections = [
        Section("timeline", "Timeline", len(story.timeline), None if story.timeline else "No dated happenings found."),
        Section("storyline", "Storyline", len(story.events), None if story.events else "No storyline events."),
        Section("agreement", "Agreement", n_groups, one or (None if n_groups else "No claims compared yet.")),
        Section("accounts", "Accounts", page.accounts.total, None if page.accounts else "No party accounts found."),
        Section(
            "quotes",
            "Quotes",
            sum(len(i.sub) for i in page.speakers.all),
            None if page.speakers else "No quotes found.",
        ),
        Section(
            "coverage",
            "Coverage",
            len(page.coverage_outlets),
            one or (None if page.coverage_rows else "No coverage comparison yet."),
        ),
        Section("entities", "Entities", page.entities.total, None if page.entities else "No entities found."),
        Section("articles", "Articles", page.articles.total, None),
    ]
    if page.single:  # what cannot apply to one article is left out, not shown empty
        page.sections = [s for s in page.sections if s.id not in ("agreement", "coverage")]
