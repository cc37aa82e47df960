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


# ------------------------------------------------------------------ the story summary (storm fixtures)
def test_story_summary_whole_cited_statements(lang):
    from compare_helpers import analysed
    from crosswire.analysis.differences.texts import is_whole_statement

    ctx = analysed(lang)
    story = ctx.story
    summary = story.summary
    assert 5 <= len(summary) <= 8
    facts = [s for s in summary if s.kind == "fact"]
    conflicts = [s for s in summary if s.kind == "conflict"]
    assert len(conflicts) <= 1 and (conflicts or not story.conflicts)
    group_of = {c.id: c.group for c in story.claims}
    claim_at = {(c.span.article, c.span.start, c.span.end): c for c in story.claims}
    for s in facts:
        assert is_whole_statement(s.text), s.text
        own = s.citations[0]
        assert " ".join(ctx.article(own.article).text[own.start : own.end].split()) in s.text
        # every other citation is a claim of the sentence's own group
        inside = [c for (a, st, e), c in claim_at.items() if a == own.article and own.start <= st < own.end]
        groups = {group_of[c.id] for c in inside}
        for cite in s.citations[1:]:
            other = claim_at[(cite.article, cite.start, cite.end)]
            assert group_of[other.id] in groups, (s.text, other.text)
    if conflicts:
        sides = {(c.article, c.start, c.end) for x in story.conflicts for c in x.citations}
        assert all((c.article, c.start, c.end) in sides for c in conflicts[0].citations)


def test_a_clause_speaks_as_its_whole_sentence(lang):
    from compare_helpers import analysed

    ctx = analysed(lang, names=("storm_a", "storm_b"))
    texts = [s.text for s in ctx.story.summary]
    # "the national government promised emergency funds." is a clause of the mayor's sentence
    assert not any(t.startswith("The national government promised") for t in texts)
    assert any(t.startswith("Mayor Anna Berg said") and t.endswith("emergency funds.") for t in texts)
