"""Smoke run of `crosswire bench quotes` on a few PolNeAR dev articles."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import bench_path


def test_bench_quotes_smoke():
    split = bench_path("quotes", "polnear", "dev")
    from crosswire.cli import app

    res = CliRunner().invoke(app, ["bench", "quotes", str(split), "--limit", "3", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output.strip().splitlines()[-1])
    for role in ("source", "cue", "content"):
        for key in (f"{role}_f1", f"{role}_overlap_f1", f"{role}_p", f"{role}_r"):
            assert 0.0 <= out[key] <= 1.0
        assert f"{role}_f1" in out["baseline"]
    assert out["articles"] == 3
    assert out["source_f1"] > 0.2  # the trained tagger finds real sources, not nothing


def test_bench_quotes_names_a_missing_folder(tmp_path):
    from crosswire.cli import app

    res = CliRunner().invoke(app, ["bench", "quotes", str(tmp_path / "nope")])
    assert res.exit_code == 2
    assert "nope" in res.output
