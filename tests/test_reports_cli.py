"""Reports and the store-reading verbs, on the sample articles' dossier."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from crosswire.cli import app
from crosswire.report import write_reports
from crosswire.store.db import Store


def test_reports_are_written_and_self_contained(seed_dossier, tmp_path):
    paths = write_reports(seed_dossier, tmp_path / "out")
    d = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert len(d["articles"]) == 5
    for a in d["articles"]:
        assert a["source"] is None and a["published"] is None  # never invented
        assert all(r["reason"] for r in a["removed"])
    html = paths["html"].read_text(encoding="utf-8")
    # one file that opens offline: no external scripts, styles or images
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<style>" in html and seed_dossier.stories[0].title.split()[0] in html
    md = paths["markdown"].read_text(encoding="utf-8")
    assert md.startswith("# crosswire report")
    assert "### Articles" in md and "unknown (000_" in md.replace("\\_", "_")
    # the JSON file is written as it is encoded (issue 13: memory), and is exactly to_json's text
    assert paths["json"].read_text(encoding="utf-8") == seed_dossier.to_json()


def test_every_dossier_span_is_inside_its_article(seed_dossier):
    texts = {a.id: a.text for a in seed_dossier.articles}
    story = seed_dossier.stories[0]
    spans = [c for s in story.summary for c in s.citations] + [c for t in story.timeline for c in t.citations]
    spans += [m.span for e in story.entities for m in e.mentions] + [c.span for c in story.claims]
    spans += [q.content_span for q in story.quotes]
    assert spans
    for sp in spans:
        assert sp.article in texts and 0 <= sp.start < sp.end <= len(texts[sp.article])
    for e in story.entities:  # a mention's text is exactly what its span covers
        for m in e.mentions:
            assert texts[m.span.article][m.span.start : m.span.end] == m.text


def test_stories_and_show_read_the_store(seed_dossier, tmp_path):
    db = tmp_path / "c.db"
    with Store(db) as s:
        s.save_dossier(seed_dossier)
    runner = CliRunner()
    r = runner.invoke(app, ["stories", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    story = seed_dossier.stories[0]
    assert [row["id"] for row in rows] == [story.id]
    assert sorted(rows[0]["articles"]) == sorted(story.articles) and rows[0]["title"] == story.title
    r = runner.invoke(app, ["show", story.id[:8], "--db", str(db)])
    assert r.exit_code == 0 and story.title in r.output
    r = runner.invoke(app, ["show", "s_nope", "--db", str(db)])
    assert r.exit_code == 2 and "no story" in r.output
    r = runner.invoke(app, ["stories", "--db", str(tmp_path / "missing.db")])
    assert r.exit_code == 2 and "no such store" in r.output
