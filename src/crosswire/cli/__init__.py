"""The ``crosswire`` command: analyze, ingest, stories, show, follow, check, serve, batch, and ``bench``
(``cli/benchmarks.py``); the commands that read a store are in ``cli/reading.py``, what it prints is in
``cli/output.py``."""

from __future__ import annotations

import sys

import typer

from crosswire.cli.benchmarks import bench_app
from crosswire.cli.output import (
    KEEP_GOING_HELP,
    TIMINGS_HELP,
    WORKERS_HELP,
    Bar,
    console,
    error,
    label,
    out,
    print_timings,
    report_rejections,
    report_warnings,
    setup_logging,
)
from crosswire.cli.reading import check, show, stories
from crosswire.settings import Settings, worker_count

app = typer.Typer(
    help="crosswire: compare how many news outlets tell one story.", no_args_is_help=True, add_completion=False
)
app.add_typer(bench_app, name="bench")


@app.command()
def analyze(
    paths: list[str] = typer.Argument(..., help="files or directories of articles"),
    out_dir: str = typer.Option("out", "--out", help="where dossier.json, report.md, report.html go"),
    db: str = typer.Option("crosswire.db", "--db", help="SQLite store to write"),
    source: str | None = typer.Option(None, "--source", help="outlet name for inputs that do not say"),
    published: str | None = typer.Option(
        None, "--published", help="publication date (YYYY-MM-DD) for inputs that do not say"
    ),
    sidecar: str | None = typer.Option(None, "--sidecar", help="JSON-lines file mapping paths to source/published"),
    keep_going: bool = typer.Option(False, "--keep-going", help=KEEP_GOING_HELP),
    workers: int | None = typer.Option(None, "--workers", min=1, help=WORKERS_HELP),
    timings: bool = typer.Option(False, "--timings", help=TIMINGS_HELP),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
):
    """Read articles, clean them, group them into stories, analyse, store and write reports."""
    setup_logging(verbose)
    import time

    from crosswire.errors import ComponentError, StoreError
    from crosswire.nlp import Language
    from crosswire.report import write_reports
    from crosswire.run.analyze import analyze as run_analyze
    from crosswire.run.history import record_dossier
    from crosswire.store import Store

    settings = Settings.load(db=db, out=out_dir, workers=workers)
    lang = Language.for_settings(settings)
    t0 = time.perf_counter()
    try:
        with Bar(settings.progress) as bar:
            dossier = run_analyze(
                paths,
                source=source,
                published=published,
                sidecar=sidecar,
                settings=settings,
                lang=lang,
                progress=bar,
                keep_going=keep_going,
                db=db,
                workers=worker_count(settings.workers),
            )
    except ComponentError as exc:
        error(f"{exc} (nothing was written; --keep-going skips it)")
        raise typer.Exit(2) from None
    report_rejections(dossier.rejected)
    report_warnings(dossier.warnings)
    try:
        with (
            lang.timings.stage("store"),
            Store(db, writer_wait_s=settings.writer_wait_s) as store,
            store.writer(),
            store.transaction(),
        ):
            counts = store.save_dossier(dossier)
            record_dossier(store, dossier)
            kept_by_ingest = store.cluster_header() is not None
    except StoreError as exc:
        error(str(exc))
        raise typer.Exit(2) from None
    if kept_by_ingest and counts["articles_new"]:
        label(
            "note",
            "yellow",
            f"{db} is kept by `crosswire ingest`, whose story clusterer does not know these new articles; "
            f"`crosswire check --db {db} --repair` folds them in (or add articles with `ingest`)",
        )
    with lang.timings.stage("reports"):
        files = write_reports(dossier, out_dir)
    removed = sum(len(a.removed) for a in dossier.articles)
    removed_chars = sum(len(r.text) for a in dossier.articles for r in a.removed)
    dups = sum(1 for a in dossier.articles if a.duplicate_of)
    out.print(
        f"articles read: {len(dossier.articles)} ({counts['articles_new']} new in {db}); "
        f"rejected: {len(dossier.rejected)}; junk removed: {removed} pieces, {removed_chars} characters; "
        f"copies: {dups}; stories: {len(dossier.stories)}"
    )
    for s in dossier.stories:
        out.print(f"  story {s.id}: {s.title} ({len(s.articles)} articles)")
    out.print(f"report: {files['html']}  markdown: {files['markdown']}  dossier: {files['json']}")
    if timings:
        print_timings(lang.timings, time.perf_counter() - t0, len(dossier.articles))
    raise typer.Exit(1 if dossier.rejected else 0)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="files or directories of articles"),
    db: str = typer.Option("crosswire.db", "--db", help="SQLite store to add to"),
    source: str | None = typer.Option(None, "--source"),
    published: str | None = typer.Option(None, "--published"),
    sidecar: str | None = typer.Option(None, "--sidecar"),
    keep_going: bool = typer.Option(False, "--keep-going", help=KEEP_GOING_HELP),
    workers: int | None = typer.Option(None, "--workers", min=1, help=WORKERS_HELP),
    timings: bool = typer.Option(False, "--timings", help=TIMINGS_HELP),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
):
    """Add articles to an existing store: each joins a story or opens a new one."""
    setup_logging(verbose)
    import time

    from crosswire.errors import ComponentError, StoreError
    from crosswire.nlp import Language
    from crosswire.run.ingest import ingest as run_ingest

    settings = Settings.load(db=db, workers=workers)
    lang = Language.for_settings(settings)
    t0 = time.perf_counter()
    try:
        with Bar(settings.progress) as bar:
            result = run_ingest(
                paths,
                db=db,
                source=source,
                published=published,
                sidecar=sidecar,
                settings=settings,
                progress=bar,
                lang=lang,
                keep_going=keep_going,
                workers=worker_count(settings.workers),
                on_wait=lambda holder: label(
                    "waiting",
                    "yellow",
                    f"another crosswire process is writing to {db} ({holder}); this run goes on "
                    f"when it has finished (at most {settings.writer_wait_s:g} s)",
                ),
            )
    except ComponentError as exc:
        error(
            f"{exc} (the articles are stored; the story stays pending: "
            "fix the cause and run ingest again, or use --keep-going)"
        )
        raise typer.Exit(2) from None
    except StoreError as exc:
        error(str(exc))
        raise typer.Exit(2) from None
    report_rejections(result.rejected)
    report_warnings(result.warnings)
    out.print(result.describe())
    if timings:
        print_timings(lang.timings, time.perf_counter() - t0, result.read)
    raise typer.Exit(1 if result.rejected else 0)


app.command()(stories)
app.command()(show)


@app.command()
def follow(
    sources: list[str] = typer.Argument(
        ..., help="RSS/Atom feed, news sitemap or article URLs, or files listing them (plain text or .toml)"
    ),
    db: str = typer.Option("crosswire.db", "--db", help="SQLite store to add to"),
    every: str = typer.Option("15m", "--every", help="time between polls: 30s, 15m, 2h"),
    once: bool = typer.Option(False, "--once", help="poll once and exit"),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="also fetch from loopback, private and link-local addresses"
    ),
    rate: float = typer.Option(1.0, "--rate", help="at most this many requests a second to one host"),
    max_pages: int = typer.Option(50, "--max-pages", help="article pages fetched for one source in one poll"),
    timeout: float = typer.Option(20.0, "--timeout", help="seconds to wait on a connection, or between bytes"),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
):
    """Follow live sources: poll them, ingest what is new (as `ingest` does), until stopped (Ctrl-C)."""
    import signal
    import time

    from crosswire.read.fetch import FetchPolicy
    from crosswire.run.follow import Follower
    from crosswire.run.sources import load_sources, parse_duration

    setup_logging(verbose)
    try:
        interval = parse_duration(every)
    except ValueError as exc:
        error(f"--every: {exc}")
        raise typer.Exit(2) from None
    found, rejected = load_sources(sources)
    report_rejections(rejected)
    if not found:
        error("no source to follow")
        raise typer.Exit(2)
    policy = FetchPolicy(allow_private=allow_private, rate=rate, timeout=timeout)
    settings = Settings.load(db=db)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops it as Ctrl-C does
    out.print(f"crosswire: following {len(found)} sources into {db}" + ("" if once else f", every {every}"))
    failing = False
    try:
        with Follower(found, db=db, settings=settings, policy=policy, max_pages=max_pages) as follower:
            while True:
                started = time.monotonic()
                try:
                    result = follower.poll()
                except Exception as exc:  # the store or the analysis failed: report; the next poll tries again
                    if once:
                        raise
                    error(f"this poll stopped: {type(exc).__name__}: {exc}")
                else:
                    out.print(result.describe())
                    report_warnings(result.ingest.warnings if result.ingest else [])
                    failing = bool(result.failed)
                if once:
                    break
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except KeyboardInterrupt:
        console.print("stopped: what was fetched and stored is kept; run the same command again to go on")
        raise typer.Exit(0) from None
    raise typer.Exit(1 if failing or rejected else 0)


app.command()(check)


@app.command()
def serve(
    db: str = typer.Option("crosswire.db", "--db"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to bind (loopback by default)"),
    port: int = typer.Option(8000, "--port"),
    allowed_host: list[str] = typer.Option(
        [], "--allowed-host", help="a Host name the server answers to besides loopback (repeat for more)"
    ),
    token: str | None = typer.Option(
        None, "--token", help="access token required off loopback (default there: a new one, printed)"
    ),
):
    """Serve the web app for reading stories, sources and evidence (see README: security model)."""
    import uvicorn

    from crosswire.errors import StoreError
    from crosswire.web.app import create_app
    from crosswire.web.guard import Access, is_loopback, new_token

    local = is_loopback(host)
    if not local and not token:
        token = new_token()
    access = Access.for_bind(host, allowed=allowed_host, token=token)
    try:
        web_app = create_app(db, access=access)
    except StoreError as exc:
        error(str(exc))
        raise typer.Exit(2) from None
    shown = host if ":" not in host else f"[{host}]"
    out.print(f"crosswire: serving {db} on http://{shown}:{port}/ (Ctrl-C to stop)")
    if access.token:
        names = sorted(access.hosts - {"127.0.0.1", "localhost", "::1"})
        label(
            "warning",
            "yellow",
            f"bound to {host}: reading and uploading are open to whoever can reach this port and has the token. "
            f"Open http://{names[0] if names else shown}:{port}/?token={access.token} "
            "(or send 'Authorization: Bearer TOKEN'); traffic is not encrypted: put a TLS proxy in front "
            "beyond a trusted network.",
        )
        out.print(f"access token: {access.token}")
        out.print(
            "answers to Host names: "
            + ", ".join(sorted(access.hosts))
            + " (add the name clients use with --allowed-host)"
        )
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


@app.command()
def batch(
    inputs: list[str] = typer.Argument(..., help="WARC / JSON-lines shards or directories"),
    out_dir: str = typer.Option(..., "--out", help="folder for the Parquet output"),
    db: str = typer.Option("crosswire.db", "--db"),
    address: str | None = typer.Option(None, "--address", help="Ray cluster address (default: start Ray locally)"),
    since: str | None = typer.Option(
        None, "--since", help="keep articles whose own (page metadata) date is on or after YYYY-MM-DD"
    ),
    until: str | None = typer.Option(
        None, "--until", help="keep articles whose own (page metadata) date is on or before YYYY-MM-DD"
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="CPUs of a local Ray runtime and processes of the story stage (default: all)"
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
):
    """Run the heavy stages on Ray Data, then cluster stories into the store."""
    setup_logging(verbose)
    from crosswire.run.batch.batch import run_batch

    settings = Settings.load(db=db, workers=workers)
    result = run_batch(
        inputs,
        out_dir=out_dir,
        db=db,
        address=address,
        since=since,
        until=until,
        settings=settings,
        workers=worker_count(settings.workers),
    )
    out.print(result.describe())
    raise typer.Exit(1 if result.failed else 0)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        console.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
