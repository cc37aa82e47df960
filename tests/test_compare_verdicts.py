"""From P(same fact) to verdicts: grouping never joins one article's sentences or blocked pairs, and a
one-outlet group is single only when nothing in the other outlets' text comes close."""

from __future__ import annotations

import numpy as np

from crosswire.analysis.compare.quantities import quantities, values_conflict
from crosswire.analysis.compare.verdicts import complete_link, demote_neighbours, group_and_judge, status_of


def _P(n: int, pairs: dict[tuple[int, int], float]) -> np.ndarray:
    P = np.zeros((n, n))
    for (i, j), p in pairs.items():
        P[i, j] = P[j, i] = p
    return P


def test_complete_link_never_chains_two_facts():
    # 0~1 and 1~2 are close, 0~2 are not: complete linkage keeps 2 apart; cannot-link pairs never merge
    sim = _P(3, {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.1})
    np.fill_diagonal(sim, 1.0)
    labels = complete_link(sim, 0.5, np.zeros((3, 3), dtype=bool))
    assert labels[0] == labels[1] != labels[2]
    cannot = np.zeros((3, 3), dtype=bool)
    cannot[0, 1] = cannot[1, 0] = True
    labels = complete_link(sim, 0.5, cannot)
    assert labels[0] != labels[1]


def test_status_single_partial_consensus():
    arts = ["a", "a", "b", "b"]
    P = _P(4, {(0, 2): 0.9, (1, 3): 0.04})
    assert status_of([0, 2], P, arts, 0.05) == "consensus"
    assert status_of([1], P, arts, 0.05) == "single"  # the best match elsewhere stays under the threshold
    assert status_of([1], P, arts, 0.03) == "partial"  # something in the other outlet comes close


def test_group_and_judge_blocks_and_demotes_context():
    # units 0,1 in article a; 2,3 in article b. 0~2 is one fact; 1 sits next to it and matches nothing
    arts = ["a", "a", "b", "b"]
    P = _P(4, {(0, 2): 0.9})
    judged = dict((tuple(g), s) for g, s in group_and_judge(P, arts, [True] * 4, {"group": 0.5, "single": 0.05}))
    assert judged[(0, 2)] == "consensus"
    assert judged[(1,)] == "partial"  # next to a shared fact: its context, not an exclusive
    names = [frozenset(), frozenset({"hale"}), frozenset(), frozenset()]
    kept = dict((tuple(g), s) for g, s in demote_neighbours([([0, 2], "consensus"), ([1], "single")], arts, names))
    assert kept[(1,)] == "single"  # unless it names what no other outlet names
    blocked = np.zeros((4, 4), dtype=bool)
    blocked[0, 2] = blocked[2, 0] = True
    judged = group_and_judge(P, arts, [True] * 4, {"group": 0.5, "single": 0.05}, blocked=blocked)
    assert all(len(g) == 1 for g, _ in judged)


def test_quantities_and_value_conflicts():
    a = quantities("Relatives of the 150 Chinese passengers clashed with police.")
    b = quantities("Some relatives of the flight's 153 Chinese passengers refused to accept it.")
    assert a == {"passenger": {150.0}} and values_conflict(a, b)
    assert quantities("Kevin Deon Johnson, 24; Dwight Kevin Smith, 30.")["age:johnson"] == {24.0}
    assert not quantities("On May 29, in 2001, at 11 a.m.")  # dates and clock times are not counts
    assert not values_conflict(quantities("It cost $3,000."), quantities("It cost $3,000 each."))


def test_mutual_best_matches_join_groups_that_complete_linkage_kept_apart():
    # articles a (0, 1), b (2), c (3). 0~2 and 2~3 are one fact told three ways, but 0~3 reads less alike,
    # so complete linkage at 0.5 leaves 3 out; 3 and 2 are each other's best match (0.45), so 3 joins
    arts = ["a", "a", "b", "c"]
    P = _P(4, {(0, 2): 0.9, (2, 3): 0.45, (0, 3): 0.3, (1, 3): 0.05})
    th = {"group": 0.5, "single": 0.05}
    assert sorted(map(sorted, (g for g, _ in group_and_judge(P, arts, [True] * 4, th)))) == [[0, 2], [1], [3]]
    joined = dict((tuple(g), s) for g, s in group_and_judge(P, arts, [True] * 4, {**th, "attach": 0.4}))
    assert joined[(0, 2, 3)] == "consensus"
    # under the attach threshold, or when the two groups read too little alike on average, nothing joins
    assert len(group_and_judge(P, arts, [True] * 4, {**th, "attach": 0.5})) == 3
    vague = _P(4, {(0, 2): 0.9, (2, 3): 0.35, (0, 3): 0.0})
    assert len(group_and_judge(vague, arts, [True] * 4, {**th, "attach": 0.3})) == 3
    # a pair that cannot both be true never joins
    blocked = np.zeros((4, 4), dtype=bool)
    blocked[0, 3] = blocked[3, 0] = True
    assert len(group_and_judge(P, arts, [True] * 4, {**th, "attach": 0.4}, blocked=blocked)) == 3
