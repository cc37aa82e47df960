"""``crosswire bench analyze PATH...``: the whole ``crosswire analyze`` end to end, against the plain floor.

Each PATH holds news articles: a Multi-News style CSV (``documents``: a Python-literal list of
article texts; every document is one article), a JSON-lines file (``text``, and ``title``,
``source``, ``date``/``published``, ``url`` where known, e.g. ECB+ ``stories/ecbplus.jsonl``) or
a folder of ``.txt`` articles (e.g. PolNeAR's ``quotes/polnear/train/text``, with outlet, date
and title from its ``metadata.tsv``). The first ``limit`` articles of the paths, in order, are
written as JSON lines to a temporary folder and analysed as the CLI does it: read, clean, group,
per-story analysis (``workers`` processes), the dossier stored in a fresh store (also the run's
model cache) and the reports written.

The floor, in the same run, on the same articles (their cleaned texts) with the same number of
worker processes: one spaCy parse of every article plus one fp32 MiniLM (sentence-transformers,
torch on one thread per worker) pass over its sentences, timed from when the workers have their
models loaded (so the floor pays no start-up; analyze pays all of its own).

Keys: ``articles_per_second``, ``words_per_second`` (analyze, wall clock), ``peak_rss_mb``
(the largest sum of resident memory over this process and its workers, sampled every 0.2 s;
pages shared between processes count once per process), ``seconds_by_stage`` (stage seconds
summed over workers, see ``--timings``), ``floor_articles_per_second`` and ``ratio`` (analyze
over floor); and what else describes the run (articles, words, stories, load average).
"""

from __future__ import annotations

import ast
import csv
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from crosswire.bench.common import require
from crosswire.errors import BenchDataError
from crosswire.settings import Settings, worker_count

FLOOR_CHUNK = 4  # articles per floor job


def load(paths: list[str], limit: int | None = None) -> list[dict[str, Any]]:
    """Article records (JSON-lines objects for ``crosswire analyze``), the first ``limit`` of the paths in order."""
    out: list[dict[str, Any]] = []
    for path in paths:
        p = require(path, "news articles (Multi-News CSV, JSON lines or a folder of .txt)")
        left = None if limit is None else limit - len(out)
        if left is not None and left <= 0:
            break
        if p.is_dir():
            out += _texts(p, left)
        elif p.suffix == ".csv":
            out += _multinews(p, left)
        else:
            out += _jsonl(p, left)
    if not out:
        raise BenchDataError(f"{', '.join(paths)}: no articles found")
    return out


def _multinews(p: Path, limit: int | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    csv.field_size_limit(sys.maxsize)
    with open(p, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            try:
                docs = ast.literal_eval(row["documents"])
            except (KeyError, ValueError, SyntaxError) as exc:
                print(f"{p}: row {i + 2}: skipped, `documents` is not a Python list literal ({exc})", file=sys.stderr)
                continue
            for j, doc in enumerate(docs):
                if isinstance(doc, str) and doc.strip():
                    out.append({"text": doc, "url": f"multinews://{i}/{j}", "source": f"source {j + 1}"})
            if limit is not None and len(out) >= limit:
                break
    return out[:limit]


def _jsonl(p: Path, limit: int | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    with open(p, encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if limit is not None and len(out) >= limit:
                break
            if not line.strip():
                continue
            try:
                o = json.loads(line)
            except ValueError as exc:
                print(f"{p}: line {k + 1}: skipped, not JSON ({exc})", file=sys.stderr)
                continue
            if not isinstance(o, dict) or not str(o.get("text") or "").strip():
                continue
            rec = {"text": o["text"]}
            for key in ("title", "source", "url"):
                if o.get(key):
                    rec[key] = o[key]
            if o.get("published") or o.get("date"):
                rec["published"] = o.get("published") or o.get("date")
            out.append(rec)
    return out


def _texts(folder: Path, limit: int | None) -> list[dict[str, Any]]:
    """A folder of .txt articles; a ``metadata.tsv`` beside or above it (columns filename, publisher,
    publication_date, title, as PolNeAR's) gives each its outlet, date and title."""
    meta: dict[str, dict[str, str]] = {}
    for m in (folder / "metadata.tsv", folder.parent / "metadata.tsv", folder.parent.parent / "metadata.tsv"):
        if m.is_file():
            with open(m, newline="", encoding="utf-8") as fh:
                meta = {r.get("filename", ""): r for r in csv.DictReader(fh, delimiter="\t")}
            break
    out: list[dict[str, Any]] = []
    for f in sorted(folder.rglob("*.txt")):
        if limit is not None and len(out) >= limit:
            break
        text = f.read_text(encoding="utf-8", errors="replace")
        if not text.strip():
            continue
        rec: dict[str, Any] = {"text": text, "url": f"file://{f.name}"}
        m = meta.get(f.stem, {})
        for key, col in (("source", "publisher"), ("published", "publication_date"), ("title", "title")):
            if m.get(col) and m[col] != "None":
                rec[key] = m[col]
        out.append(rec)
    return out


class PeakMemory:
    """The largest summed RSS of this process and its children, sampled in a thread."""

    def __init__(self, every: float = 0.2):
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _sample(self) -> None:
        import psutil

        me = psutil.Process(os.getpid())
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                continue
        self.peak = max(self.peak, total)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.every)

    @property
    def mb(self) -> float:
        return self.peak / 1e6


# ---------------------------------------------------------------- the floor
_FLOOR: Any = None


def _floor_init() -> None:
    global _FLOOR
    from crosswire.nlp import Language

    lang = Language(encoder="fp32", threads=1)
    _ = lang.spacy
    _ = lang.encoder
    _FLOOR = lang


def _floor_ready(_: int) -> int:
    return os.getpid()


def _floor_job(texts: list[str]) -> int:
    """One spaCy parse of each text and one fp32 MiniLM pass over its sentences; returns the sentences."""
    lang = _FLOOR
    sentences = [s.text for doc in lang.spacy.pipe(texts, batch_size=16) for s in doc.sents]
    lang.encoder.encode(sentences)
    return len(sentences)


def floor(texts: list[str], workers: int) -> dict[str, float]:
    """Seconds of the floor over ``texts`` with ``workers`` processes (models loaded before the clock starts)."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_floor_init) as pool:
        pids: set[int] = set()
        while len(pids) < workers:  # every worker started and loaded
            pids |= set(pool.map(_floor_ready, range(workers * 4)))
        chunks = [texts[i : i + FLOOR_CHUNK] for i in range(0, len(texts), FLOOR_CHUNK)]
        t0 = time.perf_counter()
        sentences = sum(pool.map(_floor_job, chunks))
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "sentences": sentences}


# ---------------------------------------------------------------- analyze
def run(
    paths: list[str], limit: int | None = None, workers: int | None = None, with_floor: bool = True
) -> dict[str, Any]:
    from crosswire.nlp import Language
    from crosswire.report import write_reports
    from crosswire.run.analyze import analyze
    from crosswire.store import Store

    records = load(paths, limit)
    settings = Settings.load(progress=False)
    n = worker_count(workers if workers is not None else settings.workers)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="crosswire-bench-analyze-") as tmp:
        corpus = Path(tmp) / "articles.jsonl"
        corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        db = str(Path(tmp) / "bench.db")
        lang = Language.for_settings(settings)
        cpu0 = _cpu_seconds()
        with PeakMemory() as mem:
            t0 = time.perf_counter()
            dossier = analyze([str(corpus)], settings=settings, lang=lang, workers=n, db=db)
            with lang.timings.stage("store"), Store(db) as store:
                store.save_dossier(dossier)
            with lang.timings.stage("reports"):
                write_reports(dossier, str(Path(tmp) / "out"))
            seconds = time.perf_counter() - t0
        cpu = _cpu_seconds() - cpu0
        texts = [a.text for a in dossier.articles]
        words = sum(len(t.split()) for t in texts)
        result: dict[str, Any] = {
            "articles": len(texts),
            "words": words,
            "stories": len(dossier.stories),
            "workers": n,
            "encoder": lang.encoder_name,
            "seconds": round(seconds, 2),
            "articles_per_second": round(len(texts) / seconds, 3),
            "words_per_second": round(words / seconds, 1),
            "peak_rss_mb": round(mem.mb, 1),
            "cpu_seconds": round(cpu, 1),
            "seconds_by_stage": {
                k: round(v, 2) for k, v in sorted(lang.timings.seconds.items(), key=lambda kv: -kv[1])
            },
            "texts_embedded": lang.stats.get("embedded", 0),
            "articles_parsed": lang.stats.get("parsed", 0),
        }
        if with_floor:
            fl = floor(texts, n)
            result["floor_seconds"] = round(fl["seconds"], 2)
            result["floor_sentences"] = int(fl["sentences"])
            result["floor_articles_per_second"] = round(len(texts) / fl["seconds"], 3)
            result["ratio"] = round(result["articles_per_second"] / result["floor_articles_per_second"], 3)
        result["load_average_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    return result


def _cpu_seconds() -> float:
    """CPU seconds of this process and its finished children."""
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
