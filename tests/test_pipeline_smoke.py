import json

from crosswire.model import Dossier


def test_seeds_form_a_dossier(seed_dossier):
    assert len(seed_dossier.articles) == 5
    assert seed_dossier.rejected == []
    assert seed_dossier.stories, "the seeds form at least one story"
    d = json.loads(seed_dossier.to_json())
    for key in ("crosswire", "generated", "articles", "stories", "rejected"):
        assert key in d
    back = Dossier.from_dict(d)
    assert [a.id for a in back.articles] == [a.id for a in seed_dossier.articles]
    assert back.stories[0].articles == seed_dossier.stories[0].articles


def test_store_roundtrip_is_idempotent(seed_dossier, tmp_path):
    from crosswire.store.db import Store

    db = tmp_path / "x.db"
    with Store(db) as s:
        first = s.save_dossier(seed_dossier)
        second = s.save_dossier(seed_dossier)
        assert first["articles_new"] == 5
        assert second["articles_new"] == 0
        assert s.count("articles") == 5
        assert s.count("stories") == len(seed_dossier.stories)
        st = s.list_stories()[0]
        assert sorted(st["articles"]) == sorted(seed_dossier.stories[0].articles)
        assert s.list_stories(query="Scholz")
        assert s.schema_version >= 1
