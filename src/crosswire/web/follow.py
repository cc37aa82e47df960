"""The web app's part of ``crosswire follow``: the followed sources, each story's changes (a page
section, JSON, and an Atom feed a feed reader can follow).

Pages: ``/sources``; story pages take ``?since=WHEN`` (the "new since" panel and markers, see
``changes_context``); ``/stories/{id}/changes.atom``. API: ``/api/sources``,
``/api/stories/{id}/changes?since=WHEN``. Untrusted text goes into Atom as text content (escaped by
the XML writer), never as HTML.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from crosswire.model import Story
from crosswire.run.dossier import utc_now
from crosswire.store.db import Store
from crosswire.views.changes import StoryChanges, changes_since, headline, lines, merge, parse_since

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"])
ATOM = "http://www.w3.org/2005/Atom"
ATOM_ENTRIES = 50
# characters XML 1.0 cannot carry (article text may hold them)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SINCE_HELP = "YYYY-MM-DD, an ISO time (UTC unless it says), or a duration back from now: 6h, 1d, 7d"


def changes_context(store: Store, story: Story, since: str | None) -> dict[str, Any]:
    """What a story page needs for its "new since" panel and markers (``new_marks``); empty without ``since``."""
    if not since:
        return {"changes": None, "since_input": ""}
    try:
        when = parse_since(since, utc_now())
    except ValueError as exc:
        return {"changes": None, "since_input": since, "since_error": str(exc)}
    ch = changes_since(store, story.id, when)
    return {
        "changes": ch,
        "since_input": since,
        "since": when,
        "new_marks": ch.marks(story),
        "change_headline": headline(ch),
        "change_lines": lines(ch),
    }


@router.api_route("/sources", methods=["GET", "HEAD"], response_class=HTMLResponse)
def sources_page(request: Request):
    store = request.app.state.store
    sources = store.follow_sources()
    recent = {s["url"]: store.fetches(source=s["url"], limit=5) for s in sources}
    html = request.app.state.env.get_template("sources.html").render(
        path=request.url.path, sources=sources, recent=recent
    )
    return HTMLResponse(html)


@api.get("/sources", summary="The followed sources: last fetch, outcome, counts of fetches, errors and articles")
def api_sources(request: Request) -> list[dict[str, Any]]:
    return request.app.state.store.follow_sources()


@api.get("/stories/{story_id}/changes", summary="What changed in a story since a time (all its versions without)")
def api_changes(
    request: Request, story_id: str, since: str | None = Query(None, description=SINCE_HELP)
) -> dict[str, Any]:
    store = request.app.state.store
    sid = store.story_id_for(story_id)
    if sid is None:
        raise HTTPException(404, f"no story {story_id!r}")
    try:
        when = parse_since(since, utc_now()) if since else None
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    ch = changes_since(store, sid, when)
    return {"headline": headline(ch), **ch.to_dict()}


@router.get("/stories/{story_id}/changes.atom")
def changes_atom(request: Request, story_id: str):
    store = request.app.state.store
    sid = store.story_id_for(story_id)
    story = store.get_story(sid) if sid else None
    if story is None:
        raise HTTPException(404, f"No story {story_id!r} in this store.")
    base = str(request.base_url).rstrip("/")
    body = story_atom(story.id, story.title, store.story_changes(story.id), base)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def story_atom(story_id: str, title: str, entries: list[dict[str, Any]], base: str) -> bytes:
    """An Atom feed of a story's versions, newest first: each entry says what that version changed."""
    ET.register_namespace("", ATOM)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        e = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            e.text = _NOT_XML.sub("", text)
        return e

    page = f"{base}/stories/{story_id}"
    feed = ET.Element(f"{{{ATOM}}}feed")
    el(feed, "id", f"urn:crosswire:story:{story_id}:changes")
    el(feed, "title", f"{title}: what changed")
    el(feed, "updated", entries[-1]["at"] if entries else "1970-01-01T00:00:00Z")
    el(feed, "link", rel="self", href=f"{page}/changes.atom")
    el(feed, "link", rel="alternate", href=page)
    el(el(feed, "author"), "name", "crosswire")
    el(feed, "generator", "crosswire")
    previous = {e["version"]: prev["at"] for prev, e in zip(entries, entries[1:])}
    for e in reversed(entries[-ATOM_ENTRIES:]):
        ch: StoryChanges = merge(story_id, None, [e])
        entry = el(feed, "entry")
        el(entry, "id", f"urn:crosswire:story:{story_id}:v{e['version']}")
        el(entry, "title", headline(ch))
        el(entry, "updated", e["at"])
        since = previous.get(e["version"])
        el(entry, "link", rel="alternate", href=f"{page}?since={since}" if since else page)
        el(entry, "content", "\n".join(lines(ch)) or "No changes.", type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
