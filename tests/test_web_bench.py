"""Smoke run of `crosswire bench web` on a small store built from the real bench corpora."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import bench_path
from crosswire.cli import app


def test_bench_web_smoke(tmp_path):
    data = bench_path("stories")
    db = tmp_path / "bench.db"
    r = CliRunner().invoke(
        app,
        ["bench", "web", "--stories", "40", "--clients", "4", "--requests", "60", "--db", str(db), "--json"],
        env={"CROSSWIRE_BENCH_DATA": str(data.parent)},
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout.strip().splitlines()[-1])
    for key in ("p50_ms", "p95_ms", "p99_ms", "errors", "requests", "stories", "per_page"):
        assert key in out, key
    assert out["stories"] == 40 and out["requests"] == 60 and out["errors"] == 0
    assert set(out["per_page"]) == {"list", "search", "story"}
    assert all(v["requests"] == 20 for v in out["per_page"].values())
    assert 0 < out["p50_ms"] <= out["p95_ms"] <= out["p99_ms"]
