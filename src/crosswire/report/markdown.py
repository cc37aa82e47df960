"""The Markdown report."""

from __future__ import annotations

from ..model import Dossier
from .views import context


def _md(text: str) -> str:
    """Escape characters that Markdown would read as markup or HTML."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def render_markdown(d: Dossier) -> str:
    ctx = context(d)
    arts = ctx["articles"]
    lines = [f"# crosswire report", "", f"Generated {d.generated} by crosswire {d.crosswire}.", "",
             f"{len(d.articles)} articles, {len(d.stories)} stories, {len(d.rejected)} rejected, "
             f"{ctx['removed_chars']} characters of junk removed.", ""]
    for s in d.stories:
        first, last = ctx["story_dates"](s)
        lines += [f"## {_md(s.title)}", "",
                  f"Story `{s.id}`: {len(s.articles)} articles from {', '.join(_md(o) for o in ctx['story_outlets'](s))}; "
                  f"dates {first or 'unknown'} to {last or 'unknown'}.", ""]
        if s.summary:
            lines += ["### Summary", ""]
            for sent in s.summary:
                refs = ", ".join(f"[{_md(ctx['outlet'](c.article))}]" for c in sent.citations)
                lines.append(f"- {_md(sent.text)} {refs}")
            lines.append("")
        if s.events:
            lines += ["### Events", ""]
            for e in s.events:
                flag = " (inferred)" if e.inferred else ""
                lines.append(f"- {e.start or 'unknown'} to {e.end or 'unknown'}{flag}: {_md(e.title)} ({len(e.articles)} articles)")
            lines.append("")
        if s.timeline:
            lines += ["### Timeline", ""]
            for t in s.timeline:
                flag = " (inferred)" if t.inferred else ""
                src = ", ".join(sorted({_md(ctx['outlet'](c.article)) for c in t.citations}))
                lines.append(f"- **{t.date}**{flag}: {_md(t.text)} [{src}]")
            lines.append("")
        if s.entities:
            lines += ["### Who is involved", ""]
            for e in s.entities[:30]:
                roles = "; ".join(sorted({f"{_md(r.text)} ({_md(r.source or 'unknown')})" for r in e.roles}))
                lines.append(f"- {_md(e.name)} ({e.type}, {len(e.mentions)} mentions){': ' + roles if roles else ''}")
            lines.append("")
        if s.quotes:
            lines += ["### Who said what", ""]
            for q in s.quotes:
                kind = "said" if q.direct else "reported"
                lines.append(f"- {_md(q.speaker)} ({_md(q.cue)}, {kind}, {_md(ctx['outlet'](q.content_span.article))}): {_md(q.content)}")
            lines.append("")
        if s.claim_groups:
            lines += ["### Agreement", ""]
            for g in s.claim_groups:
                lines.append(f"- [{g.status}] {_md(g.label)} ({', '.join(_md(o) for o in g.outlets)})")
            lines.append("")
        if s.conflicts:
            lines += ["### Conflicts", ""]
            for c in s.conflicts:
                lines.append(f"- {c.kind}: {_md(c.what)}")
            lines.append("")
        lines += ["### Articles", ""]
        for aid in s.articles:
            a = arts.get(aid)
            if not a:
                continue
            dup = f", copy of `{a.duplicate_of}`" if a.duplicate_of else ""
            lines.append(f"- `{a.id}` {_md(a.title or 'untitled')}: source {_md(a.source or 'unknown')}, "
                         f"published {a.published or 'unknown'}, {len(a.removed)} removals{dup}")
        lines.append("")
    if d.rejected:
        lines += ["## Rejected inputs", ""]
        for r in d.rejected:
            lines.append(f"- `{r.path}`: {_md(r.reason)}")
        lines.append("")
    return "\n".join(lines)
