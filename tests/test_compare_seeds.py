"""Done-when checks of issue 6 on the five sample articles (the session's seed dossier)."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def seed(seed_dossier):
    story = max(seed_dossier.stories, key=lambda s: len(s.articles))
    return seed_dossier, story


def _claims(story):
    return {c.id: c for c in story.claims}


def _groups_where(story, pattern):
    claims = _claims(story)
    rx = re.compile(pattern, re.IGNORECASE)
    return [g for g in story.claim_groups if any(rx.search(claims[cid].text) for cid in g.claims)]


def test_claim_spans_point_into_cleaned_text(seed):
    dossier, story = seed
    assert len(story.claims) > 30
    for c in story.claims:
        assert dossier.article(c.span.article).text[c.span.start : c.span.end] == c.text


def test_consensus_first_call_in_about_two_years(seed):
    _, story = seed
    groups = _groups_where(story, r"first.*(two years|since December 2022)|(two years|since December 2022).*first")
    best = max(groups, key=lambda g: len(g.outlets))
    assert best.status == "consensus" and len(best.outlets) >= 3


@pytest.mark.xfail(
    strict=True,
    reason="issue 12, not met yet: the same-fact model gives 'Scholz spoke with Putin ... calling for the "
    "withdrawal' and 'He urged Putin to cease hostilities and withdraw troops' P 0.22, under the 0.35 "
    "grouping threshold, so the fact forms two two-outlet groups instead of one of four outlets",
)
def test_consensus_chancellor_urged_withdrawal_and_negotiations(seed):
    _, story = seed
    groups = [g for g in _groups_where(story, r"withdraw") if g.status == "consensus"]
    assert groups and max(len(g.outlets) for g in groups) >= 3
    claims = _claims(story)
    assert any(re.search(r"negotiat|talks|peace", claims[cid].text) for g in groups for cid in g.claims)


@pytest.mark.xfail(
    strict=True,
    reason="issue 12, not met yet: the same-fact model groups Scholz's 'North Korean troops ... escalation' "
    "with the other outlets' escalation warnings, and finds the Middle East sentence close enough (P 0.18) "
    "to another outlet's 'discuss how we get out of this war situation' to call it partial, not single",
)
def test_middle_east_and_north_korean_troops_are_single(seed):
    _, story = seed
    for pattern in (r"Middle East", r"North Korean troops"):
        groups = _groups_where(story, pattern)
        assert groups, pattern
        assert all(g.status == "single" and len(g.outlets) == 1 for g in groups), pattern


def test_conflict_on_scholz_title(seed):
    _, story = seed
    titles = [x for x in story.conflicts if x.kind == "title"]
    assert any("Scholz" in x.what and "Prime Minister" in x.what and "Chancellor" in x.what for x in titles)


def test_kremlin_and_berlin_accounts_side_by_side(seed):
    _, story = seed
    claims = _claims(story)
    kremlin = next(a for a in story.accounts if "Kremlin" in a.party)
    berlin = [
        a
        for a in story.accounts
        if re.search(r"Scholz|chancellor|government", a.party, re.I) and "Kremlin" not in a.party
    ]
    assert berlin
    berlin_claims = {cid for a in berlin for cid in a.claims}
    assert any(cid in berlin_claims for cps in kremlin.counterparts.values() for cid in cps)
    assert all(cid in claims for cps in kremlin.counterparts.values() for cid in cps)
    assert any(x.kind == "account" and "Kremlin" in x.what for x in story.conflicts)


def test_coverage_and_wording_from_the_data(seed):
    _, story = seed
    cov = story.coverage
    assert len(cov.outlets) == 5
    middle_east = _groups_where(story, r"Middle East")[0]
    assert middle_east.status != "consensus"  # single-outlet; listed as exclusive only when judged single
    status = {g.id: g.status for g in story.claim_groups}
    assert all(status[g] == "single" for ids in cov.exclusive.values() for g in ids)  # checked exclusives only
    terms = {(w["term"], w["others_use"]) for ws in cov.wording.values() for w in ws}
    assert ("German Prime Minister", "German Chancellor") in terms
    assert ("Kiev", "Kyiv") in terms or ("Kyiv", "Kiev") in terms


def test_summary_is_cited_and_states_a_conflict(seed):
    dossier, story = seed
    assert 3 <= len(story.summary) <= 8  # facts up to a word budget (summary.STORY_MAX_WORDS)
    assert story.summary[0].kind == "fact" and len(story.summary[0].citations) >= 3
    assert any(s.kind == "conflict" for s in story.summary)
    for s in story.summary:
        assert s.citations
        for c in s.citations:
            assert 0 <= c.start < c.end <= len(dossier.article(c.article).text)


def test_differences_leads_title_and_labels(seed):
    from crosswire.analysis.differences.title import is_neutral

    dossier, story = seed
    diff = story.differences
    assert len(diff.leads) == 5 and diff.points
    assert any(p.kind == "conflict" and "Prime Minister" in p.text and "Chancellor" in p.text for p in diff.points)
    assert any(p.kind == "wording" and "Kiev" in p.text and "Kyiv" in p.text for p in diff.points)
    for p in diff.points:
        assert p.citations and all(0 <= c.start < c.end <= len(dossier.article(c.article).text) for c in p.citations)
    # the sample articles name no outlet: sentences say "article 3", never the file name
    sentences = [p.text for p in diff.points] + [s.text for s in story.summary]
    assert not any("unknown (" in t for t in sentences)
    # a neutral title that tells the event, not the oldest headline
    assert story.title != "Russia hasn't received request for Scholz-Putin call, Kremlin claims"
    assert is_neutral(story.title) and re.search(r"Scholz|Putin", story.title)
