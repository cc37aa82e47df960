"""Smoke run of `crosswire bench throughput` on a small slice of the bench data (CI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import bench_path

pytestmark = pytest.mark.slow  # Ray runtimes and larger corpora: `make test-all`

KEYS = {
    "articles",
    "local_articles_per_s",
    "ray_articles_per_s",
    "local_stages",
    "ray_stages",
    "peak_rss_mb",
    "local_articles_per_cpu_s",
    "ray_articles_per_cpu_s",
    "ray_over_local_per_core",
    "language_embed_articles_per_s_on_2_cores",
}


def test_bench_throughput_smoke():
    root = bench_path("stories").parent
    exe = str(Path(sys.executable).with_name("crosswire"))
    proc = subprocess.run(
        [exe, "bench", "throughput", "--articles", "200", "--json"],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "CROSSWIRE_BENCH_DATA": str(root)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert KEYS <= set(result)
    assert result["articles"] == 200
    for path in ("local_stages", "ray_stages"):
        assert set(result[path]) == {"read", "clean", "language", "embed", "overall"}
        assert all(v > 0 for v in result[path].values())
    assert result["peak_rss_mb"] > 100
