"""The outlet page: what one outlet alone reports, what it leaves out, its wording, its stories.

Across many stories an outlet's lists are long: items are ranked by the claim group's importance and
how many outlets the story has, at most a few per story, so one big story does not fill the page.
"""

from __future__ import annotations

from typing import Any

from crosswire.store.db import Store
from crosswire.views.labels import display_name, outlet_note
from crosswire.views.listing import story_row

PER_STORY = 2  # items per story in the outlet's lists


def _title_like(term: str) -> bool:
    """A single capitalised word ("Senator", "Representative") is a title or a name, not wording."""
    words = term.split()
    return len(words) == 1 and term[:1].isupper()


def load_outlet(store: Store, name: str, max_stories: int = 50) -> dict[str, Any]:
    rows, total = store.find_stories(outlet=name, limit=max_stories, order="recent")
    alone: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    wording: list[dict[str, Any]] = []
    for r in rows:
        s = store.get_story(r["id"])
        if s is None:
            continue
        groups = {g.id: g for g in s.claim_groups}
        cov = s.coverage
        ref = {"story": s.id, "story_title": s.title}
        mine = sorted((groups[g] for g in cov.exclusive.get(name, []) if g in groups), key=lambda g: -g.importance)
        for g in mine[:PER_STORY]:
            alone.append(
                {**ref, "label": g.label, "importance": g.importance, "citations": [c.to_dict() for c in g.citations]}
            )
        left = sorted((groups[g] for g in cov.omissions.get(name, []) if g in groups), key=lambda g: -g.importance)
        for g in left[:PER_STORY]:
            missing.append(
                {**ref, "label": g.label, "importance": g.importance, "outlets": [display_name(o) for o in g.outlets]}
            )
        words = [w for w in cov.wording.get(name, []) if w.get("term") and not _title_like(str(w["term"]))]
        for w in words[:PER_STORY]:
            wording.append({**ref, "term": w.get("term"), "others": w.get("others", []), "group": w.get("group")})
    alone.sort(key=lambda x: -x["importance"])
    missing.sort(key=lambda x: -x["importance"])
    wording.sort(key=lambda x: -len(x["others"]))
    n_articles = store.count_outlet_articles(name)
    display = display_name(name)
    return {
        "name": name,
        "display": display,
        "note": outlet_note(name, display),
        "stories_total": total,
        "stories": [story_row(r) for r in rows],
        "articles": store.articles_of_outlet(name),
        "articles_total": n_articles,
        "alone": alone,
        "omits": missing,
        "wording": wording,
    }
