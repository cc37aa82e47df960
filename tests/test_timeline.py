"""The story timeline (seeds) and the timeline benchmark's metrics."""

from __future__ import annotations

import datetime

import pytest

from crosswire.bench.timeline import align_rouge, date_prf, detok, sentence_spans


def seed_timeline(seed_dossier):
    return [t for s in seed_dossier.stories for t in s.timeline]


def test_seed_timeline_has_the_expected_happenings(seed_dossier):
    tl = seed_timeline(seed_dossier)
    dates = {t.date for t in tl}
    for d in ("2022-12-02", "2024-10-01", "2024-10-11", "2024-10-13", "2024-11-15"):
        assert d in dates, f"missing {d}: {sorted(dates)}"
    call = [t for t in tl if t.date == "2024-11-15"]
    assert max(len({c.article for c in t.citations}) for t in call) >= 3  # told by several sources
    assert all(t.inferred for t in call)  # the year comes from inference, not from a date line
    dec = next(t for t in tl if t.date == "2022-12-02")
    assert not dec.inferred and "December 2, 2022" in dec.text
    zeit = next(t for t in tl if t.date == "2024-10-01")
    assert "Zeit" in zeit.text


def test_seed_timeline_is_ordered_and_cited(seed_dossier):
    texts = {a.id: a.text for a in seed_dossier.articles}
    for story in seed_dossier.stories:
        keys = [tuple(int(p) for p in t.date.split("-")) for t in story.timeline]
        assert keys == sorted(keys)
        for t in story.timeline:
            assert t.precision in ("day", "month", "year") and t.citations
            for c in t.citations:
                assert 0 <= c.start < c.end <= len(texts[c.article])


def test_date_f1_and_aligned_rouge():
    ref = {"2010-04-20": "rig explodes in the gulf", "2010-04-22": "rig sinks"}
    assert date_prf(["2010-04-20", "2010-05-01"], list(ref)) == (0.5, 0.5, 0.5)
    p, r, f = align_rouge({"2010-04-20": "rig explodes in the gulf", "2010-04-22": "rig sinks"}, ref, 1)
    assert (p, r, f) == (1.0, 1.0, 1.0)
    # a day off: the same words count with weight 1/2
    p, r, f = align_rouge({"2010-04-21": "rig sinks"}, ref, 1)
    assert p == pytest.approx(0.5) and r == pytest.approx(1 / 7)
    assert align_rouge({"2010-04-20": "nothing alike"}, ref, 2)[2] == 0.0


def test_detok_and_sentences():
    t = detok("BP -LRB- London -RRB- said it 's sorry . `` We will pay , '' he said . Shares fell 3 % .")
    assert t == 'BP (London) said it\'s sorry. "We will pay," he said. Shares fell 3%.'
    spans = sentence_spans(t)
    assert [t[s:e] for s, e in spans] == ["BP (London) said it's sorry.", '"We will pay," he said.', "Shares fell 3%."]


def test_bench_timeline_smoke():
    from conftest import bench_path
    from crosswire.bench.timeline import run

    result = run(str(bench_path("timeline", "t17")), limit=6)
    for key in ("date_f1", "ar1_f1", "ar2_f1", "baseline"):
        assert key in result
    assert result["timelines"] >= 1 and 0 <= result["date_f1"] <= 1
    assert set(result["baseline"]) >= {"date_f1", "ar1_f1", "ar2_f1"}


def test_component_groups_sources_and_skips_datelines(lang):
    import json
    from pathlib import Path

    from crosswire.analysis import dates as time_component
    from crosswire.analysis import timeline
    from crosswire.analysis.context import StoryContext
    from crosswire.model import Article, Story
    from crosswire.settings import Settings

    rows = json.loads((Path(__file__).parent / "fixtures" / "timeline" / "story.json").read_text())
    arts = [Article(**r) for r in rows]
    ctx = StoryContext(
        story=Story(id="s_tl", title="rig"),
        articles=arts,
        lang=lang,
        settings=Settings(),
        today=datetime.date(2025, 1, 1),
    )
    time_component.run(ctx)
    timeline.run(ctx)
    tl = ctx.story.timeline
    by_date = {}
    for t in tl:
        by_date.setdefault(t.date, []).append(t)
    assert list(by_date) == sorted(by_date)
    # the explosion (Tuesday night = April 20, and "April 20") told by both sources: one entry
    blast = by_date["2010-04-20"]
    assert len(blast) == 1 and {c.article for c in blast[0].citations} == {"t1", "t2"}
    # the sinking on Thursday = April 22 in both articles
    assert {c.article for t in by_date["2010-04-22"] for c in t.citations} == {"t1", "t2"}
    assert not any("Reuters" in t.text or t.text.startswith("Photo") for t in tl)
    assert "2010-04-21" not in by_date  # a photo caption is not a happening
    assert not any(t.inferred for t in tl)  # every date resolved against a real publication date
