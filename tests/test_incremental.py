"""`crosswire ingest`: re-ingest changes nothing, ids stay stable, a killed run finishes cleanly."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crosswire.run.ingest import PENDING, ingest
from crosswire.store.db import Store

FIX = Path(__file__).parent / "fixtures" / "stories"
TABLES = ("articles", "story_articles", "cluster_centroids", "cluster_df", "article_vectors", "state")


def structure(db: Path) -> dict:
    """What a run leaves behind, minus timestamps: stories with members, titles, topics, events; copies."""
    with Store(db) as s:
        arts = s.articles()
        name = {a.id: Path(a.path or a.id).stem for a in arts}
        stories = {}
        for row in s.list_stories():
            st = s.get_story(row["id"])
            stories[st.id] = (
                sorted(name[x] for x in st.articles),
                st.title,
                st.topic,
                [(sorted(name[x] for x in e.articles), e.start, e.end, e.title) for e in st.events],
            )
        copies = {name[a.id]: a.duplicate_of and name[a.duplicate_of] for a in arts}
        return {
            "stories": stories,
            "copies": copies,
            "pending": s.get_state(PENDING, []),
            "vectors": s.conn.execute("SELECT count(*) FROM article_vectors").fetchone()[0],
        }


def snapshot(db: Path) -> dict:
    c = sqlite3.connect(db)
    snap = {t: sorted(map(tuple, c.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}
    snap["stories"] = sorted(c.execute("SELECT id, title, topic, size, data, updated FROM stories").fetchall())
    c.close()
    return snap


@pytest.fixture(scope="module")
def clean_db(tmp_path_factory, lang):
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    res = ingest([str(FIX)], db=str(db), lang=lang)
    assert res.new == 8 and not res.rejected and res.analysed == len(set(res.stories_touched))
    return db


def test_clean_run_groups_fixtures(clean_db):
    st = structure(clean_db)
    groups = sorted(v[0] for v in st["stories"].values())
    assert len(groups) == 2 and st["pending"] == []
    flood = next(g for g in groups if any("flood" in x for x in g))
    assert len(flood) == 5  # three reports, one syndicated copy, one updated re-post
    assert sum(1 for d in st["copies"].values() if d) == 2 and st["vectors"] == 8


def test_reingest_changes_nothing(clean_db, tmp_path, lang):
    db = tmp_path / "again.db"
    shutil.copy(clean_db, db)
    before = snapshot(db)
    res = ingest([str(FIX)], db=str(db), lang=lang)
    assert res.new == 0 and res.already == 8 and res.analysed == 0
    assert snapshot(db) == before


def test_story_ids_stable_as_articles_arrive(clean_db, tmp_path, lang):
    db = tmp_path / "grow.db"
    first = ingest([str(FIX / "flood_a.txt"), str(FIX / "chess_a.txt")], db=str(db), lang=lang)
    early = structure(db)["stories"]
    assert len(early) == 2 and len(first.stories_new) == 2
    ingest([str(FIX)], db=str(db), lang=lang)
    later = structure(db)["stories"]
    for sid, (members, *_rest) in early.items():
        assert sid in later and set(members) <= set(later[sid][0])
    # and the grown store holds the same stories as the clean single run
    assert {k: v[0] for k, v in later.items()} == {k: v[0] for k, v in structure(clean_db)["stories"].items()}


def test_killed_ingest_finishes_on_rerun(clean_db, tmp_path, lang):
    db = tmp_path / "killed.db"
    env = dict(os.environ, CROSSWIRE_INGEST_DELAY="1.5", PYTHONWARNINGS="ignore")
    proc = subprocess.Popen(
        [sys.executable, "-m", "crosswire.cli", "ingest", str(FIX), "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    committed = 0
    try:
        deadline = time.time() + 240
        while time.time() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                    committed = c.execute("SELECT count(*) FROM articles").fetchone()[0]
                    c.close()
                except sqlite3.Error:
                    committed = 0
            if committed >= 3:
                break
            time.sleep(0.2)
        assert proc.poll() is None, "ingest ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    mid = structure(db)
    assert 3 <= len(mid["copies"]) < 8  # killed in the middle
    # every committed article has its story and vector; no story lists an article that is not stored
    members = {a for v in mid["stories"].values() for a in v[0]}
    assert members == set(mid["copies"]) and mid["vectors"] == len(mid["copies"])
    assert mid["pending"]  # its stories still wait for analysis

    res = ingest([str(FIX)], db=str(db), lang=lang)
    assert res.already == len(mid["copies"]) and res.new == 8 - len(mid["copies"])
    assert structure(db) == structure(clean_db)


def test_bad_inputs_are_reported_and_the_rest_goes_on(tmp_path, lang):
    db = tmp_path / "bad.db"
    res = ingest([str(tmp_path / "missing.txt"), str(FIX / "chess_a.txt")], db=str(db), lang=lang)
    assert res.new == 1 and len(res.rejected) == 1 and "missing.txt" in res.rejected[0].path
    assert "rejected: 1" in res.describe()


def test_ingest_into_store_written_by_analyze(tmp_path, lang):
    import crosswire

    db = tmp_path / "analyzed.db"
    first = [str(FIX / "flood_a.txt"), str(FIX / "flood_b.txt"), str(FIX / "chess_a.txt")]
    d = crosswire.analyze(first, lang=lang)
    with Store(db) as s:
        s.save_dossier(d)
    before = {st.id: set(st.articles) for st in d.stories}
    res = ingest([str(FIX)], db=str(db), lang=lang)
    assert res.new == 5 and not res.rejected
    after = structure(db)
    # the stories analyze made keep their ids and grow; nothing is left pending
    assert set(before) <= set(after["stories"]) and after["pending"] == []
    assert {k: v[0] for k, v in after["stories"].items()} == {
        k: v[0] for k, v in structure_of_clean(tmp_path, lang)["stories"].items()
    }


def structure_of_clean(tmp_path, lang) -> dict:
    db = tmp_path / "reference.db"
    ingest([str(FIX)], db=str(db), lang=lang)
    return structure(db)
