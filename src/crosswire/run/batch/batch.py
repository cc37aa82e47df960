"""``crosswire batch``: the heavy stages on Ray Data, then stories into the store.

1. Shards (WARC / JSON-lines files) are listed; shards the output folder's
   manifest already records as finished are skipped (resume after a kill).
2. Read, clean, language layer and embeddings run as a Ray Data pipeline
   (``crosswire.run.batch.runner``) that writes Parquet under ``out_dir``.
3. The story stage (``crosswire.run.batch.storystage``) reads the Parquet output,
   clusters it in time order, runs the per-story analysis of ``crosswire
   analyze`` and saves the result in the store.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crosswire.model import Rejection
from crosswire.run.batch.output import Manifest
from crosswire.run.batch.runner import RayPlan, Tally, run_local, run_ray
from crosswire.run.batch.shards import list_shards
from crosswire.settings import Settings, worker_count

log = logging.getLogger(__name__)


@dataclass
class BatchResult:
    out_dir: str
    db: str
    shards: int = 0
    skipped: int = 0  # finished by an earlier run
    finished: int = 0  # finished by this run
    unfinished: list[str] = field(default_factory=list)
    articles: int = 0
    stories: int = 0
    articles_new: int = 0
    problems: dict[str, list[list[str]]] = field(default_factory=dict)  # shard path -> [where, reason, kind]
    input_problems: list[Rejection] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None

    @property
    def failed(self) -> bool:
        return bool(self.error or self.unfinished or self.input_problems)

    def problem_counts(self) -> Counter:
        return Counter(p[2] if len(p) > 2 else "bad_record" for ps in self.problems.values() for p in ps)

    def describe(self) -> str:
        lines = [
            f"shards: {self.shards} ({self.finished} processed now, {self.skipped} already finished, "
            f"{len(self.unfinished)} unfinished); articles: {self.articles} "
            f"({self.articles_new} new in {self.db}); stories: {self.stories}"
        ]
        counts = self.problem_counts()
        if counts:
            lines.append("left out: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(counts.items())))
        for path, ps in sorted(self.problems.items()):
            if not ps:
                continue
            kinds = Counter(p[2] if len(p) > 2 else "bad_record" for p in ps)
            lines.append(f"  {path}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in sorted(kinds.items())))
            for where, reason, *_ in ps[:3]:
                lines.append(f"    {where}: {reason}")
            if len(ps) > 3:
                lines.append(f"    ... {len(ps) - 3} more in {Path(self.out_dir) / 'manifest'}")
        for p in self.input_problems:
            lines.append(f"  {p.path}: {p.reason}")
        for path in self.unfinished:
            lines.append(f"  unfinished (run the same command again to resume): {path}")
        if self.error:
            lines.append(f"error: {self.error}")
        if self.seconds:
            lines.append("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in self.seconds.items()))
        lines.append(f"parquet: {self.out_dir}")
        return "\n".join(lines)


def run_batch(
    inputs: Sequence[str],
    out_dir: str,
    db: str = "crosswire.db",
    address: str | None = None,
    *,
    since: str | None = None,
    until: str | None = None,
    settings: Settings | None = None,
    lang=None,
    use_ray: bool = True,
    plan: RayPlan | None = None,
    workers: int | None = None,
) -> BatchResult:
    """Process the shards not yet finished in ``out_dir``, then (re)build the stories of all of them in ``db``.

    ``workers``: CPUs of a local Ray runtime and processes of the story stage (default: Ray's local default
    and one story process; 0 = every core)."""
    from crosswire.run.batch.storystage import build_and_store

    settings = settings or Settings.load(db=db)
    result = BatchResult(out_dir=str(out_dir), db=db)
    for name, value in (("--since", since), ("--until", until)):
        if value and not _is_day(value):
            result.error = f"{name} {value!r} is not a date (YYYY-MM-DD)"
            return result
    shards, result.input_problems = list_shards(inputs)
    result.shards = len(shards)
    manifest = Manifest(out_dir)
    done = manifest.done()
    pending = [s for s in shards if s.id not in done]
    result.skipped = len(shards) - len(pending)
    for s in pending:
        manifest.clear(s.id)
    tally = Tally(pending, manifest, on_done=lambda e: log.info("finished %s (%d articles)", e["path"], e["articles"]))
    t0 = time.perf_counter()
    if pending:
        try:
            if use_ray:
                from crosswire.run.batch.cluster import connect

                with connect(address, num_cpus=None if workers is None else worker_count(workers)):
                    run_ray(pending, str(out_dir), tally, since=since, until=until, plan=plan)
            else:
                run_local(pending, str(out_dir), tally, since=since, until=until, lang=lang)
        except Exception as exc:  # the engine failed: keep what finished, report the rest
            log.exception("batch stages failed")
            result.error = f"{type(exc).__name__}: {exc}"
    result.seconds["stages"] = time.perf_counter() - t0
    result.finished = len(tally.entries)
    result.unfinished = [s.path for s in tally.unfinished]
    entries = manifest.done()
    for s in shards:
        if s.id in entries:
            result.problems[s.path] = entries[s.id].get("problems", [])
    finished_ids = [s.id for s in shards if s.id in entries]
    t1 = time.perf_counter()
    counts = build_and_store(
        str(out_dir), finished_ids, db=db, settings=settings, lang=lang, problems=result.problems, workers=workers
    )
    result.seconds["stories"] = time.perf_counter() - t1
    result.articles = counts["articles"]
    result.articles_new = counts["articles_new"]
    result.stories = counts["stories"]
    return result


def _is_day(value: str) -> bool:
    import datetime as _dt

    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
