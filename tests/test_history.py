"""A story's history: a version per re-analysis that changed something, merged into "what changed since"."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosswire.cli import app
from crosswire.model import Article, ClaimGroup, Conflict, Story
from crosswire.run.history import compact_state, diff
from crosswire.run.ingest import ingest
from crosswire.store.db import Store
from crosswire.views.changes import changes_since, merge, parse_since

FIX = Path(__file__).parent / "fixtures" / "stories"
DAY1 = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
DAY2 = dt.datetime(2026, 1, 6, 9, tzinfo=dt.UTC)


def _story(groups: dict[str, list[str]], conflicts: list[tuple[str, str, str]], arts: list[str]) -> Story:
    """A story with claim groups (id -> claim ids; outlet = the claim id's first letter) and conflicts."""
    return Story(
        id="s_1",
        title="t",
        articles=arts,
        claim_groups=[
            ClaimGroup(gid, f"label {gid}", "single", claims=c, outlets=sorted({x[0] for x in c}))
            for gid, c in groups.items()
        ],
        conflicts=[Conflict(cid, [g1, g2], "number", f"number: {cid}") for cid, g1, g2 in conflicts],
    )


def test_diff_new_groups_confirmed_groups_and_conflicts():
    arts = {a: Article(id=a, text="x", source=a.upper()) for a in ("a", "b", "c")}
    v1 = _story({"g1": ["a1"], "g2": ["b1"], "g3": ["a2"]}, [("x1", "g1", "g2")], ["a", "b"])
    old = compact_state(v1, arts)
    # the claims regroup (new group ids); c joins g1's claim; a new claim c2; the conflict is gone
    v2 = _story({"h1": ["a1", "c1"], "h2": ["b1"], "h3": ["a2"], "h4": ["c2"]}, [], ["a", "b", "c"])
    ch = diff(old, compact_state(v2, arts), v2, arts)
    assert [a["id"] for a in ch["articles"]] == ["c"] and ch["outlets"] == ["C"]
    assert [g["id"] for g in ch["groups"]] == ["h4"]  # new: no claim in any earlier group
    assert [(g["id"], g["outlets"]) for g in ch["confirmed"]] == [("h1", ["c"])]
    assert [x["id"] for x in ch["resolved"]] == ["x1"] and "conflicts" not in ch
    # the same conflict under a new id (its groups grew) is not new
    v3 = _story({"h1": ["a1", "c1"], "h2": ["b1", "c3"]}, [("x9", "h1", "h2")], ["a", "b", "c"])
    ch3 = diff(old, compact_state(v3, arts), v3, arts)
    assert "conflicts" not in ch3 and "resolved" not in ch3
    assert diff(compact_state(v3, arts), compact_state(v3, arts), v3, arts) == {}


def test_merge_nets_out_what_came_and_went():
    conflict = {"id": "x1", "kind": "number", "what": "number: 1 vs 2", "point": "", "sides": [["a1"], ["b1"]]}
    entries = [
        {
            "version": 3,
            "at": "2026-01-02T00:00:00Z",
            "changes": {
                "articles": [{"id": "a", "outlet": "A"}],
                "conflicts": [conflict],
                "groups": [{"id": "g1", "label": "L", "outlets": ["A"], "claims": ["a1"]}],
            },
        },
        {
            "version": 4,
            "at": "2026-01-03T00:00:00Z",
            "changes": {
                "resolved": [dict(conflict, id="x2")],
                "confirmed": [{"id": "g9", "label": "L2", "outlets": ["B"], "claims": ["a1", "b1"]}],
                "articles_removed": [{"id": "a", "outlet": "A"}, {"id": "z", "outlet": "Z"}],
            },
        },
    ]
    ch = merge("s", "2026-01-01T00:00:00Z", entries)
    assert ch.conflicts == [] and ch.resolved == []  # appeared and went after the time
    assert [(g["label"], g["outlets"]) for g in ch.groups] == [("L2", ["A", "B"])] and ch.confirmed == []
    assert ch.articles == [] and [a["id"] for a in ch.articles_removed] == ["z"]
    assert ch.versions == [3, 4] and ch.latest == "2026-01-03T00:00:00Z"
    only_last = merge("s", "2026-01-02T12:00:00Z", entries[1:])
    assert [x["id"] for x in only_last.resolved] == ["x2"]  # existed before the time: resolved


def test_parse_since():
    now = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)
    assert parse_since("2026-03-02", now) == "2026-03-02T00:00:00Z"
    assert parse_since("2026-03-02T10:30", now) == "2026-03-02T10:30:00Z"
    assert parse_since("2026-03-02T10:30+02:00", now) == "2026-03-02T08:30:00Z"
    assert parse_since("6h", now) == "2026-03-03T06:00:00Z" and parse_since("1d", now) == "2026-03-02T12:00:00Z"
    with pytest.raises(ValueError):
        parse_since("last tuesday", now)


@pytest.fixture(scope="module")
def grown_db(tmp_path_factory, lang):
    """The flood story on two days: the first report, then an updated report (400 -> 450) and another outlet."""
    db = tmp_path_factory.mktemp("history") / "h.db"
    ingest([str(FIX / "flood_a.txt")], db=str(db), source="Celle Post", lang=lang, now=DAY1)
    ingest([str(FIX / "flood_a_update.txt")], db=str(db), source="Celle Post", lang=lang, now=DAY2)
    ingest([str(FIX / "flood_b.txt")], db=str(db), source="Lower Saxony Radio", lang=lang, now=DAY2)
    return db


def test_an_updated_report_changes_a_number(grown_db, lang):
    with Store(grown_db) as s:
        [row] = [r for r in s.list_stories() if "Aller" in r["title"]]
        versions = s.story_changes(row["id"])
        assert [v["at"] for v in versions] == ["2026-01-05T09:00:00Z", "2026-01-06T09:00:00Z", "2026-01-06T09:00:00Z"]
        assert versions[0]["changes"]["opened"] and not versions[1]["changes"]["opened"]
        ch = changes_since(s, row["id"], "2026-01-05T12:00:00Z")
    assert len(ch.articles) == 2 and ch.outlets == ["Lower Saxony Radio"] and not ch.opened
    [v] = [v for v in ch.values if v["kind"] == "number"]
    assert v["how"] == "update" and "400" in v["before"]["values"] and "450" in v["after"]["values"]
    assert v["before"]["outlet"] == v["after"]["outlet"] == "Celle Post"
    # nothing new: another ingest of the same files records no version
    ingest([str(FIX / "flood_a.txt")], db=str(grown_db), source="Celle Post", lang=lang, now=DAY2)
    with Store(grown_db) as s:
        assert len(s.story_changes(row["id"])) == 3


def test_show_since_prints_the_changes(grown_db):
    with Store(grown_db) as s:
        [sid] = [r["id"] for r in s.list_stories() if "Aller" in r["title"]]
    runner = CliRunner()
    res = runner.invoke(app, ["show", sid[:8], "--db", str(grown_db), "--since", "2026-01-05T12:00"])
    assert res.exit_code == 0, res.output
    assert "number changed (400 → 450)" in res.output and "Lower Saxony Radio" in res.output
    res = runner.invoke(app, ["show", sid, "--db", str(grown_db), "--since", "2026-01-07", "--json"])
    doc = json.loads(res.output)
    assert doc["versions"] == [] and doc["headline"] == "no changes"
    res = runner.invoke(app, ["show", sid, "--db", str(grown_db), "--since", "someday"])
    assert res.exit_code == 2 and "not a time" in res.output
