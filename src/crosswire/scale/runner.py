"""Two ways to run the heavy stages over shards: in this process, or as a Ray Data pipeline.

Both run the same stage callables (``crosswire.scale.stages``) and the same
Parquet writer, and both feed their per-batch reports into a ``Tally``, which
marks a shard finished in the manifest as soon as every article it yielded is
written.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import pyarrow as pa

from .output import Manifest, write_rows
from .shards import Shard
from .stages import TIMINGS, EmbedStage, LanguageStage, clean_rows, read_shards

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
                ok = st.expected - sum(1 for p in st.problems if len(p) > 2 and p[2] == "failed")
                entry = self.manifest.mark_done(st.shard.id, st.shard.path, st.shard.size, ok, st.problems,
                                                {t: round(v, 4) for t, v in st.seconds.items()})
                self.entries.append(entry)
                if self.on_done:
                    self.on_done(entry)

    @property
    def unfinished(self) -> list[Shard]:
        return [s.shard for s in self.states.values() if not s.finished]


def _shard_table(shards: list[Shard]) -> pa.Table:
    return pa.table({"shard_id": [s.id for s in shards], "path": [s.path for s in shards]})


def run_local(shards: list[Shard], out_dir: str, tally: Tally, *, since: str | None = None, until: str | None = None,
              lang=None, block: int = 32) -> None:
    """The single-process path: every stage in this process, shard after shard."""
    language = LanguageStage(lang)
    embed = EmbedStage(language.lang)
    for s in shards:
        for block_table in read_shards(_shard_table([s]), since=since, until=until, rows_per_block=block):
            t = clean_rows(block_table)
            t = language(t)
            t = embed(t)
            tally.add(write_rows(t, out_dir))


@dataclass
class RayPlan:
    """How many actors and CPUs each Ray Data stage gets (defaults fill the cluster's CPUs)."""

    language_actors: int
    embed_actors: int
    language_cpus: float = 0.3
    embed_cpus: float = 0.6
    light_cpus: float = 0.1  # read / clean / write tasks
    language_batch: int = 16
    embed_batch: int = 64

    @classmethod
    def for_cpus(cls, cpus: float) -> "RayPlan":
        """One embedding actor per CPU, one spaCy actor per two: on this machine MiniLM takes about
        70 % of the CPU time of language + embeddings (bench throughput: 12 vs 30 articles per CPU-second)."""
        return cls(language_actors=max(1, int(cpus) // 2), embed_actors=max(1, int(cpus)))


def build_dataset(shards: list[Shard], out_dir: str, plan: RayPlan, *, since: str | None = None,
                  until: str | None = None):
    """The Ray Data pipeline: read+clean (tasks) -> language (actors) -> embed (actors) -> write (tasks)."""
    import ray.data
    from ray.data import ActorPoolStrategy

    items = [{"shard_id": s.id, "path": s.path} for s in shards]
    ds = ray.data.from_items(items, override_num_blocks=len(items))
    ds = ds.map_batches(read_shards, batch_size=1, batch_format="pyarrow", num_cpus=plan.light_cpus,
                        fn_kwargs={"since": since, "until": until})
    ds = ds.map_batches(clean_rows, batch_format="pyarrow", num_cpus=plan.light_cpus)
    ds = ds.map_batches(LanguageStage, batch_size=plan.language_batch, batch_format="pyarrow",
                        compute=ActorPoolStrategy(size=plan.language_actors), num_cpus=plan.language_cpus)
    ds = ds.map_batches(EmbedStage, batch_size=plan.embed_batch, batch_format="pyarrow",
                        compute=ActorPoolStrategy(size=plan.embed_actors), num_cpus=plan.embed_cpus)
    ds = ds.map_batches(write_rows, batch_format="pyarrow", num_cpus=plan.light_cpus, fn_kwargs={"out_dir": out_dir})
    return ds


def run_ray(shards: list[Shard], out_dir: str, tally: Tally, *, since: str | None = None, until: str | None = None,
            plan: RayPlan | None = None) -> None:
    """The Ray Data path; Ray must be initialised (``crosswire.scale.cluster.connect``)."""
    import ray

    from ray.data import DataContext

    ctx = DataContext.get_current()
    ctx.enable_progress_bars = False
    plan = plan or RayPlan.for_cpus(ray.cluster_resources().get("CPU", 1))
    ds = build_dataset(shards, out_dir, plan, since=since, until=until)
    for reports in ds.iter_batches(batch_format="pyarrow", batch_size=None):
        tally.add(reports)
