"""Near-duplicate grouping on hand-written fixtures (tests/fixtures/stories)."""

from __future__ import annotations

from pathlib import Path

from crosswire.group.dedup import DuplicateIndex, is_copy, mark_duplicates, shingles
from crosswire.model import Article

FIX = Path(__file__).parent / "fixtures" / "stories"


def art(name: str, published: str | None = None) -> Article:
    text = (FIX / f"{name}.txt").read_text(encoding="utf-8")
    return Article(id=name, text=text, published=published, source=name.split("_")[0])


def test_copies_and_updates_grouped_unrelated_left_alone():
    arts = [art("flood_a"), art("flood_a_copy"), art("flood_a_update"), art("flood_b"), art("chess_a")]
    mark_duplicates(arts)
    dup = {a.id: a.duplicate_of for a in arts}
    # the longest of the undated group is canonical (the update adds a sentence)
    assert dup["flood_a_update"] is None
    assert dup["flood_a"] == "flood_a_update"
    assert dup["flood_a_copy"] == "flood_a_update"
    # same story, own wording: not a copy
    assert dup["flood_b"] is None and dup["chess_a"] is None


def test_canonical_is_earliest_published():
    arts = [art("flood_a", "2024-03-05"), art("flood_a_copy", "2024-03-04"), art("flood_a_update", "2024-03-06")]
    mark_duplicates(arts)
    assert [a.duplicate_of for a in arts] == ["flood_a_copy", None, "flood_a_copy"]


def test_incremental_index_against_stored_articles():
    index = DuplicateIndex()
    first = [art("flood_a", "2024-03-05"), art("chess_a")]
    mark_duplicates(first, index)
    assert all(a.duplicate_of is None for a in first)
    known = {a.id: a for a in first}
    # a later copy points at the stored canonical; nothing stored changes
    later = art("flood_a_copy", "2024-03-06")
    changed = mark_duplicates([later], index)
    assert later.duplicate_of == "flood_a" and [a.id for a in changed] == ["flood_a_copy"]
    # an earlier-published copy takes over as canonical: the stored one is updated too
    earlier = art("flood_a_update", "2024-03-01")
    changed = mark_duplicates([earlier], index)
    assert earlier.duplicate_of is None
    assert known["flood_a"].duplicate_of == "flood_a_update" and later.duplicate_of == "flood_a_update"
    assert {a.id for a in changed} == {"flood_a", "flood_a_copy"}


def test_short_and_empty_texts():
    assert shingles("") == set()
    assert not is_copy(set(), {"a"})
    a, b = Article(id="x", text="Short note."), Article(id="y", text="Short note.")
    mark_duplicates([a, b])
    assert b.duplicate_of == "x" or a.duplicate_of == "y"
