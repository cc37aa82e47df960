"""Two writers on one store (issue 15, item 1): real processes, compared with running them one after the other;
`crosswire check` finds what concurrent writers used to leave behind, and `--repair` rebuilds it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosswire.cli import app as cli_app
from crosswire.run.check import check, repair
from crosswire.run.ingest import ingest
from crosswire.store import Store

HERE = Path(__file__).resolve().parent
STORIES = HERE / "fixtures" / "stories"
# two halves that share stories: B's articles (copies among them) join the stories A opened
HALF_A = {"flood_a", "flood_b", "chess_a"}


def halves(root: Path) -> tuple[Path, Path]:
    a, b = root / "A", root / "B"
    a.mkdir()
    b.mkdir()
    for src in STORIES.glob("*.txt"):
        shutil.copy(src, (a if src.stem in HALF_A else b) / src.name)
    return a, b


def state(db: Path) -> dict:
    """Everything a run decides (not timestamps, not float sums): stories with their members, titles, topics
    and events; copies; the clusterer's counts, document frequencies, centroid sizes and placements."""
    with Store(db) as s:
        name = {a.id: Path(a.path or a.id).name for a in s.articles()}
        stories = {}
        for sid in s.story_ids():
            st = s.get_story(sid, prefix=False)
            stories[sid] = (sorted(name[x] for x in st.articles), st.title, st.topic, len(st.events))
        header = s.cluster_header() or {}
        pending = s.pending_stories()
    c = sqlite3.connect(db)
    out = {
        "stories": stories,
        "copies": sorted((name[i], d and name[d]) for i, d in c.execute("SELECT id, duplicate_of FROM articles")),
        "n_docs": header.get("n_docs"),
        "df": sorted(c.execute("SELECT kind, term, df FROM cluster_df").fetchall()),
        "centroids": sorted(c.execute("SELECT id, json_extract(data, '$.count') FROM cluster_centroids").fetchall()),
        "placed": sorted(
            (name[a], sid, seq, k)
            for a, sid, seq, k in c.execute("SELECT article_id, story_id, seq, clustered FROM article_vectors")
        ),
        "pending": pending,
    }
    c.close()
    return out


def cli_ingest(path: Path, db: Path, delay: float = 0.0) -> subprocess.Popen:
    env = dict(os.environ, PYTHONWARNINGS="ignore", CROSSWIRE_PROGRESS="0")
    if delay:
        env["CROSSWIRE_INGEST_DELAY"] = str(delay)
    return subprocess.Popen(
        [sys.executable, "-m", "crosswire.cli", "ingest", str(path), "--db", str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_writer(db: Path, proc: subprocess.Popen, timeout: float = 240) -> None:
    """Until ``proc`` holds the store's writer lock (its pid is in the lock file)."""
    lock = Path(f"{db}.lock")
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, proc.communicate()
        if lock.exists() and f"pid {proc.pid} " in lock.read_text():
            return
        time.sleep(0.1)
    raise AssertionError("the first ingest never took the writer lock")


@pytest.fixture(scope="module")
def sequential(tmp_path_factory, lang):
    root = tmp_path_factory.mktemp("seq")
    a, b = halves(root)
    db = root / "seq.db"
    ingest([str(a)], db=str(db), lang=lang)
    ingest([str(b)], db=str(db), lang=lang)
    return root, state(db)


@pytest.mark.slow  # three model loads in fresh processes: minutes on a busy two-core machine
def test_two_concurrent_ingests_end_as_if_run_one_after_the_other(sequential, tmp_path):
    root, want = sequential
    a, b = root / "A", root / "B"
    db = tmp_path / "c.db"
    first = cli_ingest(a, db, delay=0.3)  # slowed down: the second starts while it is writing
    wait_for_writer(db, first)
    second = cli_ingest(b, db)
    out1, err1 = first.communicate(timeout=600)
    out2, err2 = second.communicate(timeout=600)
    assert first.returncode == 0 and second.returncode == 0, (err1, err2)
    assert "waiting: another crosswire process is writing" in err2  # it waited, and said so
    got = state(db)
    assert got == want
    assert check_store(db).ok


@pytest.mark.slow
def test_the_same_file_ingested_twice_at_once_counts_once(sequential, tmp_path, lang):
    root, _ = sequential
    db = tmp_path / "twice.db"
    procs = [cli_ingest(root / "A", db, delay=0.1), cli_ingest(root / "A", db)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sorted("new: 0;" in o for o, _ in outs) == [False, True]  # one stored them, the other found them stored
    ref = tmp_path / "once.db"
    ingest([str(root / "A")], db=str(ref), lang=lang)
    assert state(db) == state(ref)


def check_store(db: Path):
    with Store(db) as s:
        return check(s)


def test_check_finds_what_two_writers_left_and_repair_rebuilds_it(sequential, tmp_path, lang):
    root, want = sequential
    db = tmp_path / "broken.db"
    ingest([str(root / "A")], db=str(db), lang=lang)
    ingest([str(root / "B")], db=str(db), lang=lang)
    assert check_store(db).ok
    # what the stale-state race wrote: members dropped from a story, a story with none, counts doubled
    c = sqlite3.connect(db)
    victim = c.execute("SELECT story_id FROM story_articles GROUP BY story_id ORDER BY count(*) DESC").fetchone()[0]
    c.execute("DELETE FROM story_articles WHERE story_id=?", (victim,))
    c.execute("UPDATE cluster_df SET df = df * 2 WHERE rowid % 3 = 0")
    c.commit()
    c.close()
    report = check_store(db)
    text = report.describe()
    assert not report.ok
    assert "belong to no story" in text and f"have no articles: {victim}" in text
    assert "term-count drift" in text and "document frequency" in text
    r = CliRunner().invoke(cli_app, ["check", "--db", str(db)])
    assert r.exit_code == 1 and "belong to no story" in r.output

    done = repair(str(db), lang=lang)
    assert done.read == 8 and check_store(db).ok
    assert state(db) == want  # the same store as the clean run
    # (the stories' own member lists were intact, so their analyses still hold: nothing is analysed again)
    assert done.analysed == 0


def test_check_of_a_missing_store(tmp_path):
    r = CliRunner().invoke(cli_app, ["check", "--db", str(tmp_path / "no")])
    assert r.exit_code == 2 and "no such store" in r.output
