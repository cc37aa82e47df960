"""Unit tests of the comparison parts that need no model: numbers, clustering, parties, wording, titles."""

from __future__ import annotations

import numpy as np

from crosswire.analysis.compare import coverage, grouping, parties, titles
from crosswire.model import Span
from crosswire.text import is_negated, numbers_in


def test_numbers_are_normalised_across_digits_and_words():
    assert numbers_in("three years") == {"3"}
    assert numbers_in("at least 3 more years") == {"3"}
    assert numbers_in("a tranche worth £1.5 billion") == {"1500000000"}
    assert numbers_in("2,000 troops") == {"2000"}
    assert numbers_in("no figures here") == set()


def test_numbers_conflict_only_when_both_give_numbers_and_none_agree():
    assert grouping.numbers_conflict({"12"}, {"15"})
    assert not grouping.numbers_conflict({"12", "2024"}, {"2024"})
    assert not grouping.numbers_conflict(set(), {"15"})


def test_negation():
    assert is_negated("Moscow has not received a proposal")
    assert is_negated("Russia hasn't received a request")
    assert not is_negated("Moscow received a proposal")
    # "not only / merely / just X (but Y)" adds to X: it denies nothing
    assert not is_negated("Prosecutors say their actions weren't merely illegal, but a form of terrorism.")
    assert not is_negated("The vote is not only a test of the party but of its leader.")
    assert is_negated("The judge did not merely fine him; he was not jailed.")


def test_a_one_sided_negation_keeps_apart_what_it_denies_or_what_the_model_doubts():
    from crosswire.analysis.compare.facts import NEGATION_TRUST, blocked_pairs, negated_stems
    from crosswire.analysis.compare.pairing import Unit

    def unit(k: int, text: str) -> Unit:
        empty: frozenset[str] = frozenset()
        return Unit(f"a{k}", 0, len(text), text, empty, empty, empty, frozenset(), empty, len(text.split()))

    assert negated_stems("The regional government said the storm did not damage the power plant.") == {"damage"}
    assert negated_stems("Spokesman Tom Reed denied that the pilots ignored the warnings.") == {"pilots"}
    assert negated_stems("Police didn't identify whose bodies were found near Deer Creek.") == {"identi"}
    denied = unit(0, "The regional government said the storm did not damage the power plant north of the town.")
    said = unit(1, "The storm damaged the power plant north of the town, the plant's operator said on Tuesday.")
    other = unit(2, "Police didn't identify whose bodies were found on Tuesday near Deer Creek, east of town.")
    found = unit(3, "The two bodies were found near Deer Creek about a mile east of the Freedom Bridge.")
    sure = np.full((4, 4), 0.9)
    # "did not damage" / "damaged": a denial of the other's statement, however sure the model is
    assert blocked_pairs([denied, said], sure[:2, :2])[0, 1]
    # "didn't identify whose bodies were found" / "bodies were found": the negation is about something else
    assert not blocked_pairs([other, found], sure[:2, :2])[0, 1]
    doubt = np.full((2, 2), NEGATION_TRUST - 0.1)
    assert blocked_pairs([other, found], doubt)[0, 1]


def test_cluster_merges_by_average_similarity_and_respects_blocks():
    sim = np.array(
        [
            [1.0, 0.9, 0.8, 0.1],
            [0.9, 1.0, 0.85, 0.1],
            [0.8, 0.85, 1.0, 0.2],
            [0.1, 0.1, 0.2, 1.0],
        ]
    )
    assert grouping.cluster(sim, 0.7) == [0, 0, 0, 1]
    blocked = np.zeros((4, 4), dtype=bool)
    blocked[0, 2] = blocked[2, 0] = True
    labels = grouping.cluster(sim, 0.7, blocked)
    assert labels[0] == labels[1] and labels[2] != labels[0] and labels[3] not in (labels[0], labels[2])


def test_pair_scores_block_different_numbers():
    st = [grouping.Statement("The storm killed 12 people"), grouping.Statement("The storm killed 15 people")]
    emb = np.array([[1.0, 0.0], [1.0, 0.0]], dtype=np.float32)
    sim = grouping.pair_scores(st, emb)
    assert sim[0, 1] <= grouping.BLOCKED
    assert grouping.group(st, emb, threshold=0.5) == [0, 1]


def test_threshold_depends_on_statement_length():
    short = [grouping.Statement("largest shareholder"), grouping.Statement("biggest shareholder")]
    long = [
        grouping.Statement(
            "German Chancellor Olaf Scholz spoke with Russian President Vladimir Putin by phone "
            "for the first time in almost two years on Friday."
        )
    ] * 2
    assert grouping.threshold_for(short) == grouping.PHRASE_THRESHOLD
    assert grouping.threshold_for(long) == grouping.SENTENCE_THRESHOLD


def test_party_keys():
    assert parties.party_key("the Kremlin press service") == "Kremlin"
    assert parties.party_key("Kremlin spokesperson Dmitry Peskov") == "Dmitry Peskov"
    assert parties.party_key("the German Chancellor's office") == "German Chancellor"
    assert parties.party_key("government sources") == "government sources"
    assert parties.party_key(None) is None


def test_sides_join_co_sources_names_and_titles():
    co = {
        "Kremlin": {"Putin"},
        "Putin": set(),
        "Dmitry Peskov": {"Kremlin"},
        "Peskov": set(),
        "Scholz": set(),
        "chancellor": {"government sources"},
        "government sources": set(),
    }
    counts = {
        "Kremlin": 5,
        "Putin": 4,
        "Dmitry Peskov": 2,
        "Peskov": 1,
        "Scholz": 3,
        "chancellor": 2,
        "government sources": 1,
    }
    side = parties.sides(co, counts, {"chancellor": "Olaf Scholz"})
    assert side["Kremlin"] == side["Putin"] == side["Dmitry Peskov"] == side["Peskov"]
    assert side["Scholz"] == side["chancellor"] == side["government sources"]
    assert side["Kremlin"] != side["Scholz"]


def test_aligned_terms_find_the_differing_word():
    a = "Scholz called on Moscow to negotiate with Kiev to reach a fair peace."
    b = "Scholz called on Moscow to negotiate with Kyiv to reach a fair peace."
    assert coverage.aligned_terms(a, b) == [("Kiev", "Kyiv")]
    assert coverage.aligned_terms(a, a) == []
    assert coverage.aligned_terms("The causes of the crisis.", "The cause of the crisis.") == []


def _use(office, outlet, title=None):
    return titles.TitleUse("scholz", "Olaf Scholz", title or office.title(), office, outlet, Span(outlet, 0, 5))


def test_title_conflict_is_a_minority_office():
    uses = [_use("chancellor", "a"), _use("chancellor", "b"), _use("prime minister", "c")]
    found = titles.title_conflicts(uses)
    assert len(found) == 1
    example, minority, majority = found[0]
    assert example.office == "prime minister" and {u.outlet for u in majority} == {"a", "b"}
    # offices that contain each other are not a conflict, and one office is none
    assert titles.title_conflicts([_use("president", "a"), _use("vice president", "b")]) == []
    assert titles.title_conflicts([_use("chancellor", "a"), _use("chancellor", "b")]) == []


def test_pronouns_are_not_parties():
    assert parties.party_key("he") is None
    assert parties.party_key("we parents") is None


def test_large_inputs_use_the_greedy_pass(monkeypatch):
    monkeypatch.setattr(grouping, "MAX_EXACT", 2)
    sim = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.1], [0.1, 0.1, 1.0]])
    assert grouping.cluster(sim, 0.7) == [0, 0, 1]
    blocked = np.zeros((3, 3), dtype=bool)
    blocked[0, 1] = blocked[1, 0] = True
    assert grouping.cluster(sim, 0.7, blocked) == [0, 1, 2]
