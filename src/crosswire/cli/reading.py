"""The commands that read a store: ``stories`` (the list), ``show`` (one story, or what changed in it) and
``check`` (its consistency, and ``--repair``). ``crosswire.cli`` registers them on the app."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from crosswire.cli.output import KEEP_GOING_HELP, Bar, error, label, out, report_warnings
from crosswire.settings import Settings


def stories(
    db: str = typer.Option("crosswire.db", "--db"),
    as_json: bool = typer.Option(False, "--json", help="print a JSON list"),
    query: str | None = typer.Option(None, "--search", help="full-text search"),
):
    """List the stories in a store."""
    from crosswire.store.db import Store

    if not Path(db).exists():
        error(f"{db}: no such store (run `crosswire analyze` or `crosswire ingest` first)")
        raise typer.Exit(2)
    with Store(db) as store:
        rows = store.list_stories(query=query)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    t = Table("id", "size", "outlets", "dates", "topic", "title")
    for col in t.columns[:5]:
        col.no_wrap = True
    for r in rows:
        t.add_row(
            r["id"],
            str(r["size"]),
            ", ".join(r["outlets"]) or "unknown",
            f"{r['first_date'] or 'unknown'} – {r['last_date'] or 'unknown'}",
            r["topic"] or "",
            r["title"],
        )
    out.print(t)


def show(
    story_id: str = typer.Argument(..., help="story id (a unique prefix is enough)"),
    db: str = typer.Option("crosswire.db", "--db"),
    as_json: bool = typer.Option(False, "--json"),
    since: str | None = typer.Option(
        None,
        "--since",
        help="print what changed since WHEN: YYYY-MM-DD, an ISO time (UTC unless it says), or 2h, 1d ago",
    ),
):
    """Print one story, or what changed in it since a time."""
    from crosswire.errors import AmbiguousIdError
    from crosswire.model import Dossier
    from crosswire.report import render_markdown
    from crosswire.store.db import Store

    if not Path(db).exists():
        error(f"{db}: no such store")
        raise typer.Exit(2)
    with Store(db) as store:
        try:
            story = store.get_story(story_id)
        except AmbiguousIdError as exc:
            error(str(exc))
            raise typer.Exit(2) from None
        if story is None:
            error(f"no story {story_id!r} in {db}")
            raise typer.Exit(2)
        if since is not None:
            _show_changes(store, story, since, as_json)
            return
        arts = [a for aid in story.articles if (a := store.get_article(aid))]
    if as_json:
        print(json.dumps(story.to_dict(), ensure_ascii=False, indent=2))
        return
    d = Dossier(crosswire="", generated="", articles=arts, stories=[story])
    print(render_markdown(d))


def _show_changes(store, story, since: str, as_json: bool) -> None:
    from crosswire.run.dossier import utc_now
    from crosswire.views.changes import changes_since, headline, parse_since, render_markdown

    try:
        when = parse_since(since, utc_now())
    except ValueError as exc:
        error(f"--since: {exc}")
        raise typer.Exit(2) from None
    ch = changes_since(store, story.id, when)
    if as_json:
        doc = {"story": story.id, "title": story.title, "since": when, "headline": headline(ch), **ch.to_dict()}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(render_markdown(ch, story.title), end="")


def check(
    db: str = typer.Option("crosswire.db", "--db", help="the store to check"),
    repair: bool = typer.Option(
        False, "--repair", help="rebuild copies, the clusterer and story membership from the stored articles"
    ),
    keep_going: bool = typer.Option(False, "--keep-going", help=KEEP_GOING_HELP),
):
    """Check a store's consistency (orphan articles, empty stories, clusterer drift); --repair rebuilds it."""
    from crosswire.errors import ComponentError, StoreError
    from crosswire.run.check import check as run_check
    from crosswire.run.check import repair as run_repair
    from crosswire.store import Store

    if not Path(db).exists():
        error(f"{db}: no such store")
        raise typer.Exit(2)
    try:
        with Store(db) as store:
            report = run_check(store)
        out.print(report.describe())
        if not repair:
            raise typer.Exit(0 if report.ok else 1)
        settings = Settings.load(db=db)
        with Bar(settings.progress) as bar:
            done = run_repair(
                db,
                settings=settings,
                progress=bar,
                keep_going=keep_going,
                on_wait=lambda holder: label(
                    "waiting", "yellow", f"another crosswire process writes to {db} ({holder})"
                ),
            )
        report_warnings(done.warnings)
        out.print(
            f"repaired: {done.read} articles replayed, {done.copies} copies, {done.analysed} stories analysed again"
        )
        with Store(db) as store:
            after = run_check(store)
        out.print(after.describe())
        raise typer.Exit(0 if after.ok else 1)
    except (StoreError, ComponentError) as exc:
        error(str(exc))
        raise typer.Exit(2) from None
