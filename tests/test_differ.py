"""The claim-difference model shipped in the package (analysis/compare/differ.py), on hand-written pairs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from crosswire.analysis.compare import differ


@pytest.fixture(scope="module")
def model():
    return differ.Differ()


DISPUTE = (
    "The mayor said the new stadium will be paid for entirely by private investors.",
    "City records show taxpayers will cover most of the stadium's cost, contradicting the mayor's claim.",
)
AGREE = (
    "The mayor said the new stadium will be paid for entirely by private investors.",
    "Private investors will pay the whole cost of the new stadium, the mayor said.",
)


def test_threshold_is_the_recorded_operating_point(model):
    rec = json.loads((differ.MODEL_DIR / differ.RECORD_FILE).read_text())
    assert differ.THRESHOLD == pytest.approx(rec["threshold"])
    assert 0.0 < differ.THRESHOLD < 1.0
    assert "ClaimDiff-weak-train" in rec["trained_on"]["weak"]


def test_dispute_scores_above_agreement(model):
    p = model.score([DISPUTE, AGREE])
    assert p.shape == (2,) and p.dtype == np.float32
    assert np.all((p >= 0) & (p <= 1))
    assert p[0] > p[1]
    # the agreement is never flagged; the shipped model is weak (see differ.json "cv") and leaves this
    # clear dispute just under its operating point, so flagging it is not asserted
    assert p[1] < differ.THRESHOLD


def test_nli_tells_contradiction_from_same_fact(model):
    probs = model.nli([DISPUTE, AGREE])
    assert probs.shape == (2, 3)
    np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-4)
    c, e = differ.NLI_LABELS.index("contradiction"), differ.NLI_LABELS.index("entailment")
    assert probs[0, c] > probs[1, c]  # more contradiction in the dispute
    assert probs[1, e] > probs[0, e]  # more entailment in the agreement


def test_batches_give_the_same_scores_as_single_pairs(model):
    pairs = [DISPUTE, AGREE, ("A short claim.", "Another, much longer claim that needs padding in a batch " * 3)]
    together = model.score(pairs)
    alone = np.array([model.score([p])[0] for p in pairs])
    np.testing.assert_allclose(together, alone, atol=1e-4)


def test_empty_and_bad_input(model):
    assert model.score([]).shape == (0,)
    with pytest.raises(TypeError, match="pair 0"):
        model.score([("only one claim",)])


def test_module_functions_load_their_own_model():
    assert differ.score([AGREE]).shape == (1,)
