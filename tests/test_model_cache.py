"""The model cache: every distinct text embedded once, parses and vectors kept in the store by text hash.

A second `ingest` of the same articles, an `ingest` into a store `analyze` wrote, and a re-run of
`analyze` with the same store compute no embedding and parse nothing (the encoder's calls are counted).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from crosswire.nlp import Language, text_key
from crosswire.store import Store

FIX = Path(__file__).parent / "fixtures" / "stories"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class CountingEncoder:
    """Wraps the real encoder and counts the texts it is asked to embed."""

    def __init__(self, real):
        self.real = real
        self.name = real.name
        self.texts = 0
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return self.real.encode(texts)


@pytest.fixture()
def counting(lang):
    """The session's Language, its encoder replaced by a counting one and its memory cache emptied."""
    counter = CountingEncoder(lang.encoder)
    saved = dict(lang._vectors)
    lang._vectors.clear()
    with lang.encoder_override(counter):
        yield lang, counter
    lang._vectors.update(saved)


def test_each_distinct_text_is_embedded_once(tmp_path, lang):
    with Store(tmp_path / "c.db") as store:
        first = Language(encoder=lang.encoder_kind, cache=store)
        a = first.embed(["one text", "another text", "one text"])
        assert first.stats["embedded"] == 2 and first.stats["embed_memory"] == 0
        again = first.embed(["another text"])
        assert first.stats["embedded"] == 2 and first.stats["embed_memory"] == 1
        assert np.array_equal(again[0], a[1]) and np.array_equal(a[0], a[2])
        later = Language(encoder=lang.encoder_kind, cache=store)  # a later run: read from the store
        b = later.embed(["one text", "another text"])
        assert later.stats["embedded"] == 0 and later.stats["embed_cached"] == 2
        assert np.array_equal(a[:2], b)
        other = "minilm-l6-fp32-st" if lang.encoder_kind == "int8" else "minilm-l6-int8-onnx-x"
        assert store.get_vectors(other, [text_key("one text")]) == {}  # encoders never mix


def test_parses_are_kept_and_revived_whole(tmp_path, lang):
    text = "Chancellor Olaf Scholz spoke with Vladimir Putin on Friday, the Kremlin said."
    with Store(tmp_path / "c.db") as store:
        first = Language(encoder=lang.encoder_kind, cache=store)
        doc = first.parse(text)
        later = Language(encoder=lang.encoder_kind, cache=store)
        again = later.parse_many([text, text])
        assert later.stats["parsed"] == 0 and later.stats["parse_cached"] == 1
        for d in again:
            assert [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in d] == [
                (t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in doc
            ]
            assert [s.text for s in d.sents] == [s.text for s in doc.sents]


def test_second_ingest_computes_no_embedding(tmp_path, counting):
    from crosswire.run.ingest import ingest

    lang, counter = counting
    db = str(tmp_path / "i.db")
    first = ingest([str(FIX)], db=db, lang=lang, now=NOW, workers=1)
    assert first.new == 8 and counter.texts > 0
    with Store(db) as s:
        assert s.cache_counts()["embeddings"] >= counter.texts
        # every article's parse is kept (the stories' titles add the parses of their candidate sentences)
        texts = [a.text for a in s.get_articles(s.article_ids()).values()]
        assert len(texts) == 8 and len(s.get_parses(lang.parser_name, [text_key(t) for t in texts])) == 8
    counter.texts = counter.calls = 0
    lang._vectors.clear()  # a new process would start with nothing in memory
    parsed = lang.stats["parsed"]
    again = ingest([str(FIX)], db=db, lang=lang, now=NOW, workers=1)
    assert again.already == 8 and again.new == 0
    assert counter.calls == 0 and counter.texts == 0
    assert lang.stats["parsed"] == parsed


def test_ingest_into_analyzed_store_and_rerun_compute_nothing(tmp_path, counting):
    import crosswire
    from crosswire.run.ingest import ingest

    lang, counter = counting
    db = str(tmp_path / "a.db")
    d = crosswire.analyze([str(FIX)], lang=lang, now=NOW, workers=1, db=db)
    with Store(db) as s:
        s.save_dossier(d)
    assert counter.texts > 0
    counter.texts = counter.calls = 0
    lang._vectors.clear()
    parsed = lang.stats["parsed"]
    # ingest adopts the analysed store: replays every article through the clusterer and re-analyses
    # every story; all vectors and parses come from the store
    res = ingest([str(FIX)], db=db, lang=lang, now=NOW, workers=1)
    assert res.already == 8 and res.analysed == len(d.stories)
    rerun = crosswire.analyze([str(FIX)], lang=lang, now=NOW, workers=1, db=db)
    assert counter.calls == 0 and lang.stats["parsed"] == parsed
    assert [s.to_dict() for s in rerun.stories] == [s.to_dict() for s in d.stories]
