"""Marked-up article text and the timeline chart: pure functions, no store."""

from __future__ import annotations

from crosswire.model import Span, TimelineEntry
from crosswire.views.markup import Mark, parse_hl, pieces
from crosswire.views.timeline import parse_day, timeline_chart


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


def _entries(dates):
    return [TimelineEntry(f"t{i}", d, "day", False, "x", [Span("a", 0, 1)]) for i, d in enumerate(dates)]


def test_timeline_chart_zooms_to_the_dense_range_and_lists_outliers_apart():
    dates = ["2011-03-04", "2024-10-13", "2024-10-14", "2024-10-14", "2024-10-15", "2024-10-16", "2024-10-17", "2030"]
    chart = timeline_chart(_entries(dates + ["sometime"]))
    assert chart.unit == "day" and chart.first.isoformat() <= "2024-10-13" and chart.last.isoformat() >= "2024-10-17"
    assert (chart.last - chart.first).days < 20, "one background date must not stretch the axis over years"
    assert chart.earlier == [1] and chart.later == [8] and chart.undated == 1
    assert sum(b.count for b in chart.bins) == 6
    assert chart.busiest.label == "14 Oct" and chart.busiest.h == max(b.h for b in chart.bins)
    xs = [b.x for b in chart.bins]
    assert xs == sorted(xs) and xs[0] == 0 and abs(chart.bins[-1].x + chart.bins[-1].w - 100) < 0.01
    assert 2 <= len(chart.ticks) <= 5 and chart.ticks[0].anchor == "start" and chart.ticks[-1].anchor == "end"
    assert "from 13 Oct 2024" in chart.caption or "from 1" in chart.caption


def test_timeline_chart_bins_by_week_or_month_over_long_ranges():
    weekly = timeline_chart(_entries([f"2024-{m:02d}-10" for m in range(1, 6)]))
    assert weekly.unit == "week" and weekly.earlier == [] and weekly.later == []
    monthly = timeline_chart(_entries([f"{y}-06-01" for y in range(2015, 2025)]))
    assert monthly.unit == "month" and len(monthly.bins) > 12
    one = timeline_chart(_entries(["2024-10-14"]))
    assert len(one.bins) == 7 and [b.count for b in one.bins].count(1) == 1
    assert timeline_chart(_entries(["sometime"])) is None and timeline_chart([]) is None
    assert parse_day("2024-11").isoformat() == "2024-11-01" and parse_day("P2Y") is None
    assert parse_day("2024-W10").isoformat() == "2024-03-04"
