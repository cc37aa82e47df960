"""Smoke runs of `crosswire bench stories` and `crosswire bench stories-scale` on small subsets."""

from __future__ import annotations

import pytest

from conftest import bench_path

KEYS = {"bcubed_p", "bcubed_r", "bcubed_f1", "pairwise_p", "pairwise_r", "pairwise_f1", "clusters", "articles_per_s"}


@pytest.mark.bench
def test_bench_stories_smoke(lang):
    from crosswire.bench.stories import run

    res = run(str(bench_path("stories", "ecbplus.jsonl")), level="topic", limit=30, lang=lang)
    assert KEYS <= set(res) and KEYS <= set(res["baseline"])
    assert res["articles"] == 30 and 0.0 <= res["bcubed_f1"] <= 1.0 and res["clusters"] >= 1


@pytest.mark.bench
def test_bench_stories_scale_smoke():
    from crosswire.bench.stories_scale import run

    bench_path("stories", "ecbplus.jsonl")
    res = run([300], base_limit=40)
    row = res["sizes"]["300"]
    assert row["articles"] == 300 and row["articles_per_s"] > 0 and row["peak_mb"] > 0
