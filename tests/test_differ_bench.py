"""Smoke run of `crosswire bench differ` on the ClaimDiff train file, and its error for bad input."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import bench_path


def test_bench_differ_smoke(tmp_path):
    train = bench_path("differ", "ClaimDiff-weak-train.json")
    from crosswire.cli import app

    # the baseline learns from the first 300 train pairs only, to keep the smoke run short
    small = tmp_path / "train300.json"
    small.write_text(json.dumps({"data": json.loads(train.read_text())["data"][:300]}))
    res = CliRunner().invoke(app, ["bench", "differ", str(train), "--limit", "20", "--train", str(small), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output.strip().splitlines()[-1])
    assert out["pairs"] == 20
    for part in (out, out["baselines"]["all_positive"], out["baselines"]["minilm_lr"]):
        for key in ("precision", "recall", "f1"):
            assert 0.0 <= part[key] <= 1.0
    assert out["baselines"]["all_positive"]["recall"] == (1.0 if out["positives"] else 0.0)
    assert out["scored_on_training_data"] == 20 and "warning" in out  # the train file is not held out
    assert out["seconds"] > 0 and "positives" in out


def test_bench_differ_names_a_bad_file(tmp_path):
    from crosswire.cli import app

    bad = tmp_path / "pairs.json"
    bad.write_text(json.dumps({"data": [{"claim_a": "x", "claim_b": "y"}]}))
    res = CliRunner().invoke(app, ["bench", "differ", str(bad)])
    assert res.exit_code == 2
    assert "pairs.json" in res.output and "relation" in res.output
