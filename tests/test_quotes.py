"""Unit tests for quotes: quotation marks, the tagger on small sentences, speakers, the bench scorer."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswire.analysis.quotes import extract_attributions
from crosswire.analysis.quotes.marks import quote_regions
from crosswire.bench.polnear import parse_ann
from crosswire.bench.quotes import Scorer, rule_baseline

FIX = Path(__file__).resolve().parent / "fixtures" / "quotes"


def _quoted(text: str) -> list[str]:
    return [text[s:e] for s, e in quote_regions(text)]


def test_quote_regions_straight_curly_and_split():
    text = '"It was frustrating," Scholz told RTL, "because he repeated himself."'
    assert _quoted(text) == ['"It was frustrating,"', '"because he repeated himself."']
    assert _quoted("He called it a “Pandora’s box” of troubles.") == ["“Pandora’s box”"]


def test_quote_regions_multi_paragraph_quote_is_one():
    text = (FIX / "curly_multipara.txt").read_text(encoding="utf-8")
    regions = _quoted(text)
    assert len(regions) == 1
    assert regions[0].startswith("“We will not give up.") and regions[0].endswith("we will win,”")


def test_quote_regions_unclosed_quote_stops_at_line_end():
    text = 'He said "this never closes\nNext line is plain.'
    assert _quoted(text) == ['"this never closes']


@pytest.fixture(scope="module")
def fixture_attrs(lang):
    text = (FIX / "sentences.txt").read_text(encoding="utf-8")
    doc = lang.parse(text)
    return text, extract_attributions(doc)


def _find(text, attrs, cue_word):
    for a in attrs:
        if a.cue and cue_word in text[a.cue[0] : a.cue[1]]:
            return a
    raise AssertionError(f"no attribution with cue {cue_word!r}: {[text[a.cue[0] : a.cue[1]] for a in attrs if a.cue]}")


def test_split_quote_is_one_attribution(fixture_attrs):
    text, attrs = fixture_attrs
    a = _find(text, attrs, "told")
    assert a.text(text, "source") == "Scholz"
    assert len(a.content_parts) == 2
    assert text[a.content_parts[0][0] : a.content_parts[0][1]].startswith('"It was frustrating')
    assert text[a.content_parts[1][0] : a.content_parts[1][1]].startswith('"because')
    assert a.direct


def test_multi_sentence_quote_closed_at_end(fixture_attrs):
    text, attrs = fixture_attrs
    a = _find(text, attrs, "claimed")
    assert a.text(text, "source") == "Peskov"
    content = a.text(text, "content")
    assert content.startswith('"No.') and content.endswith('contact,"')


def test_reported_speech_and_according_to(fixture_attrs):
    text, attrs = fixture_attrs
    a = _find(text, attrs, "said")
    assert a.text(text, "source") == "The minister"
    assert "talks would resume" in a.text(text, "content")
    assert not a.direct
    b = _find(text, attrs, "According")
    assert b.text(text, "source") == "the Kremlin"
    c = _find(text, attrs, "wrote")
    assert c.text(text, "source") == "Merkel"


def test_extract_attributions_spans_index_the_text(fixture_attrs):
    text, attrs = fixture_attrs
    assert attrs
    for a in attrs:
        for span in (a.source, a.cue, a.content):
            if span:
                assert 0 <= span[0] < span[1] <= len(text)
                assert text[span[0] : span[1]].strip() == text[span[0] : span[1]]


def test_parse_ann_merges_whitespace_fragments_and_links():
    text = "Smith said it\n\nwould rain."
    ann = (
        "T1\tSource 0 5\tSmith\nT2\tCue 6 10\tsaid\nT3\tContent 11 13;15 25\tit would rain\n"
        "T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    )
    attrs, by_role = parse_ann(ann, text)
    assert attrs[0].content == ((11, 25),)
    assert attrs[0].source == ((0, 5),)
    assert by_role["cue"] == {((6, 10),)}


def test_scorer_exact_and_overlap():
    sc = Scorer()
    gold = {"source": {(0, 5)}, "cue": {(6, 10)}, "content": {(11, 25)}}
    pred = {"source": {(0, 5)}, "cue": {(6, 11)}, "content": set()}
    sc.add(pred, gold, 1.0)
    r = sc.result()
    assert r["source_f1"] == 1.0 and r["cue_f1"] == 0.0 and r["cue_overlap_f1"] == 1.0
    assert r["content_f1"] == 0.0 and r["content_overlap_r"] == 0.0


def test_rule_baseline_finds_plain_said():
    text = 'Jones said that taxes will rise. "We are ready," Smith said.'
    out = rule_baseline(text)
    assert (0, 5) in out["source"]
    assert any(text[s:e] == '"We are ready,"' for s, e in out["content"])


def test_odd_inputs_do_not_break(lang):
    for text in ["", "  \n\n ", '"', "“never closed", "He said."]:
        for a in extract_attributions(text, lang=lang):
            for span in (a.source, a.cue, a.content):
                assert span is None or 0 <= span[0] < span[1] <= len(text)


def test_quote_carried_over_to_the_next_paragraph(lang):
    text = (
        "“I am the son of an immigrant,” Cruz said.\n\n“And I would note, try going to Mexico.”\n\nThe debate went on."
    )
    attrs = [a for a in extract_attributions(lang.parse(text)) if a.cue and a.content]
    a = next(a for a in attrs if text[a.cue[0] : a.cue[1]] == "said")
    assert text[a.content[0] : a.content[1]].startswith("“I am the son")
    assert text[a.content[0] : a.content[1]].endswith("going to Mexico.”")
    assert len(a.content_parts) == 2
