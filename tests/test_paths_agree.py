"""analyze, ingest and batch give the same story analysis on one small corpus, in one process or several.

The corpus: the story fixtures (a flood, a chess tournament, a near-copy and an update) as one JSON-lines
shard, so that every path reads the very same records. Compared: each story's whole analysis (members,
title, events, entities, timeline, quotes, claims, groups, conflicts, accounts, summary, coverage) and
the time refs; run timestamps are not part of a story.

Each article has its own publication day and a copy comes after its original. (Where they do not,
the paths may differ by design: `ingest` meets articles one at a time, so a copy that arrives first
is clustered before its canonical is known, and articles of one day are listed in the order they
were stored rather than read.)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import crosswire
from crosswire.store import Store

FIX = Path(__file__).parent / "fixtures" / "stories"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


DAYS = {
    "flood_a": "2024-03-05",
    "flood_b": "2024-03-06",
    "flood_a_copy": "2024-03-07",
    "flood_c": "2024-03-08",
    "flood_a_update": "2024-03-09",
    "chess_a": "2024-05-05",
    "chess_b": "2024-05-06",
    "chess_c": "2024-05-07",
}


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shard = folder / "fixtures.jsonl"
    with open(shard, "w", encoding="utf-8") as fh:
        for f in sorted(FIX.glob("*.txt")):
            title, _, body = f.read_text(encoding="utf-8").partition("\n")
            rec = {
                "text": body.strip(),
                "title": title.strip(),
                "url": f"https://{f.stem}.example/{f.stem}",
                "published": DAYS[f.stem],
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        # a web archive's crawl notice where an article should be: every path leaves it out
        notice = "This page's crawl data, added to the Wayback Machine after an embargo, is not shown here."
        fh.write(json.dumps({"text": notice, "url": "https://archive.example/1", "published": "2024-03-05"}) + "\n")
    return shard


def _stories(stories) -> list[dict]:
    return sorted((s.to_dict() for s in stories), key=lambda d: d["id"])


def _stored(db: Path) -> tuple[list[dict], dict]:
    with Store(db) as s:
        stories = [s.get_story(r["id"]) for r in s.list_stories()]
        refs = {aid: [r.to_dict() for r in s.get_timerefs(aid)] for st in stories for aid in st.articles}
    return _stories(stories), refs


def _refs(dossier) -> dict:
    return {aid: [r.to_dict() for r in refs] for aid, refs in dossier.timerefs.items()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory, lang):
    folder = tmp_path_factory.mktemp("agree")
    shard = _corpus(folder / "in")
    d = crosswire.analyze([str(shard)], lang=lang, now=NOW, workers=1)
    assert len(d.stories) >= 2 and any(a.duplicate_of for a in d.articles)
    assert [(r.path, r.kind) for r in d.rejected] == [(f"{shard}:9", "not_article")]
    return shard, d


def test_ingest_gives_the_analyze_dossier(reference, tmp_path, lang):
    from crosswire.run.ingest import ingest

    shard, d = reference
    db = tmp_path / "ingest.db"
    res = ingest([str(shard)], db=str(db), lang=lang, now=NOW, workers=1)
    assert res.new == len(d.articles)
    stories, refs = _stored(db)
    assert stories == _stories(d.stories)
    assert refs == {aid: r for aid, r in _refs(d).items() if aid in refs}


def test_batch_gives_the_analyze_dossier(reference, tmp_path, lang):
    from crosswire.run.batch.batch import run_batch

    shard, d = reference
    db = tmp_path / "batch.db"
    result = run_batch([str(shard)], str(tmp_path / "out"), db=str(db), lang=lang, use_ray=False, workers=1)
    assert result.error is None and result.articles == len(d.articles), result.describe()
    stories, refs = _stored(db)
    assert stories == _stories(d.stories)
    assert refs == {aid: r for aid, r in _refs(d).items() if aid in refs}


def test_worker_processes_give_the_same_dossier(reference, tmp_path, lang, monkeypatch):
    """Two worker processes (spawned, each with its own models) and the store as shared cache."""
    import crosswire.run.analyze as run_analyze
    from crosswire.run.ingest import ingest

    monkeypatch.setattr(run_analyze, "PARALLEL_MIN_ARTICLES", 0)
    shard, d = reference
    db = tmp_path / "workers.db"
    par = crosswire.analyze([str(shard)], lang=lang, now=NOW, workers=2, db=str(db))
    assert _stories(par.stories) == _stories(d.stories) and _refs(par) == _refs(d)
    res = ingest([str(shard)], db=str(tmp_path / "ingest2.db"), lang=lang, now=NOW, workers=2)
    assert res.new == len(d.articles)
    assert _stored(tmp_path / "ingest2.db")[0] == _stories(d.stories)
