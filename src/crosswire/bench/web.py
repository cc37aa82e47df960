"""`crosswire bench web`: latency of the web app under concurrent load on loopback.

Fills a store with N stories built from the bench corpora (bench/web_data.py: direct inserts, no
model runs), starts ``crosswire serve``'s app with uvicorn in a subprocess on 127.0.0.1, and drives
the story list, search and story pages from C concurrent keep-alive clients (a small asyncio HTTP/1.1
client, so the load generator costs little CPU: it shares the two cores with the server). The run is
bounded by the request count and by a time limit. Prints p50/p95/p99 latency and errors per page
and overall.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from crosswire.bench.web_data import fill_store, load_bench_articles
from crosswire.settings import bench_root
from crosswire.store.db import Store

PAGES = ("list", "search", "story")
_WORD = re.compile(r"[A-Za-z]{5,}")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(q / 100 * len(v) + 0.5)) - 1))
    return v[k]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int, workers: int = 1) -> subprocess.Popen:
    env = {**os.environ, "CROSSWIRE_DB": db}
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "crosswire.web.app:app_from_env",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories?per_page=1", timeout=5) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not answer within 90 s")


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _drive(port: int, plan: list[tuple[str, str]], clients: int, time_limit: float, timeout: float):
    queue = list(reversed(plan))
    results: list[tuple[str, float, bool]] = []
    deadline = time.perf_counter() + time_limit

    async def client() -> None:
        conn = None
        while queue and time.perf_counter() < deadline:
            page, path = queue.pop()
            t0 = time.perf_counter()
            ok = False
            try:
                if conn is None:
                    conn = await asyncio.open_connection("127.0.0.1", port)
                ok = await asyncio.wait_for(_get(*conn, path), timeout) == 200
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                if conn is not None:
                    conn[1].close()
                conn = None
            results.append((page, (time.perf_counter() - t0) * 1000, ok))
        if conn is not None:
            conn[1].close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return results, time.perf_counter() - t0, len(queue)


def make_plan(db: str, n: int, root: Path, seed: int = 7) -> list[tuple[str, str]]:
    """n requests, a third each: list pages (both sorts), searches for corpus words, story pages."""
    rng = random.Random(seed)
    with Store(db) as store:
        ids = store.story_ids()
        pages = max(1, len(ids) // 25)
    words = Counter(w.lower() for r in load_bench_articles(root)[:400] for w in _WORD.findall(r["text"][:600]))
    vocab = [w for w, _ in words.most_common(300)][20:]  # skip the most common words
    plan = []
    for i in range(n):
        kind = PAGES[i % 3]
        if kind == "list":
            plan.append((kind, f"/?sort={rng.choice(['recent', 'size'])}&page={rng.randint(1, min(pages, 400))}"))
        elif kind == "search":
            plan.append((kind, f"/?q={rng.choice(vocab)}"))
        else:
            plan.append((kind, f"/stories/{rng.choice(ids)}"))
    return plan


def summarize(results: list[tuple[str, float, bool]]) -> dict[str, Any]:
    def stats(rows):
        ms = [r[1] for r in rows]
        return {
            "p50_ms": round(percentile(ms, 50), 1),
            "p95_ms": round(percentile(ms, 95), 1),
            "p99_ms": round(percentile(ms, 99), 1),
            "errors": sum(1 for r in rows if not r[2]),
            "requests": len(rows),
        }

    return {**stats(results), "per_page": {p: stats([r for r in results if r[0] == p]) for p in PAGES}}


def run(
    stories: int = 10000,
    clients: int = 16,
    requests: int = 3000,
    db: str | None = None,
    workers: int = 1,
    time_limit: float = 300.0,
    data: str | None = None,
) -> dict[str, Any]:
    root = bench_root(data)
    tmp = None
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="crosswire-bench-web-")
        db = str(Path(tmp.name) / "web.db")
    try:
        t0 = time.perf_counter()
        with Store(db) as store:
            have = store.count("stories")
        if have < stories:
            fill_store(db, stories - have, root, offset=have)
        fill_s = time.perf_counter() - t0
        with Store(db) as store:
            n_stories = store.count("stories")
        plan = make_plan(db, requests, root)
        load_before = os.getloadavg()[0]
        port = _free_port()
        proc = start_server(db, port, workers)
        try:
            warm = make_plan(db, 3 * clients, root, seed=1)
            asyncio.run(_drive(port, warm, clients, 60, 30))
            # one client, one request at a time: the server's own time per page, without queueing
            alone, _, _ = asyncio.run(_drive(port, make_plan(db, 150, root, seed=2), 1, 60, 30))
            results, seconds, left = asyncio.run(_drive(port, plan, clients, time_limit, 30))
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        out = summarize(results)
        return {
            "p50_ms": out["p50_ms"],
            "p95_ms": out["p95_ms"],
            "p99_ms": out["p99_ms"],
            "errors": out["errors"],
            "requests": out["requests"],
            "stories": n_stories,
            "per_page": out["per_page"],
            "one_client": {p: {k: v[k] for k in ("p50_ms", "p95_ms")} for p, v in summarize(alone)["per_page"].items()},
            "clients": clients,
            "server_workers": workers,
            "seconds": round(seconds, 2),
            "requests_per_s": round(out["requests"] / seconds, 1) if seconds else 0.0,
            "not_sent_time_limit": left,
            "fill_seconds": round(fill_s, 1),
            "cpus": os.cpu_count(),
            "load_avg_1min_before": round(load_before, 2),
            "target_p95_ms": 100,
            "target_met": out["p95_ms"] <= 100 and out["errors"] == 0,
        }
    finally:
        if tmp is not None:
            tmp.cleanup()
