"""Marked-up article text and the time axis: pure functions, no store."""

from __future__ import annotations

from crosswire.model import Span, Story, TimelineEntry
from crosswire.views.story import parse_day, timeline_axis
from crosswire.web.markup import Mark, parse_hl, pieces


def test_pieces_cover_the_text_once_with_overlapping_marks():
    text = "Olaf Scholz said <b>no</b> to Putin."
    marks = [Mark(0, 11, "entity", "Olaf Scholz (PERSON)"), Mark(0, 26, "claim", "claim"), Mark(5, 16, "hl", "cited")]
    ps = pieces(text, marks)
    assert "".join(p.text for p in ps) == text
    by_start = {p.start: p for p in ps}
    assert by_start[0].kinds == ("entity", "claim")
    assert by_start[5].kinds == ("entity", "claim", "hl") and by_start[5].first_hl
    assert by_start[11].kinds == ("claim", "hl") and not by_start[11].first_hl
    assert by_start[16].kinds == ("claim",)
    assert by_start[26].kinds == ()
    assert by_start[0].css == "m-entity m-claim"


def test_parse_hl_accepts_only_spans_inside_the_text():
    assert parse_hl("3-7", 10) == (3, 7)
    for bad in (None, "", "7-3", "3-3", "0-11", "-1-4", "a-b", "5"):
        assert parse_hl(bad, 10) is None, bad


def test_timeline_axis_places_dates_in_order_and_labels_do_not_collide():
    entries = [
        TimelineEntry(f"t{i}", d, "day", False, "x", [Span("a", 0, 1)])
        for i, d in enumerate(["2024-01-01", "2024-01-02", "2024-01-02", "2024-12-31", "2024-W10", "sometime"])
    ]
    axis = timeline_axis(Story("s", "t", timeline=entries))
    xs = {p.date: p.x for p in axis.points}
    assert xs["2024-01-01"] < xs["2024-W10"] < xs["2024-12-31"]
    assert axis.undated == 1
    close = [p for p in axis.points if p.date in ("2024-01-01", "2024-01-02")]
    assert len({p.row for p in close}) == 3, "labels 1-2 days apart go on separate rows"
    assert parse_day("2024-11").isoformat() == "2024-11-01" and parse_day("P2Y") is None
    assert timeline_axis(Story("s", "t")) is None
