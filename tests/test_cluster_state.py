"""The clusterer read lazily from the store decides exactly as the whole one, and ingest reads only
what one article needs (issue 13: one article into a large store)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from crosswire.group import Features, OnlineClusterer
from crosswire.group.online import Centroid
from crosswire.model import Article
from crosswire.run.ingest import ingest
from crosswire.store import Store

FIX = Path(__file__).parent / "fixtures"


def articles() -> list[Article]:
    out = []
    for i, f in enumerate(sorted((FIX / "stories").glob("*.txt")) + sorted((FIX / "compare").glob("*.txt"))):
        text = f.read_text(encoding="utf-8")
        out.append(Article(id=f.stem, text=text, published=f"2024-03-{1 + i % 9:02d}"))
    return out


def test_lazy_clusterer_decides_as_the_whole_one(lang):
    arts = articles()
    vecs = lang.embed([a.text[:1000] for a in arts])
    feats = [Features.of(a, v) for a, v in zip(arts, vecs)]
    half = len(feats) // 2
    first = OnlineClusterer()
    for f in feats[:half]:
        first.add(f)
    state = first.to_state()
    whole = OnlineClusterer.from_state(state)
    full = {d["id"]: d for d in state["stories"] + state["topics"]}
    loaded: list[str] = []

    def loader(cid: str) -> Centroid:
        loaded.append(cid)
        return Centroid.from_state(full[cid])

    def df_loader(kind: str, terms: list[str]) -> dict[str, int]:
        df = state["df_words"] if kind == "words" else state["df_names"]
        return {t: df[t] for t in terms if t in df}

    heads = [
        Centroid.from_head(c.head_state(), c.vec)
        for c in [*first.stories.values(), *first.topics.values()]
        if not c.closed
    ]
    assert all(h.partial and not h.words for h in heads)
    lazy = OnlineClusterer.from_heads({k: state[k] for k in ("n_docs", "seq", "today")}, heads, loader, df_loader)
    assert lazy.df_words == {} and lazy.df_names == {}
    for f in feats[half:]:
        assert lazy.add(f) == whole.add(f)
    for cid in lazy.stories:
        if not lazy.stories[cid].partial:
            assert lazy.stories[cid].to_state() == whole.stories[cid].to_state()
    assert set(loaded) < set(full), "only the centroids an article was scored against or joined were read"
    for t, n in lazy.df_words.items():
        assert whole.df_words[t] == n


def test_ingest_of_one_article_reads_only_what_it_needs(tmp_path, lang, monkeypatch):
    db = tmp_path / "big.db"
    ingest([str(FIX / "stories"), str(FIX / "compare")], db=str(db), lang=lang)
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)

    def whole(*a, **k):
        raise AssertionError("ingest read the whole store")

    for name in ("articles", "cluster_centroids", "cluster_df_all", "assignments", "article_ids"):
        monkeypatch.setattr(Store, name, whole)
    new = tmp_path / "new.txt"
    new.write_text(
        "Flood waters recede in Lerwick\nFlood waters in Lerwick receded on Thursday and the harbour reopened, "
        "the council said, after the river burst its banks earlier in the week.\n"
    )
    res = ingest([str(new)], db=str(copy), lang=lang)
    assert res.new == 1 and res.analysed == 1


@pytest.mark.parametrize("n", [1, 3])
def test_head_and_vector_round_trip(n):
    c = Centroid(id="s_x", founder="a", count=n, words={"a": 1.0}, names={"b": 2.0}, vec=np.ones(384, np.float32))
    h = Centroid.from_head(c.head_state(), c.vec)
    assert h.partial and h.words == {} and h.count == n and np.array_equal(h.vec, c.vec)
