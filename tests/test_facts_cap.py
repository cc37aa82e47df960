"""The same-fact model's units are bounded: every claim is kept, then each article's first sentences."""

from crosswire.analysis.compare.facts import MAX_UNITS, _capped


def _rows(article: int, kinds: str) -> list[tuple]:
    """One row per letter: "c" a claim (its index), "s" another sentence."""
    return [(f"{article}-{i}", article, i if k == "c" else None) for i, k in enumerate(kinds)]


def test_below_the_cap_nothing_is_left_out():
    story = [_rows(0, "scss"), _rows(1, "scs")]
    assert _capped(story, MAX_UNITS) == story


def test_above_the_cap_claims_stay_and_first_sentences_come_first():
    story = [_rows(0, "sscss"), _rows(1, "csss")]
    kept = _capped(story, 4)
    # the two claims, then the other sentences by their place: 0-0 (first), then 0-1 (second; article 0
    # wins the tie with 1-1); each article in text order
    assert [r[0] for r in kept[0]] == ["0-0", "0-1", "0-2"]
    assert [r[0] for r in kept[1]] == ["1-0"]


def test_claims_are_kept_even_past_the_cap():
    story = [_rows(0, "cc"), _rows(1, "cs")]
    assert [[r[0] for r in rows] for rows in _capped(story, 1)] == [["0-0", "0-1"], ["1-0"]]
