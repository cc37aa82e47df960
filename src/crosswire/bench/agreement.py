"""``crosswire bench agreement``: does the claim grouping put answers that say the same together?

NAnCo layout: a JSON list of questions, each with ``answers`` (``Answer`` text,
``cluster_global`` gold group). For every pair of answers to one question the
decision "same group" comes from the code that groups a story's claims: the trained
same-fact model (``compare.pairing`` and ``compare.pairing_model``, each answer a sentence of its own article) and
complete linkage (``compare.verdicts``) with the model's fixed thresholds, which were
chosen on the verdicts development stories: nothing is chosen on the file scored.
Balanced accuracy is pooled over all pairs and averaged per question.
Baselines in the same run: cosine of MiniLM embeddings with a threshold, and the
previous grouping (``compare.grouping``: cosine plus structure, average linkage),
each with a leave-one-question-out threshold (the threshold for a question is the
one that scores best on the other questions of the same file: favourable to them).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from crosswire.analysis.compare import grouping
from crosswire.bench.common import Timer, require
from crosswire.errors import BenchDataError

THRESHOLDS = [round(float(x), 2) for x in np.arange(0.30, 0.90, 0.02)]


def balanced_accuracy(pairs: list[tuple[bool, bool]]) -> float:
    tp = sum(1 for p, y in pairs if p and y)
    fn = sum(1 for p, y in pairs if not p and y)
    tn = sum(1 for p, y in pairs if not p and not y)
    fp = sum(1 for p, y in pairs if p and not y)
    pos = tp / (tp + fn) if tp + fn else 1.0
    neg = tn / (tn + fp) if tn + fp else 1.0
    return 0.5 * (pos + neg)


def load(file: str) -> list[dict[str, Any]]:
    path = require(file, "NAnCo JSON")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BenchDataError(f"{path}: not readable JSON ({exc})") from exc
    out = []
    for q in data if isinstance(data, list) else []:
        answers = [a for a in q.get("answers", []) if str(a.get("Answer", "")).strip()]
        if len(answers) >= 2:
            out.append(
                {
                    "question": q.get("question", ""),
                    "texts": [a["Answer"].strip() for a in answers],
                    "gold": [a.get("cluster_global") for a in answers],
                }
            )
    if not out:
        raise BenchDataError(f"{path}: no questions with two or more answers")
    return out


def _pairs(labels_same: Callable[[int, int], bool], gold: list) -> list[tuple[bool, bool]]:
    return [(labels_same(i, j), gold[i] == gold[j]) for i, j in itertools.combinations(range(len(gold)), 2)]


def _score(per_q_pairs: list[list[tuple[bool, bool]]]) -> tuple[float, float]:
    pooled = balanced_accuracy([p for q in per_q_pairs for p in q])
    return pooled, float(np.mean([balanced_accuracy(q) for q in per_q_pairs]))


def _loqo(pairs_at: dict[float, list[list[tuple[bool, bool]]]]) -> tuple[float, float, list[float]]:
    """Leave one question out: each question is scored with the threshold best on the others."""
    n = len(next(iter(pairs_at.values())))
    chosen_pairs, chosen = [], []
    for k in range(n):
        best = max(
            THRESHOLDS,
            key=lambda t: (
                balanced_accuracy([p for i, q in enumerate(pairs_at[t]) if i != k for p in q]),
                -abs(t - 0.5),
            ),
        )
        chosen.append(best)
        chosen_pairs.append(pairs_at[best][k])
    pooled, per_q = _score(chosen_pairs)
    return pooled, per_q, chosen


def _product_labels(texts: list[str], lang, model, linkages: Sequence[str]) -> list[list[int]]:
    """Group answers exactly as a story's claims are grouped (each answer its own article): the answers'
    group labels for each of ``linkages`` (the story's, ``verdicts.LINKAGE``, and ablations), from one
    scoring of the pairs."""
    from crosswire.analysis.compare.facts import blocked_pairs
    from crosswire.analysis.compare.pairing import unit_of
    from crosswire.analysis.compare.pairing_model import same_fact_matrix
    from crosswire.analysis.compare.verdicts import cluster_claims

    docs = [lang.parse(t) for t in texts]
    units = [unit_of(doc[:], f"answer{k}") for k, doc in enumerate(docs)]
    emb, tokens = lang.embed_with_tokens([u.embed_text or u.text for u in units])
    for u, (vecs, pieces) in zip(units, tokens):
        u.tokens, u.pieces = vecs, pieces
    P = same_fact_matrix(units, emb, model)
    blocked = blocked_pairs(units, P)
    th = model.thresholds
    articles = [u.article for u in units]
    out = []
    for linkage in linkages:
        groups = cluster_claims(
            P, articles, [True] * len(units), th["group"], linkage, th.get("floor"), blocked, th.get("attach")
        )
        labels = [0] * len(units)
        for k, g in enumerate(groups):
            for i in g:
                labels[i] = k
        out.append(labels)
    return out


def run(file: str, lang=None) -> dict[str, Any]:
    from crosswire.analysis.compare.pairing_model import PairModel
    from crosswire.analysis.compare.verdicts import LINKAGE
    from crosswire.nlp import Language

    questions = load(file)
    lang = lang or Language()
    model = PairModel.packaged()
    with Timer() as t:
        product_pairs: list = []
        average_pairs: list = []
        grouped: dict[float, list] = {th: [] for th in THRESHOLDS}
        cosine: dict[float, list] = {th: [] for th in THRESHOLDS}
        plain: dict[float, list] = {th: [] for th in THRESHOLDS}  # the same clustering without structure
        default_pairs = []
        n_pairs = 0
        for q in questions:
            emb = lang.embed(q["texts"])
            statements = [grouping.Statement(x) for x in q["texts"]]
            sim = grouping.pair_scores(statements, emb)
            blocked = sim <= grouping.BLOCKED
            cos = emb @ emb.T
            plain_sim = grouping.pair_scores(statements, emb, use_structure=False)
            n_pairs += len(q["texts"]) * (len(q["texts"]) - 1) // 2
            for th in THRESHOLDS:
                labels = grouping.cluster(sim, th, blocked)
                grouped[th].append(_pairs(lambda i, j: labels[i] == labels[j], q["gold"]))  # noqa: B023 (called at once)
                cosine[th].append(_pairs(lambda i, j: bool(cos[i, j] >= th), q["gold"]))  # noqa: B023 (called at once)
                plain_labels = grouping.cluster(plain_sim, th)
                plain[th].append(_pairs(lambda i, j: plain_labels[i] == plain_labels[j], q["gold"]))  # noqa: B023 (called at once)
            labels = grouping.group(statements, emb)  # the previous default
            default_pairs.append(_pairs(lambda i, j: labels[i] == labels[j], q["gold"]))  # noqa: B023 (called at once)
            mine, avg = _product_labels(q["texts"], lang, model, (LINKAGE, "average"))
            product_pairs.append(_pairs(lambda i, j: mine[i] == mine[j], q["gold"]))  # noqa: B023 (called at once)
            average_pairs.append(_pairs(lambda i, j: avg[i] == avg[j], q["gold"]))  # noqa: B023 (called at once)
    pooled, per_q = _score(product_pairs)
    a_pooled, a_per_q = _score(average_pairs)
    g_pooled, g_per_q, g_chosen = _loqo(grouped)
    b_pooled, b_per_q, b_chosen = _loqo(cosine)
    d_pooled, d_per_q = _score(default_pairs)
    p_pooled, p_per_q, _ = _loqo(plain)
    return {
        "questions": len(questions),
        "pairs": n_pairs,
        "balanced_accuracy": round(pooled, 4),
        "balanced_accuracy_per_question": round(per_q, 4),
        "protocol": "the story grouping with its fixed thresholds (chosen on the verdicts development stories)",
        "thresholds": model.thresholds,
        "baselines": {
            "minilm_cosine": {
                "balanced_accuracy": round(b_pooled, 4),
                "balanced_accuracy_per_question": round(b_per_q, 4),
                "thresholds_chosen": b_chosen,
                "protocol": "leave-one-question-out threshold",
            },
            "previous_grouping": {
                "balanced_accuracy": round(g_pooled, 4),
                "balanced_accuracy_per_question": round(g_per_q, 4),
                "thresholds_chosen": g_chosen,
                "protocol": "leave-one-question-out threshold",
                "fixed_default": {
                    "balanced_accuracy": round(d_pooled, 4),
                    "balanced_accuracy_per_question": round(d_per_q, 4),
                    "threshold": grouping.PHRASE_THRESHOLD,
                },
                "without_structure": {
                    "balanced_accuracy": round(p_pooled, 4),
                    "balanced_accuracy_per_question": round(p_per_q, 4),
                },
            },
        },
        "ablations": {
            "average_linkage": {  # the same model and threshold, average instead of complete linkage
                "balanced_accuracy": round(a_pooled, 4),
                "balanced_accuracy_per_question": round(a_per_q, 4),
            },
        },
        "seconds": round(t.seconds, 2),
    }
