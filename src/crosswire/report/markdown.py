"""The Markdown report.

Citations are written as article numbers, ``[1, 3]``: the numbers of the story's article list at the
end of each story, as in the HTML report. Article text is untrusted: everything taken from it is
escaped so that Markdown renders it as text.
"""

from __future__ import annotations

from crosswire.model import Dossier, Span, Story
from crosswire.views.context import context


def _md(text: str) -> str:
    """Escape characters that Markdown would read as markup or HTML."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


class _Cites:
    """Article numbers within one story, for compact citations."""

    def __init__(self, story: Story):
        self.number = {aid: i + 1 for i, aid in enumerate(story.articles)}

    def __call__(self, spans: list[Span]) -> str:
        nums = sorted({self.number[s.article] for s in spans if s.article in self.number})
        return f" [{', '.join(map(str, nums))}]" if nums else ""


def _story(s: Story, ctx: dict) -> list[str]:
    arts, outlet = ctx["articles"], ctx["outlet"]
    cite = _Cites(s)
    first, last = ctx["story_dates"](s)
    lines = [
        f"## {_md(s.title)}",
        "",
        f"Story `{s.id}`{f' (topic `{s.topic}`)' if s.topic else ''}: {len(s.articles)} articles from "
        f"{', '.join(_md(o) for o in ctx['story_outlets'](s))}; published {first or 'unknown'} to {last or 'unknown'}.",
        "",
    ]
    if s.summary:
        lines += ["### Summary", ""]
        lines += [
            f"- {'**Conflict:** ' if x.kind == 'conflict' else ''}{_md(x.text)}{cite(x.citations)}" for x in s.summary
        ]
        lines.append("")
    lines += _differences(s, cite)
    if s.events:
        lines += ["### Storyline", ""]
        for e in s.events:
            when = e.start or "unknown" if e.end in (None, e.start) else f"{e.start or 'unknown'} to {e.end}"
            flag = " (inferred)" if e.inferred else ""
            lines.append(f"- {when}{flag}: {_md(e.title)} ({len(e.articles)} articles)")
        lines.append("")
    if s.timeline:
        lines += ["### Timeline", ""]
        for t in s.timeline:
            flag = " (inferred)" if t.inferred else ""
            lines.append(f"- **{t.date}**{flag}: {_md(t.text)}{cite(t.citations)}")
        lines.append("")
    if s.claim_groups:
        lines += ["### What the sources agree on", ""]
        consensus = [g for g in s.claim_groups if g.status == "consensus"]
        single = [g for g in s.claim_groups if g.status != "consensus"]
        lines += [f"- {_md(g.label)} ({len(g.outlets)} outlets){cite(g.citations)}" for g in consensus] or ["- nothing"]
        lines += ["", "### What only one source reports", ""]
        lines += [f"- {_md(g.label)} ({_md(', '.join(g.outlets))}){cite(g.citations)}" for g in single] or ["- nothing"]
        lines.append("")
    if s.conflicts:
        lines += ["### Conflicts", ""]
        lines += [f"- {c.kind}: {_md(c.what)}{cite(c.citations)}" for c in s.conflicts]
        lines.append("")
    if s.accounts:
        claims = {c.id: c for c in s.claims}
        lines += ["### Accounts of the parties", ""]
        for acc in s.accounts:
            lines.append(f"- **{_md(acc.party)}**: {len(acc.claims)} claims")
            for cid in acc.claims[:6]:
                if cid in claims:
                    lines.append(f"  - {_md(claims[cid].text)}{cite([claims[cid].span])}")
        lines.append("")
    if s.quotes:
        lines += ["### Who said what", ""]
        by_speaker: dict[str, list] = {}
        for q in s.quotes:
            by_speaker.setdefault(q.speaker, []).append(q)
        for speaker, qs in by_speaker.items():
            lines.append(f"- **{_md(speaker)}**")
            for q in qs:
                content = f"“{_md(q.content)}”" if q.direct else _md(q.content)
                lines.append(f"  - {content} ({_md(q.cue)}){cite([q.content_span])}")
        lines.append("")
    cov = s.coverage
    if cov.omissions or cov.exclusive or cov.wording:
        labels = {g.id: g.label for g in s.claim_groups}
        lines += ["### Coverage by outlet", ""]
        for o in cov.outlets:
            lines.append(
                f"- **{_md(o)}**: reports {len(cov.matrix.get(o, []))} claim groups, "
                f"{len(cov.exclusive.get(o, []))} alone, "
                f"leaves out {len(cov.omissions.get(o, []))} that most others report"
            )
            for gid in cov.omissions.get(o, [])[:5]:
                lines.append(f"  - leaves out: {_md(labels.get(gid, gid))}")
            for w in cov.wording.get(o, [])[:5]:
                lines.append(
                    f"  - wording: {_md(str(w.get('term', '')))} where others say "
                    f"{_md(str(w.get('others_use', w.get('others', ''))))}"
                )
        lines.append("")
    if s.entities:
        lines += ["### Who is involved", ""]
        for e in s.entities[:30]:
            roles = "; ".join(sorted({f"{_md(r.text)} ({_md(r.source or 'unknown')})" for r in e.roles}))
            lines.append(f"- {_md(e.name)} ({e.type}, {len(e.mentions)} mentions){': ' + roles if roles else ''}")
        lines.append("")
    lines += ["### Articles", ""]
    for i, aid in enumerate(s.articles, 1):
        a = arts.get(aid)
        if not a:
            continue
        dup = f", copy of `{a.duplicate_of}`" if a.duplicate_of else ""
        lines.append(
            f"{i}. `{a.id}` {_md(a.title or 'untitled')}: source {_md(outlet(aid))}, "
            f"published {a.published or 'unknown'}, {len(a.removed)} pieces of junk removed{dup}"
        )
    lines.append("")
    return lines


def _differences(s: Story, cite: _Cites) -> list[str]:
    """How the outlets differ: the ranked points, then what each outlet leads with (several outlets only)."""
    diff = s.differences
    if len({ld.outlet for ld in diff.leads}) < 2 and not diff.points:
        return []
    lines = ["### How the outlets differ", ""]
    lines += [f"- **{_md(d.kind)}:** {_md(d.text)}{cite(d.citations)}" for d in diff.points]
    if diff.leads:
        if diff.points:
            lines.append("")
        lines += ["What each outlet leads with:", ""]
        for ld in diff.leads:
            head = f" *{_md(ld.headline)}*" if ld.headline else ""
            lines.append(f"- **{_md(ld.outlet)}**:{head} {_md(ld.lead)}{cite(ld.citations)}")
    lines.append("")
    return lines


def render_markdown(d: Dossier) -> str:
    ctx = context(d)
    lines = [
        "# crosswire report",
        "",
        f"Generated {d.generated} by crosswire {d.crosswire}.",
        "",
        f"{len(d.articles)} articles, {len(d.stories)} stories, {len(d.rejected)} rejected, "
        f"{ctx['removed_chars']} characters of junk removed.",
        "",
    ]
    for s in d.stories:
        lines += _story(s, ctx)
    if d.rejected:
        lines += ["## Rejected inputs", ""]
        lines += [f"- `{r.path}`: {_md(r.reason)}" for r in d.rejected]
        lines.append("")
    return "\n".join(lines)
