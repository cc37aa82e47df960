"""Two ways to run the heavy stages over shards: in this process, or as a Ray Data pipeline.

Both run the same stage callables (``crosswire.run.batch.stages``) and the same
Parquet writer, and both feed their per-batch reports into a ``Tally``, which
marks a shard finished in the manifest as soon as every article it yielded is
written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from crosswire.run.batch.output import Manifest, write_rows
from crosswire.run.batch.shards import Shard
from crosswire.run.batch.stages import TIMINGS, EmbedStage, LanguageStage, clean_rows, read_shards

log = logging.getLogger(__name__)


@dataclass
class ShardState:
    shard: Shard
    expected: int | None = None
    written: int = 0
    problems: list[list[str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: {t: 0.0 for t in TIMINGS})
    finished: bool = False


class Tally:
    """Counts written rows per shard and records each shard in the manifest when it is complete."""

    def __init__(self, shards: Iterable[Shard], manifest: Manifest, on_done: Callable[[dict], None] | None = None):
        self.states = {s.id: ShardState(s) for s in shards}
        self.manifest = manifest
        self.on_done = on_done
        self.entries: list[dict[str, Any]] = []

    def add(self, reports: pa.Table) -> None:
        for r in reports.to_pylist():
            st = self.states[r["shard_id"]]
            st.problems.extend(json.loads(r["problems"]))
            if r["kind"] == "end":
                st.expected = r["n"]
            else:
                st.written += r["n"]
                for t in TIMINGS:
                    st.seconds[t] += r[t]
            if not st.finished and st.expected is not None and st.written >= st.expected:
                st.finished = True
                ok = st.expected - sum(1 for p in st.problems if len(p) > 2 and p[2] in ("failed", "not_article"))
                entry = self.manifest.mark_done(
                    st.shard.id,
                    st.shard.path,
                    st.shard.size,
                    ok,
                    st.problems,
                    {t: round(v, 4) for t, v in st.seconds.items()},
                )
                self.entries.append(entry)
                if self.on_done:
                    self.on_done(entry)

    @property
    def unfinished(self) -> list[Shard]:
        return [s.shard for s in self.states.values() if not s.finished]


def _shard_table(shards: list[Shard]) -> pa.Table:
    return pa.table({"shard_id": [s.id for s in shards], "path": [s.path for s in shards]})


class ShardStage:
    """Every heavy stage for whole shards in one worker: read -> clean -> language -> embed -> write.

    Input rows are (shard_id, path); for each block of a shard's articles it yields the
    write reports. Both paths use it: the local path calls it in this process, the Ray
    path runs it as ONE actor ``map_batches`` stage, so each actor loads spaCy and MiniLM
    once and no article rows cross the object store between stages (only the small reports).
    """

    def __init__(
        self,
        out_dir: str,
        since: str | None = None,
        until: str | None = None,
        lang=None,
        block: int = 32,
        torch_threads: int | None = None,
    ):
        if torch_threads:
            import torch

            torch.set_num_threads(torch_threads)
        self.out_dir, self.since, self.until, self.block = out_dir, since, until, block
        self.language = LanguageStage(lang)
        self.embed = EmbedStage(self.language.lang)

    def __call__(self, batch: pa.Table) -> Iterator[pa.Table]:
        for block_table in read_shards(batch, since=self.since, until=self.until, rows_per_block=self.block):
            yield write_rows(self.embed(self.language(clean_rows(block_table))), self.out_dir)


def run_local(
    shards: list[Shard],
    out_dir: str,
    tally: Tally,
    *,
    since: str | None = None,
    until: str | None = None,
    lang=None,
    block: int = 32,
) -> None:
    """The single-process path: every stage in this process, shard after shard."""
    stage = ShardStage(out_dir, since, until, lang=lang, block=block)
    for s in shards:
        for reports in stage(_shard_table([s])):
            tally.add(reports)


@dataclass
class RayPlan:
    """How the Ray Data pipeline uses the cluster.

    ``fused`` (default): one actor stage does read..write per shard, ``actors`` of them with
    ``actor_cpus`` each and one torch thread each, so a 2-CPU box runs exactly two model
    copies, both busy. ``fused=False`` is the earlier five-stage pipeline (read/clean tasks,
    spaCy actors, MiniLM actors, write tasks), kept for comparison."""

    actors: int
    actor_cpus: float = 1.0
    fused: bool = True
    language_actors: int = 1
    embed_actors: int = 1
    language_cpus: float = 0.3
    embed_cpus: float = 0.6
    light_cpus: float = 0.1  # read / clean / write tasks
    language_batch: int = 16
    embed_batch: int = 64

    @classmethod
    def for_cpus(cls, cpus: float, fused: bool = True) -> RayPlan:
        """One fused actor per whole CPU; (unfused) one embedding actor per CPU, one spaCy actor per two."""
        n = max(1, int(cpus))
        return cls(actors=n, fused=fused, language_actors=max(1, n // 2), embed_actors=n)


def build_dataset(
    shards: list[Shard], out_dir: str, plan: RayPlan, *, since: str | None = None, until: str | None = None
):
    """The Ray Data pipeline over one row per shard; yields the write reports."""
    import ray.data
    from ray.data import ActorPoolStrategy

    items = [{"shard_id": s.id, "path": s.path} for s in shards]
    ds = ray.data.from_items(items, override_num_blocks=len(items))
    if plan.fused:
        return ds.map_batches(
            ShardStage,
            batch_size=1,
            batch_format="pyarrow",
            fn_constructor_kwargs={
                "out_dir": out_dir,
                "since": since,
                "until": until,
                "torch_threads": max(1, int(plan.actor_cpus)),
            },
            compute=ActorPoolStrategy(size=min(plan.actors, len(items)), max_tasks_in_flight_per_actor=1),
            num_cpus=plan.actor_cpus,
        )
    ds = ds.map_batches(
        read_shards,
        batch_size=1,
        batch_format="pyarrow",
        num_cpus=plan.light_cpus,
        fn_kwargs={"since": since, "until": until},
    )
    ds = ds.map_batches(clean_rows, batch_format="pyarrow", num_cpus=plan.light_cpus)
    ds = ds.map_batches(
        LanguageStage,
        batch_size=plan.language_batch,
        batch_format="pyarrow",
        compute=ActorPoolStrategy(size=plan.language_actors),
        num_cpus=plan.language_cpus,
    )
    ds = ds.map_batches(
        EmbedStage,
        batch_size=plan.embed_batch,
        batch_format="pyarrow",
        compute=ActorPoolStrategy(size=plan.embed_actors),
        num_cpus=plan.embed_cpus,
    )
    ds = ds.map_batches(write_rows, batch_format="pyarrow", num_cpus=plan.light_cpus, fn_kwargs={"out_dir": out_dir})
    return ds


def run_ray(
    shards: list[Shard],
    out_dir: str,
    tally: Tally,
    *,
    since: str | None = None,
    until: str | None = None,
    plan: RayPlan | None = None,
) -> None:
    """The Ray Data path; Ray must be initialised (``crosswire.run.batch.cluster.connect``)."""
    import ray
    from ray.data import DataContext

    ctx = DataContext.get_current()
    ctx.enable_progress_bars = False
    plan = plan or RayPlan.for_cpus(ray.cluster_resources().get("CPU", 1))
    ds = build_dataset(shards, out_dir, plan, since=since, until=until)
    for reports in ds.iter_batches(batch_format="pyarrow", batch_size=None):
        tally.add(reports)
