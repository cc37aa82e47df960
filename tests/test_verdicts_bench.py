"""`crosswire bench verdicts`: same figures as the reference scorer beside the gold, on the same dossier."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from conftest import bench_path
from crosswire.cli import app


def test_bench_verdicts_matches_the_reference_scorer(tmp_path):
    articles = bench_path("verdicts", "dev_articles.jsonl")
    gold = bench_path("verdicts", "dev_gold.json")
    scorer = bench_path("verdicts", "score.py")
    dossier = tmp_path / "dossier.json"
    result = CliRunner().invoke(
        app, ["bench", "verdicts", str(articles), str(gold), "--limit", "2", "--dossier", str(dossier), "--json"]
    )
    assert result.exit_code == 0, result.output
    ours = json.loads(result.output.strip().splitlines()[-1])
    for key in (
        "conflict_precision",
        "conflict_recall",
        "shared_recall",
        "exclusive_precision",
        "exclusive_recall",
        "consensus_precision",
    ):
        assert key in ours
    # the reference scorer on the same dossier, with the gold cut to the same two stories
    small_gold = tmp_path / "gold.json"
    small_gold.write_text(json.dumps({"stories": json.loads(gold.read_text())["stories"][:2]}))
    ref = subprocess.run(
        [sys.executable, str(scorer), str(articles), str(small_gold), str(dossier)],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(ref.stdout)
    assert {k: ours[k] for k in theirs} == theirs
    assert ours["stories"] == 2 and ours["unmatched_quotes"] == 0
