"""What the ``crosswire`` command prints: labelled lines, progress bars, rejections and warnings, timings.

No markup and no highlighting: file names, titles and reasons come from the inputs, so "[/red]" in a
file name is printed as it is. Colour comes only from ``label``'s styled words.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

console = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200, markup=False, highlight=False)


def label(word: str, style: str, message: str, *, to: Console = console) -> None:
    """One line: a coloured word, then the message as plain text (never read as markup)."""
    to.print(Text.assemble((word, style), f": {message}"))


def error(message: str) -> None:
    label("error", "red", message)


STAGE_UNITS = {"read": "files", "embed": "articles", "analyze": "articles", "stories": "articles"}


class _Rate(ProgressColumn):
    """Items a second, in the stage's unit (articles, files)."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        unit = task.fields.get("unit", "")
        return Text(f"{speed:.1f} {unit}/s" if speed else f"- {unit}/s", style="progress.data.speed")


class Bar:
    """Progress callback for the pipeline: a rich bar per stage with its rate and time left, on long inputs."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and console.is_terminal
        self.progress: Progress | None = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self):
        if self.enabled:
            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                _Rate(),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        if self.progress:
            self.progress.__exit__(*exc)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.progress or total < 3:
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total, unit=STAGE_UNITS.get(stage, "items"))
        self.progress.update(self.tasks[stage], completed=done, total=total)


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def report_rejections(rejected) -> None:
    for r in rejected:
        console.print(Text.assemble(("rejected", "red"), f" {r.path}: {r.reason}"))


def report_warnings(warnings) -> None:
    for w in warnings:
        where = f"story {w.story}: " if w.story else ""
        console.print(Text.assemble(("warning", "yellow"), f" {where}{w.component}: {w.message}"))


KEEP_GOING_HELP = "when a story component fails, skip it (listed as a warning) instead of stopping with an error"
WORKERS_HELP = "processes for parsing, embeddings and story analysis (default: every core)"
TIMINGS_HELP = "print a table of seconds per stage at the end"


def print_timings(timings, wall: float, articles: int) -> None:
    """The per-stage table of ``--timings`` (stage seconds from every process, summed)."""
    t = Table("stage", "seconds", "share", "items", title=f"{articles} articles in {wall:.1f} s wall clock")
    total = sum(timings.seconds.values()) or 1.0
    for name, sec in sorted(timings.seconds.items(), key=lambda kv: -kv[1]):
        t.add_row(name, f"{sec:.2f}", f"{100 * sec / total:.0f}%", str(timings.counts.get(name, "")))
    t.caption = "seconds summed over worker processes; parse/embed = model time, components exclude it"
    console.print(t)
