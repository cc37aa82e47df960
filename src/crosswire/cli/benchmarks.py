"""``crosswire bench``: the benchmark commands (each prints its figures; ``--json`` for the keys)."""

from __future__ import annotations

import importlib
import json

import typer

from crosswire.cli.output import WORKERS_HELP, error

bench_app = typer.Typer(help="Benchmarks: print quality and speed figures on labelled data.", no_args_is_help=True)


def _bench(module: str, fn: str = "run", **kwargs) -> dict:
    from crosswire.errors import BenchDataError

    mod = importlib.import_module(f"crosswire.bench.{module}")
    try:
        return getattr(mod, fn)(**kwargs)
    except BenchDataError as exc:
        error(str(exc))
        raise typer.Exit(2) from None


def _print_result(result: dict, as_json: bool) -> None:
    from crosswire.bench.common import format_table

    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_table(result))


@bench_app.command("stories")
def bench_stories(
    file: str = typer.Argument(..., help="JSON-lines file with gold `story` and `topic`"),
    level: str = typer.Option("story", "--level", help="story | topic"),
    limit: int | None = typer.Option(None, "--limit", help="only the first N articles (smoke runs)"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Story clustering: BCubed and pairwise P/R/F1 against a TF-IDF single-pass baseline."""
    _print_result(_bench("stories", file=file, level=level, limit=limit), as_json)


@bench_app.command("stories-scale")
def bench_stories_scale(
    sizes: str = typer.Option("1000,10000,100000", "--sizes"), as_json: bool = typer.Option(False, "--json")
):
    """Online clustering throughput and peak memory at growing corpus sizes."""
    _print_result(_bench("stories_scale", sizes=[int(x) for x in sizes.split(",") if x]), as_json)


@bench_app.command("time")
def bench_time(
    directory: str = typer.Argument(..., help="folder of TimeML .tml files"),
    limit: int | None = typer.Option(None, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Dates in text: TIMEX3 span P/R/F1 and value accuracy/F1."""
    _print_result(_bench("time", directory=directory, limit=limit), as_json)


@bench_app.command("timeline")
def bench_timeline(
    directory: str = typer.Argument(..., help="Timeline17-style folder"),
    limit: int | None = typer.Option(None, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Timelines: date F1 and alignment-based ROUGE-1/2."""
    _print_result(_bench("timeline", directory=directory, limit=limit), as_json)


@bench_app.command("quotes")
def bench_quotes(
    directory: str = typer.Argument(..., help="PolNeAR split folder (text/ and attributions/)"),
    limit: int | None = typer.Option(None, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Attribution: exact and overlap P/R/F1 for source, cue and content."""
    _print_result(_bench("quotes", directory=directory, limit=limit), as_json)


@bench_app.command("summaries")
def bench_summaries(
    file: str = typer.Argument(..., help="Multi-News style CSV"),
    limit: int | None = typer.Option(None, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Multi-document summaries: ROUGE-1/2/L against First-3 and LexRank."""
    _print_result(_bench("summaries", file=file, limit=limit), as_json)


@bench_app.command("agreement")
def bench_agreement(
    file: str = typer.Argument(..., help="NAnCo-style JSON"), as_json: bool = typer.Option(False, "--json")
):
    """Claim grouping: balanced accuracy of same-group decisions."""
    _print_result(_bench("agreement", file=file), as_json)


@bench_app.command("verdicts")
def bench_verdicts(
    articles: str = typer.Argument(..., help="ARTICLES.jsonl (id, story, source, text)"),
    gold: str = typer.Argument(..., help="GOLD.json written by careful readers"),
    limit: int | None = typer.Option(None, "--limit", help="only the first N gold stories (smoke runs)"),
    cluster: bool = typer.Option(False, "--cluster", help="group stories with crosswire's clusterer, not the input"),
    dossier_out: str | None = typer.Option(None, "--dossier", help="also write the analysed dossier here"),
    details: bool = typer.Option(False, "--details", help="list every judged verdict and what was missed"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Story verdicts (conflicts, shared facts, exclusives, consensus) against careful readers' gold."""
    _print_result(
        _bench(
            "verdicts",
            articles=articles,
            gold=gold,
            limit=limit,
            cluster=cluster,
            dossier_out=dossier_out,
            details=details,
        ),
        as_json,
    )


@bench_app.command("differ")
def bench_differ(
    file: str = typer.Argument(..., help='ClaimDiff JSON ({"data": [...]} of claim pairs)'),
    train: str | None = typer.Option(
        None, "--train", help="ClaimDiff file the MiniLM LR baseline is trained on (default: the train split)"
    ),
    limit: int | None = typer.Option(None, "--limit", help="only the first N pairs (smoke runs)"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Does claim B weaken or dispute claim A: P/R/F1 of label 1 beside all-positive and MiniLM LR."""
    _print_result(_bench("differ", file=file, train=train, limit=limit), as_json)


@bench_app.command("web")
def bench_web(
    stories_n: int = typer.Option(10000, "--stories"),
    clients: int = typer.Option(16, "--clients"),
    requests: int = typer.Option(3000, "--requests"),
    db: str | None = typer.Option(None, "--db", help="store to fill (default: a temporary file)"),
    workers: int = typer.Option(1, "--workers", help="uvicorn worker processes of the server"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Web app latency under concurrent load on loopback."""
    _print_result(_bench("web", stories=stories_n, clients=clients, requests=requests, db=db, workers=workers), as_json)


@bench_app.command("analyze")
def bench_analyze(
    paths: list[str] = typer.Argument(
        ..., help="news articles: Multi-News CSV, JSON lines (e.g. stories/ecbplus.jsonl) or a folder of .txt"
    ),
    limit: int | None = typer.Option(None, "--limit", help="only the first N articles"),
    workers: int | None = typer.Option(None, "--workers", min=1, help=WORKERS_HELP),
    floor: bool = typer.Option(True, "--floor/--no-floor", help="also time the floor (parse + fp32 embeddings)"),
    as_json: bool = typer.Option(False, "--json"),
):
    """The whole analyze end to end: articles/s, words/s, peak memory, seconds per stage, against the floor."""
    _print_result(_bench("analyze", paths=paths, limit=limit, workers=workers, with_floor=floor), as_json)


@bench_app.command("throughput")
def bench_throughput(articles: int = typer.Option(2000, "--articles"), as_json: bool = typer.Option(False, "--json")):
    """Articles per second per stage: single process against Ray Data."""
    _print_result(_bench("throughput", articles=articles), as_json)
