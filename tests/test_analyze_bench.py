"""Smoke run of `crosswire bench analyze` on a few Multi-News documents (skipped without ../shared/bench)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import bench_path

pytestmark = pytest.mark.bench

KEYS = {
    "articles_per_second",
    "words_per_second",
    "peak_rss_mb",
    "seconds_by_stage",
    "floor_articles_per_second",
    "ratio",
}


def test_bench_analyze_smoke():
    csv_path = bench_path("summaries", "multinews", "validation.csv")
    exe = str(Path(sys.executable).with_name("crosswire"))
    proc = subprocess.run(
        [exe, "bench", "analyze", str(csv_path), "--limit", "4", "--workers", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "CROSSWIRE_BENCH_DATA": str(csv_path.parents[2])},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert KEYS <= set(result)
    assert result["articles"] == 4 and result["words"] > 0
    assert result["articles_per_second"] > 0 and result["floor_articles_per_second"] > 0
    assert result["ratio"] == pytest.approx(
        result["articles_per_second"] / result["floor_articles_per_second"], rel=0.01
    )
    stages = result["seconds_by_stage"]
    assert {"parse", "embed", "compare", "summary", "store"} <= set(stages)
    assert result["peak_rss_mb"] > 100
