"""The comparison and the summary on four small fixture articles about one storm."""

from __future__ import annotations

import pytest

from compare_helpers import analysed


@pytest.fixture(scope="module")
def storm(lang):
    return analysed(lang)


def _group_with(story, words):
    claims = {c.id: c for c in story.claims}
    for g in story.claim_groups:
        if any(all(w in claims[cid].text for w in words) for cid in g.claims):
            return g
    raise AssertionError(f"no group with {words}")


def test_paraphrases_from_all_outlets_form_one_consensus_group(storm):
    g = _group_with(storm.story, ["sea wall", "failed"])
    assert g.status == "consensus"
    assert set(g.outlets) == {"storm_a", "storm_b", "storm_c", "storm_d"}
    assert len(g.citations) == 4


def test_different_numbers_are_two_groups_in_conflict(storm):
    g12 = _group_with(storm.story, ["killed 12"])
    g15 = _group_with(storm.story, ["killed 15"])
    # two values for one count never share a group; neither is "only one outlet reports": the other
    # outlet reports the same death toll, with another number (partly reported elsewhere)
    assert g12.id != g15.id and g12.status == g15.status == "partial"
    number = [x for x in storm.story.conflicts if x.kind == "number"]
    assert any(set(x.groups) == {g12.id, g15.id} and "12" in x.what and "15" in x.what for x in number)


def test_negation_and_title_conflicts(storm):
    kinds = {x.kind for x in storm.story.conflicts}
    assert "negation" in kinds
    title = [x for x in storm.story.conflicts if x.kind == "title"]
    assert title and "Prime Minister" in title[0].what and "Chancellor" in title[0].what
    for x in storm.story.conflicts:
        for s in x.citations:
            assert 0 <= s.start < s.end <= len(storm.article(s.article).text)


def test_coverage_exclusive_omissions_and_wording(storm):
    cov = storm.story.coverage
    assert set(cov.outlets) == {"storm_a", "storm_b", "storm_c", "storm_d"}
    hale = _group_with(storm.story, ["Hale"])
    # only storm_b names Hale; exclusives are listed only when checked against the others' whole text
    assert hale.status in ("single", "partial") and hale.outlets == ["storm_b"]
    status = {g.id: g.status for g in storm.story.claim_groups}
    assert all(status[g] == "single" for ids in cov.exclusive.values() for g in ids)
    assert not any(hale.id in ids for ids in cov.omissions.values())
    wall = _group_with(storm.story, ["sea wall"])
    assert all(wall.id in cov.matrix[o] for o in cov.outlets)
    assert any(
        w["term"] == "Prime Minister" and w["others_use"] == "Chancellor" for w in cov.wording.get("storm_c", [])
    )


def test_summary_cites_its_group_and_states_conflicts(storm):
    summary = storm.story.summary
    assert 5 <= len(summary) <= 8  # five facts at least, more up to a word budget (summary.STORY_MAX_WORDS)
    first = summary[0]
    assert "sea wall" in first.text and len(first.citations) == 4
    for s in summary:
        assert s.citations
        if s.kind == "fact":  # the sentence is the source's own words
            texts = [storm.article(c.article).text[c.start : c.end] for c in s.citations]
            assert any(
                s.text.rstrip(".").lower() in t.lower() + "" or t.lower().startswith(s.text.rstrip(".").lower())
                for t in texts
            )
    conflict = [s for s in summary if s.kind == "conflict"]
    assert len(conflict) == 1  # one sentence for the story's conflicts, citing both sides
    assert len({c.article for c in conflict[0].citations}) >= 2
    assert "12" in conflict[0].text and "15" in conflict[0].text
    # the number stated as a conflict is not repeated as a plain fact
    assert not any("killed" in s.text for s in summary if s.kind == "fact")


def test_a_near_copy_counts_once(lang):
    from compare_helpers import fixture_context
    from crosswire.analysis import claims, compare
    from crosswire.model import Article

    ctx = fixture_context(lang, names=("storm_b",))
    original = ctx.articles[0]
    copy_text = original.text + "\nShared by a syndication partner."
    copy = Article(
        id=Article.make_id(copy_text),
        text=copy_text,
        raw=copy_text,
        path="/x/partner_site.txt",
        source="partner_site",
        duplicate_of=original.id,
    )
    ctx.articles.append(copy)
    ctx.story.articles.append(copy.id)
    claims.run(ctx)
    compare.run(ctx)
    hale = _group_with(ctx.story, ["Hale"])
    assert set(hale.outlets) == {"storm_b", "partner_site"}  # both outlets are shown
    assert hale.status == "single"  # but the copy does not make it a consensus
    assert ctx.story.coverage.outlets == ["storm_b"]


def test_empty_and_claimless_stories(lang):
    from compare_helpers import fixture_context
    from crosswire.analysis import claims, compare
    from crosswire.analysis import summary as summarize
    from crosswire.model import Article

    ctx = fixture_context(lang, names=())
    for mod in (claims, compare, summarize):
        mod.run(ctx)
    assert ctx.story.claims == [] and ctx.story.summary == []
    ctx = fixture_context(lang, names=())
    text = "Breaking News\nWhat happened?\nSubscribe now"
    ctx.articles.append(Article(id=Article.make_id(text), text=text, raw=text))
    for mod in (claims, compare, summarize):
        mod.run(ctx)
    assert ctx.story.claims == [] and ctx.story.claim_groups == [] and ctx.story.summary == []
