"""crosswire batch: shard reading with counted problems, the Ray Data path against `analyze`, resuming."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.slow  # Ray runtimes and larger corpora: `make test-all`

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("scale_corpus", HERE / "fixtures" / "scale" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)


def _read(path, **kw):
    from crosswire.model import Rejection
    from crosswire.run.batch.shards import read_shard

    items = list(read_shard(str(path), **kw))
    return [i for i in items if not isinstance(i, Rejection)], [i for i in items if isinstance(i, Rejection)]


def test_shards_are_read_with_every_problem_counted(tmp_path):
    shards = corpus.build(tmp_path / "in")
    arts, probs = _read(shards["a"])
    assert [a.source for a in arts] == ["kyivpost.example", "dw.example", "tass.example"]
    assert [a.published[:10] for a in arts] == ["2022-10-13", "2022-10-14", "2022-10-15"]
    assert all(a.published_from == "metadata" and a.format == "warc" for a in arts)
    assert [(p.kind, p.reason) for p in probs] == [("non_html", "non-HTML payload (application/pdf)")]
    assert "Scholz" in arts[0].text and "Copyright" not in arts[0].text and "World" not in arts[0].text
    _, probs = _read(shards["b"])
    assert [p.kind for p in probs] == ["http_error"] and "404" in probs[0].reason
    arts, probs = _read(shards["d"])  # cut short inside its second page
    assert len(arts) == 1 and [p.kind for p in probs] == ["truncated"]
    assert probs[0].path.startswith(str(shards["d"]))


def test_date_filter_uses_the_page_date_not_the_warc_date(tmp_path):
    shards = corpus.build(tmp_path / "in", truncated=False)
    # every WARC-Date is 2026-11-01; the pages say 2022-10-13 .. 2022-10-17, 2024-03 and 2019
    arts, probs = _read(shards["a"], since="2022-10-14", until="2022-10-14")
    assert [a.published[:10] for a in arts] == ["2022-10-14"]
    assert sorted(p.kind for p in probs) == ["non_html", "out_of_range", "out_of_range"]
    arts, _ = _read(shards["c"], since="2024-01-01")
    assert len(arts) == 3 and all(a.published.startswith("2024-03") for a in arts)
    arts, _ = _read(shards["c"], until="2026-12-31", since="2026-11-01")
    assert arts == []


def _story_dicts(stories):
    return sorted((s.to_dict() for s in stories), key=lambda d: d["id"])


def test_batch_on_local_ray_equals_analyze(lang, tmp_path):
    import crosswire
    from crosswire.run.batch.batch import run_batch
    from crosswire.store.db import Store

    corpus.build(tmp_path / "in")
    out, db = tmp_path / "out", tmp_path / "batch.db"
    result = run_batch([str(tmp_path / "in")], str(out), db=str(db), lang=lang)  # real local Ray runtime
    assert result.error is None and not result.unfinished, result.describe()
    assert result.finished == 4 and result.skipped == 0
    counts = result.problem_counts()
    assert counts["non_html"] == 1 and counts["http_error"] == 1 and counts["truncated"] == 1
    text = result.describe()
    assert "cc-news-d.warc.gz" in text and "truncated" in text

    reference = crosswire.analyze([str(tmp_path / "in")], lang=lang)
    assert sorted(a.id for a in reference.articles) == sorted(
        pq.read_table(out / "articles").column("id").unique().to_pylist()
    )
    with Store(db) as store:
        got = [store.get_story(r["id"]) for r in store.list_stories()]
        assert store.count("articles") == len(reference.articles) == 9
    assert len(reference.stories) >= 2  # the phone call, the flood (and the 2019 page)
    assert _story_dicts(got) == _story_dicts(reference.stories)

    # the Parquet output: one row per article, and sentences/entities that point into the text
    arts = pq.read_table(out / "articles").to_pylist()
    assert len(arts) == 10  # shard d repeats one page of shard c: stored per shard, once in the store
    sents = pq.read_table(out / "sentences").to_pylist()
    ents = pq.read_table(out / "entities").to_pylist()
    text_of = {a["id"]: a["text"] for a in arts}
    assert sents and ents
    assert any(e["label"] == "PERSON" and e["text"] == "Olaf Scholz" for e in ents)
    for e in ents[:50]:
        assert text_of[e["article_id"]][e["start"] : e["end"]] == e["text"]
    emb = pq.read_table(out / "embeddings")
    assert emb.num_rows == 10 and len(emb.column("vector")[0].as_py()) == 384
    manifest = [json.loads(p.read_text()) for p in sorted((out / "manifest").glob("*.json"))]
    assert sorted(m["articles"] for m in manifest) == [1, 2, 3, 4]


def test_rerun_skips_finished_shards_and_adds_no_copies(lang, tmp_path):
    from crosswire.run.batch.batch import run_batch
    from crosswire.run.batch.output import Manifest
    from crosswire.run.batch.shards import Shard
    from crosswire.store.db import Store

    shards = corpus.build(tmp_path / "in", truncated=False)
    out, db = tmp_path / "out", tmp_path / "b.db"
    first = run_batch([str(shards["a"]), str(shards["b"])], str(out), db=str(db), lang=lang, use_ray=False)
    assert first.finished == 2 and first.articles == 5
    # a killed run leaves shard c half written, with no manifest entry
    c = Shard.of(shards["c"])
    stray = out / "articles" / c.id / "part-stray.parquet"
    stray.parent.mkdir(parents=True)
    pq.write_table(pq.read_table(next((out / "articles").rglob("*.parquet"))), stray)
    assert c.id not in Manifest(out).done()

    again = run_batch([str(tmp_path / "in")], str(out), db=str(db), lang=lang, use_ray=False)
    assert (again.skipped, again.finished, again.unfinished) == (2, 1, [])
    assert not stray.exists()
    ids = pq.read_table(out / "articles").column("id").to_pylist()
    assert len(ids) == len(set(ids)) == 9
    with Store(db) as store:
        assert store.count("articles") == 9
    third = run_batch([str(tmp_path / "in")], str(out), db=str(db), lang=lang, use_ray=False)
    assert (third.skipped, third.finished, third.articles, third.articles_new) == (3, 0, 9, 0)


def test_bad_inputs_are_reported_and_the_job_goes_on(lang, tmp_path):
    from crosswire.run.batch.batch import run_batch

    shards = corpus.build(tmp_path / "in", truncated=False)
    junk = tmp_path / "in" / "broken.warc.gz"
    junk.write_bytes(b"\x1f\x8b\x08\x00 this is no gzip stream at all")
    bad_json = tmp_path / "in" / "lines.jsonl"
    bad_json.write_text('{"text": "A short note about the Aller flood in Lindenfeld and its mayor."}\n{broken\n')
    res = run_batch(
        [str(tmp_path / "in"), str(tmp_path / "missing")],
        str(tmp_path / "out"),
        db=str(tmp_path / "c.db"),
        lang=lang,
        use_ray=False,
    )
    assert res.failed  # a missing input path
    assert res.finished == 5 and res.articles == 10
    assert any(p.path.endswith("missing") for p in res.input_problems)
    assert [p[2] for p in res.problems[str(junk.resolve())]] == ["corrupt"]
    assert any(":2" in p[0] and "malformed JSON" in p[1] for p in res.problems[str(bad_json.resolve())])
    assert [p[2] for p in res.problems[str(shards["a"].resolve())]] == ["non_html"]
