"""``crosswire bench throughput``: articles/s per heavy stage, single process against Ray Data.

The corpus: the articles of ``stories/*.jsonl`` and the documents of
``summaries/multinews/validation.csv`` (raw, with web junk), repeated until
there are ``articles`` of them, written as JSON-lines shards of 100 into a
temporary folder. Both paths run the same stage code (read, clean, language
layer, embeddings, Parquet write) over the same shards in one run:

- ``local``: one process, one thread for torch (one core);
- ``ray``: Ray Data on a local runtime with all of this machine's CPUs (2 here):
  read/clean/write tasks, spaCy and MiniLM in actors that load once.

Per stage, articles/s is articles divided by the CPU time spent inside that
stage (for Ray: summed over its workers, so it is a per-core rate); ``overall`` is
articles divided by wall time of the whole run (models loading included).
"Per core" is articles per CPU-second actually used (this process for the local
path; the driver plus every process of the Ray runtime it starts for the Ray
path, engine daemons included), which stays meaningful when other work shares the machine.
``language_embed_articles_per_s_on_2_cores`` is what two cores doing only the
language layer and embeddings manage at the measured in-stage speed.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import tempfile
import threading
import time
from pathlib import Path

from crosswire.bench.common import require
from crosswire.errors import BenchDataError
from crosswire.settings import bench_root

SHARD_SIZE = 100
STAGES = (("read", "t_read"), ("clean", "t_clean"), ("language", "t_language"), ("embed", "t_embed"))


def corpus(root: Path, n: int) -> list[dict]:
    """At least ``n`` article records from the bench data (repeated as needed), in a fixed order."""
    base: list[dict] = []
    for f in sorted(require(root / "stories", "story clustering data").glob("*.jsonl")):
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                o = json.loads(line)
                base.append(
                    {
                        "text": o["text"],
                        "title": o.get("title"),
                        "url": o.get("url"),
                        "source": o.get("source"),
                        "published": o.get("date"),
                    }
                )
    mn = root / "summaries" / "multinews" / "validation.csv"
    if mn.exists():
        csv.field_size_limit(1 << 30)
        with open(mn, encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                for j, doc in enumerate(ast.literal_eval(row["documents"])):
                    if isinstance(doc, str) and doc.strip():
                        base.append(
                            {
                                "text": doc,
                                "title": None,
                                "url": f"multinews://{i}/{j}",
                                "source": None,
                                "published": None,
                            }
                        )
    if not base:
        raise BenchDataError(f"{root / 'stories'}: no articles found")
    return [base[i % len(base)] for i in range(n)]


def write_shards(records: list[dict], folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(0, len(records), SHARD_SIZE):
        p = folder / f"shard-{k // SHARD_SIZE:05d}.jsonl"
        with open(p, "w", encoding="utf-8") as fh:
            for r in records[k : k + SHARD_SIZE]:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        paths.append(str(p))
    return paths


class ProcessSampler:
    """CPU seconds and peak summed RSS of this process plus (``ray=True``) all its descendants
    (a local Ray runtime started here: GCS, raylet, workers and actors).

    Sampled twice a second; CPU time is counted from the first sample (or from 0 for processes
    that start later), so it measures the work done, however busy the machine is."""

    def __init__(self, ray: bool):
        self.ray = ray
        self.peak_mb = 0.0
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        self._sample(initial=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def cpu_seconds(self) -> float:
        return sum(v - self.first.get(pid, 0.0) for pid, v in self.last.items())

    def by_process(self) -> dict[str, float]:
        """CPU seconds per kind of process (driver, Ray actors by class, raylet, GCS, ...)."""
        out: dict[str, float] = {}
        for pid, v in self.last.items():
            name = self.names.get(pid, "?")
            out[name] = round(out.get(name, 0.0) + v - self.first.get(pid, 0.0), 1)
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))

    def _sample(self, initial: bool = False) -> None:
        import psutil

        me = psutil.Process(os.getpid())
        rss = 0
        try:
            procs = [me] + (me.children(recursive=True) if self.ray else [])
        except psutil.Error:
            procs = [me]
        for p in procs:
            try:
                with p.oneshot():
                    t = p.cpu_times()
                    cpu = t.user + t.system
                    rss += p.memory_info().rss
            except (psutil.Error, TypeError):
                continue
            if p.pid not in self.names or self.names[p.pid] in ("ray::IDLE", "default_worker.py"):
                self.names[p.pid] = "driver" if p is me else _proc_name(p)
            if initial:
                self.first[p.pid] = cpu
            self.last[p.pid] = cpu
        self.peak_mb = max(self.peak_mb, rss / 1e6)

    def _loop(self):
        while not self._stop.wait(0.5):
            self._sample()


def _proc_name(p) -> str:
    try:
        words = p.cmdline()
    except Exception:
        return "?"
    if not words:
        return "?"
    head = words[0].split()[0] if words[0].startswith("ray::") else os.path.basename(words[0])
    if head.startswith("python") and len(words) > 1:
        head = os.path.basename(next((w for w in words[1:] if w.endswith(".py")), words[1]))
    return head[:60]


def _stage_rates(tally, n: int, wall: float) -> dict[str, float]:
    sums = {name: sum(st.seconds[key] for st in tally.states.values()) for name, key in STAGES}
    rates = {name: round(n / s, 2) if s > 0 else None for name, s in sums.items()}
    rates["overall"] = round(n / wall, 2) if wall > 0 else None
    return rates


def _run_path(kind: str, shards: list[str], out: Path, cpus: int):
    from crosswire.run.batch.output import Manifest
    from crosswire.run.batch.runner import Tally, run_local, run_ray
    from crosswire.run.batch.shards import Shard

    objs = [Shard.of(p) for p in shards]
    tally = Tally(objs, Manifest(out))
    t0 = time.perf_counter()
    if kind == "local":
        run_local(objs, str(out), tally)
    else:
        run_ray(objs, str(out), tally)
    wall = time.perf_counter() - t0
    written = sum(st.written for st in tally.states.values())
    if tally.unfinished:
        raise RuntimeError(f"{kind} path left {len(tally.unfinished)} shards unfinished")
    return tally, wall, written


def run(articles: int = 2000, data: str | None = None) -> dict:
    root = bench_root(data)
    records = corpus(root, articles)
    cpus = min(2, os.cpu_count() or 1)
    with tempfile.TemporaryDirectory(prefix="crosswire-throughput-") as tmp:
        tmpd = Path(tmp)
        shards = write_shards(records, tmpd / "in")
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # the single-process path: one core
        try:
            with ProcessSampler(ray=False) as local_cpu:
                local, local_wall, n_local = _run_path("local", shards, tmpd / "local", cpus)
        finally:
            torch.set_num_threads(threads)
        from crosswire.run.batch.cluster import connect

        with connect(None, num_cpus=cpus):
            with ProcessSampler(ray=True) as ray_cpu:
                ray_t, ray_wall, n_ray = _run_path("ray", shards, tmpd / "ray", cpus)
    local_rates = _stage_rates(local, n_local, local_wall)
    ray_rates = _stage_rates(ray_t, n_ray, ray_wall)
    # per core: articles per CPU-second actually used (robust to other work on the machine)
    local_per_core = round(n_local / local_cpu.cpu_seconds, 3) if local_cpu.cpu_seconds else None
    ray_per_core = round(n_ray / ray_cpu.cpu_seconds, 3) if ray_cpu.cpu_seconds else None
    ratio = round(ray_per_core / local_per_core, 3) if local_per_core and ray_per_core else None
    lang_embed_s = sum(st.seconds["t_language"] + st.seconds["t_embed"] for st in ray_t.states.values())
    lang_embed_2cores = round(n_ray / lang_embed_s * cpus, 2) if lang_embed_s else None
    return {
        "articles": n_ray,
        "cores": cpus,
        "local_articles_per_s": local_rates["overall"],
        "ray_articles_per_s": ray_rates["overall"],
        "local_stages": local_rates,
        "ray_stages": ray_rates,
        "local_cpu_seconds": round(local_cpu.cpu_seconds, 1),
        "ray_cpu_seconds": round(ray_cpu.cpu_seconds, 1),
        "ray_cpu_seconds_by_process": ray_cpu.by_process(),
        "local_articles_per_cpu_s": local_per_core,
        "ray_articles_per_cpu_s": ray_per_core,
        "ray_over_local_per_core": ratio,
        "language_embed_articles_per_s_on_2_cores": lang_embed_2cores,
        "target_ray_within_15pct_per_core": bool(ratio is not None and ratio >= 0.85),
        "target_language_embed_10_per_s": bool(lang_embed_2cores is not None and lang_embed_2cores >= 10),
        "peak_rss_mb": round(max(local_cpu.peak_mb, ray_cpu.peak_mb), 1),
        "local_peak_rss_mb": round(local_cpu.peak_mb, 1),
        "ray_peak_rss_mb": round(ray_cpu.peak_mb, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
