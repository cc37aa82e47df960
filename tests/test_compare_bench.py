"""Smoke runs of `crosswire bench agreement` and `crosswire bench summaries` on a small part of the real data."""

from __future__ import annotations

import json

from conftest import bench_path


def test_bench_agreement_smoke(lang, tmp_path):
    from crosswire.bench import agreement

    data = json.loads(bench_path("agreement", "nanco", "validation.json").read_text(encoding="utf-8"))
    small = [dict(q, answers=q["answers"][:10]) for q in data[:2]]
    path = tmp_path / "nanco_small.json"
    path.write_text(json.dumps(small), encoding="utf-8")
    result = agreement.run(str(path), lang=lang)
    for key in ("balanced_accuracy", "balanced_accuracy_per_question", "baselines"):
        assert key in result
    assert set(result["baselines"]["minilm_cosine"]) >= {"balanced_accuracy", "balanced_accuracy_per_question"}
    assert 0.0 <= result["balanced_accuracy"] <= 1.0
    assert result["pairs"] == 2 * 45


def test_bench_summaries_smoke(lang):
    from crosswire.bench import summaries

    result = summaries.run(str(bench_path("summaries", "multinews", "validation.csv")), limit=1, lang=lang)
    assert result["clusters"] == 1
    for key in ("rouge1", "rouge2", "rougeL"):
        assert 0.0 < result[key] <= 100.0
        for base in ("first3", "lexrank"):
            assert 0.0 <= result["baselines"][base][key] <= 100.0


def test_bench_agreement_rejects_bad_file(tmp_path):
    import pytest

    from crosswire.bench import agreement
    from crosswire.errors import BenchDataError

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(BenchDataError, match="bad.json"):
        agreement.load(str(bad))
