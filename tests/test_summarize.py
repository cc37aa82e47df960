"""The summary ranking on hand-made units (no model): corroboration first, no repeats, word budget."""

from __future__ import annotations

import numpy as np

from crosswire.analysis.summary import Unit, rank_units, unit_scores


def _units():
    # three outlets; group 0 is reported by all three, group 1 by one, group 2 by one
    return [
        Unit("a", 0, 10, "The dam broke on Monday night after heavy rain.", "A", 0, group=0),
        Unit("b", 0, 10, "Heavy rain broke the dam on Monday night.", "B", 1, group=0),
        Unit("c", 0, 10, "On Monday night the dam broke after rain.", "C", 2, group=0),
        Unit("a", 20, 30, "A local bakery gave out free bread to volunteers.", "A", 1, group=1),
        Unit("b", 20, 30, "Engineers had warned about cracks in the dam last year.", "B", 0, group=2),
    ]


def _emb():
    v = np.array(
        [
            [1.0, 0.0, 0.0],
            [0.98, 0.2, 0.0],
            [0.97, 0.0, 0.24],
            [0.0, 1.0, 0.0],
            [0.6, 0.0, 0.8],
        ],
        dtype=np.float32,
    )
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_corroborated_unit_scores_highest():
    scores = unit_scores(_units(), _emb())
    assert scores[:3].min() > scores[3:].max()


def test_rank_takes_one_sentence_per_group_and_most_corroborated_first():
    order = rank_units(_units(), _emb(), max_sentences=3)
    assert order[0] in (0, 1, 2)
    groups = [_units()[i].group for i in order]
    assert len(groups) == len(set(groups)) == 3


def test_word_budget_stops_selection():
    order = rank_units(_units(), _emb(), max_sentences=None, max_words=5)
    assert len(order) == 1


def test_empty_input():
    assert rank_units([], np.zeros((0, 3))) == []
