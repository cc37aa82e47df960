"""``crosswire bench agreement``: does the claim grouping put answers that say the same together?

NAnCo layout: a JSON list of questions, each with ``answers`` (``Answer`` text,
``cluster_global`` gold group). For every pair of answers to one question the
decision "same group" comes from ``compare.grouping.group`` (the code that groups
claims in a story). Balanced accuracy is pooled over all pairs and averaged per
question. Thresholds: the reported figures use leave-one-question-out (the
threshold for a question is the one that scores best on the other questions);
the fixed default ``GROUP_THRESHOLD`` is scored too. Baseline in the same run:
cosine of MiniLM embeddings with a threshold, chosen the same way.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
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


def run(file: str, lang=None) -> dict[str, Any]:
    from crosswire.nlp import Language

    questions = load(file)
    lang = lang or Language()
    with Timer() as t:
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
            labels = grouping.group(statements, emb)  # the fixed default, exactly as in a story
            default_pairs.append(_pairs(lambda i, j: labels[i] == labels[j], q["gold"]))  # noqa: B023 (called at once)
    pooled, per_q, chosen = _loqo(grouped)
    b_pooled, b_per_q, b_chosen = _loqo(cosine)
    d_pooled, d_per_q = _score(default_pairs)
    p_pooled, p_per_q, _ = _loqo(plain)
    return {
        "questions": len(questions),
        "pairs": n_pairs,
        "balanced_accuracy": round(pooled, 4),
        "balanced_accuracy_per_question": round(per_q, 4),
        "protocol": "leave-one-question-out threshold",
        "thresholds_chosen": chosen,
        "default_threshold": grouping.PHRASE_THRESHOLD,
        "default": {"balanced_accuracy": round(d_pooled, 4), "balanced_accuracy_per_question": round(d_per_q, 4)},
        "baselines": {
            "minilm_cosine": {
                "balanced_accuracy": round(b_pooled, 4),
                "balanced_accuracy_per_question": round(b_per_q, 4),
                "thresholds_chosen": b_chosen,
            },
        },
        "ablation_without_structure": {
            "balanced_accuracy": round(p_pooled, 4),
            "balanced_accuracy_per_question": round(p_per_q, 4),
        },
        "seconds": round(t.seconds, 2),
    }
