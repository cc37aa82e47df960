"""Quotes on the five sample articles (the session's seed dossier): who said what."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def story_quotes(seed_dossier):
    quotes = [q for s in seed_dossier.stories for q in s.quotes]
    assert quotes, "no quotes in the seed dossier"
    return seed_dossier, quotes


def _with(quotes, words):
    return [q for q in quotes if words in q.content]


def test_spans_cite_the_cleaned_text(story_quotes):
    dossier, quotes = story_quotes
    for q in quotes:
        art = dossier.article(q.content_span.article)
        cited = art.text[q.content_span.start : q.content_span.end]
        for piece in q.content.split(" … "):
            assert piece in cited
        if q.speaker_span:
            assert art.text[q.speaker_span.start : q.speaker_span.end].strip()
        assert art.text[q.cue_span.start : q.cue_span.end] == q.cue


def test_it_was_frustrating_is_scholz_told_rtl(story_quotes):
    _, quotes = story_quotes
    hits = _with(quotes, "It was frustrating")
    assert hits, "the split quote was not found"
    q = hits[0]
    assert "Scholz" in q.speaker
    assert q.cue.startswith("told RTL")
    assert "because he just repeated all his formulas again" in q.content  # both halves, one quote
    assert q.direct
    # nested attribution: the outlet reports what dpa reports Scholz told RTL
    assert any("dpa" in link for link in q.chain[:-1]) and q.chain[-1] == q.speaker


def test_pandoras_box_is_zelenskys_in_two_outlets(story_quotes):
    _, quotes = story_quotes
    hits = [q for q in _with(quotes, "Pandora") if "Zelensky" in q.speaker]
    assert len({q.content_span.article for q in hits}) >= 2


def test_peskov_no_proposals_is_one_quote(story_quotes):
    _, quotes = story_quotes
    hits = _with(quotes, "There were no proposals")
    assert len(hits) == 1
    q = hits[0]
    assert "Peskov" in q.speaker
    assert q.content.startswith('"No.') and "remains open to contact" in q.content
    assert q.direct


def test_kremlin_and_chancellors_office_accounts(story_quotes):
    _, quotes = story_quotes
    kremlin = [q for q in quotes if "kremlin" in q.speaker.lower()]
    assert kremlin, "no quote attributed to the Kremlin"
    office = [q for q in quotes if "office" in q.speaker.lower() and "chancellor" in q.speaker.lower()]
    assert office, "no quote attributed to the chancellor's office"
    assert any("Zelensky" in q.content for q in office)


def test_grouping_merges_speaker_names(story_quotes):
    """'Scholz', 'the chancellor', 'German Chancellor Olaf Scholz' end up as one speaker when resolved."""
    _, quotes = story_quotes
    scholz = {q.speaker for q in quotes if q.speaker_entity and "Scholz" in q.speaker}
    assert len(scholz) == 1


def test_speaker_kinds_on_the_seeds(story_quotes):
    """A resolved speaker is a party; anonymous sources are speakers, never parties."""
    from crosswire.analysis.entities import parties

    _, quotes = story_quotes
    for q in quotes:
        if q.speaker_entity:
            assert q.speaker_kind in parties.PARTY_KINDS, (q.speaker, q.speaker_kind)
    assert _with(quotes, "It was frustrating")[0].speaker_kind == parties.PERSON
    anonymous = [q for q in quotes if q.speaker.lower() in ("government sources", "one insider")]
    assert anonymous and all(q.speaker_kind == parties.ANONYMOUS for q in anonymous)
    assert not any(parties.is_party(q.speaker) for q in anonymous)
