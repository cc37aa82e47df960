"""The neural quote tagger (analysis/quotes/neural.py): windows, decoding, and the shipped int8 model."""

from __future__ import annotations

import numpy as np
import pytest

from crosswire.analysis.quotes import neural
from crosswire.errors import ModelError

TEXT = (
    '"It was frustrating," Scholz told RTL, "because he just repeated all his formulas again."\n\n'
    "The minister said that the talks would resume next week.\n\n"
    "After the meeting, Merkel wrote on the social network X that she was disappointed."
)


@pytest.fixture(scope="module")
def tagger():
    return neural.NeuralTagger()


def test_windows_cover_every_token_once_in_order(lang, tagger):
    long_sentence = "Officials said " + ", ".join(f"item {k}" for k in range(400)) + "."
    doc = lang.parse(TEXT + "\n\n" + long_sentence)
    wins = neural.windows(doc, tagger.pieces, max_len=64)
    assert len(wins) > 3  # the 400-item sentence is cut across windows
    seen = [i for w in wins for i in w.tokens]
    assert seen == [t.i for t in doc if not t.is_space]
    for w in wins:
        assert len(w.ids) <= 64
        assert w.ids[0] == tagger.pieces.cls and w.ids[-1] == tagger.pieces.sep
        assert all(w.ids[p] not in (tagger.pieces.cls, tagger.pieces.sep) for p in w.positions)
    # a paragraph break inside a window is a [SEP] between the paragraphs
    first = neural.windows(lang.parse(TEXT), tagger.pieces, max_len=256)
    assert len(first) == 1 and first[0].ids[1:-1].count(tagger.pieces.sep) == 2


def test_viterbi_never_starts_inside_and_keeps_spans_whole():
    o, b, i = np.log([0.8, 0.1, 0.1]), np.log([0.1, 0.8, 0.1]), np.log([0.1, 0.1, 0.8])
    inside_first = np.log([0.3, 0.3, 0.4])
    path = neural.viterbi(np.stack([inside_first, i, o, b, i, i, o]))
    assert path[0] == 1 and path[1] == 2  # "I" first is read as the start of a span
    assert neural.spans_of(path, [3, 4, 5, 7, 8, 9, 10]) == [(3, 5), (7, 10)]
    assert neural.viterbi(np.zeros((0, 3))) == []


def test_decode_bias_shifts_one_role_only():
    # a content that the model breaks in two ("B" again in the middle) is one span once B is made dearer;
    # the other roles decode as before
    win = neural.Window(ids=[0] * 6, positions=[1, 2, 3, 4], tokens=[10, 11, 12, 13])
    o, b, i = np.log([0.8, 0.1, 0.1]), np.log([0.1, 0.8, 0.1]), np.log([0.1, 0.1, 0.8])
    weak_b = np.log([0.05, 0.5, 0.45])
    rows = np.zeros((6, 9))
    for p, content in zip([1, 2, 3, 4], [b, i, weak_b, i]):
        rows[p] = np.concatenate([o, o, content])
    plain = neural.decode(win, rows)
    assert plain["content"] == [(10, 12), (12, 14)]
    shifted = neural.decode(win, rows, {"content": (0.0, -0.5, 0.0)})
    assert shifted["content"] == [(10, 14)]
    assert shifted["source"] == plain["source"] == [] and shifted["cue"] == plain["cue"] == []


def test_shipped_tagger_decodes_with_the_priors_chosen_on_held_out_train(tagger):
    assert set(tagger.bias) <= set(neural.ROLES)
    chosen = tagger.meta["decode_bias_from"]
    assert chosen["heldout_articles"] > 0 and chosen["design_model_train_articles"] > 0
    best = max(chosen["grid"], key=lambda g: g["content_f1"])
    assert list(tagger.bias["content"][:2]) == [best["content_o"], best["content_b"]]


def test_tagger_finds_source_cue_and_content(lang, tagger):
    doc = lang.parse(TEXT)
    tagged = tagger.tag(doc)
    words = {role: [doc[s:e].text for s, e in spans] for role, spans in tagged.items()}
    assert "Scholz" in words["source"] and "Merkel" in words["source"]
    assert any("minister" in w for w in words["source"])
    assert "told" in words["cue"] and "said" in words["cue"] and any(w.startswith("wrote") for w in words["cue"])
    assert any("talks would resume next week" in c for c in words["content"])
    assert any(c.startswith('"It was frustrating') for c in words["content"])
    assert not any(c.startswith("After the meeting") for c in words["content"])


def test_batched_tagging_matches_one_by_one(lang, tagger):
    """Dynamic int8 quantisation scales activations per batch, so padding may move a boundary now and
    then: batched and one-by-one tagging agree on nearly every span, and a batch is deterministic."""
    docs = [lang.parse(t) for t in (TEXT, "Nothing was said here at all.", '"Yes," he said.')]
    batched, single = tagger.tag_many(docs), [tagger.tag(d) for d in docs]
    assert batched == tagger.tag_many(docs)
    for role in neural.ROLES:
        a = {s for t in batched for s in t[role]}
        b = {s for t in single for s in t[role]}
        assert len(a & b) >= 0.7 * max(len(a), len(b))
    assert (7, 8) in batched[0]["cue"] and (7, 8) in single[0]["cue"]  # "told"
    empty = lang.parse("")
    assert tagger.tag(empty) == {r: [] for r in neural.ROLES}


def test_attributions_from_the_neural_tagger(lang):
    from crosswire.analysis.quotes import extract_attributions

    doc = lang.parse(TEXT)
    attrs = extract_attributions(doc, tagger="neural")
    told = next(a for a in attrs if a.cue and doc.text[a.cue[0] : a.cue[1]] == "told")
    assert told.text(doc.text, "source") == "Scholz"
    assert len(told.content_parts) == 2 and told.direct
    with pytest.raises(ValueError, match="quote tagger 'bert'"):
        extract_attributions(doc, tagger="bert")


def test_missing_model_names_the_file(tmp_path):
    with pytest.raises(ModelError, match=str(tmp_path / neural.MODEL_FILE)):
        neural.NeuralTagger(model_dir=tmp_path)
