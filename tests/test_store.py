"""The store: id prefixes (unique, ambiguous, LIKE wildcards taken literally) and all SQL in store/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from crosswire.errors import AmbiguousIdError
from crosswire.model import Story
from crosswire.store import Store

SRC = Path(__file__).resolve().parent.parent / "src" / "crosswire"
IDS = ("s_abc1", "s_abc2", "s_zzz9", "a_1", "ab1")


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "ids.db"
    with Store(path) as store:
        for sid in IDS:
            store.put_story(Story(id=sid, title=f"story {sid}", articles=[]))
    return path


def test_unique_prefix_finds_the_story_and_ambiguous_one_names_candidates(db):
    with Store(db) as store:
        assert store.get_story("s_abc1").id == "s_abc1"
        assert store.get_story("s_z").id == "s_zzz9"
        with pytest.raises(AmbiguousIdError) as err:
            store.get_story("s_abc")
        assert err.value.candidates == ["s_abc1", "s_abc2"] and "s_abc1, s_abc2" in str(err.value)
        with pytest.raises(AmbiguousIdError):
            store.get_story("s_")
        assert store.get_story("nothing") is None


def test_like_wildcards_in_a_prefix_are_literal(db):
    with Store(db) as store:
        assert store.get_story("%") is None and store.get_story("%abc") is None
        # "_" is one character in LIKE: unescaped, "a_" would also match "ab1" and be ambiguous
        assert store.get_story("a_").id == "a_1"
        assert store.get_story("s%") is None and store.get_story("\\") is None


def test_cli_show_with_an_ambiguous_prefix_exits_2_naming_the_stories(db):
    from crosswire.cli import app

    r = CliRunner().invoke(app, ["show", "s_", "--db", str(db)])
    assert r.exit_code == 2
    assert all(sid in r.output for sid in ("s_abc1", "s_abc2", "s_zzz9")) and "more than one story" in r.output
    r = CliRunner().invoke(app, ["show", "%", "--db", str(db)])
    assert r.exit_code == 2 and "no story" in r.output
    r = CliRunner().invoke(app, ["show", "s_z", "--db", str(db), "--json"])
    assert r.exit_code == 0 and '"s_zzz9"' in r.output


def test_web_story_by_wildcard_or_ambiguous_prefix(db):
    from crosswire.web.app import create_app

    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as client:
        assert client.get("/api/stories/%25").status_code == 404
        assert client.get("/api/stories/s%25").status_code == 404
        r = client.get("/api/stories/s_abc")
        assert r.status_code == 409 and "s_abc1" in r.json()["detail"] and "s_abc2" in r.json()["detail"]
        assert client.get("/api/stories/s_abc2").json()["story"]["id"] == "s_abc2"


def test_no_module_outside_the_store_runs_sql():
    sql = re.compile(r"\.execute(many|script)?\(|sqlite3\.connect|\.conn\b")
    offenders = [
        f"{p.relative_to(SRC)}:{n}"
        for p in SRC.rglob("*.py")
        if "store" not in p.relative_to(SRC).parts[:1]
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if sql.search(line)
    ]
    assert offenders == []
