"""Grouping of statements that say the same thing, in different words.

One code path for the story comparison, the summary and ``crosswire bench agreement``:
``pair_scores`` turns MiniLM embeddings plus structure (numbers, shared entities,
negation) into a similarity matrix, and ``cluster`` runs average-linkage
agglomerative clustering on it with a fixed threshold. Pairs that cannot both be
true (disjoint numbers, opposite negation) are blocked, so a group never holds
two statements that conflict; conflicts are found between groups instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from crosswire.text import calendar_days, is_negated, numbers_in

# Fixed defaults. Short statements (answers, phrases: median <= SHORT_WORDS words) and
# sentences have different cosine ranges, so each gets its threshold:
# PHRASE_THRESHOLD chosen by leave-one-question-out on NAnCo validation (every held-out
# question picked 0.46 or near it, see BENCHMARKS.md ## agreement); SENTENCE_THRESHOLD
# fixed by hand on the sample articles (examples/seeds), not on a scored set.
# The structure weights below are fixed by hand.
PHRASE_THRESHOLD = 0.46
SENTENCE_THRESHOLD = 0.70
SHORT_WORDS = 14  # news sentences run 20-30 words; extracted answers and phrases under 15
GROUP_THRESHOLD = PHRASE_THRESHOLD  # kept for callers that group short statements
ENTITY_BONUS = 0.05  # times the Jaccard overlap of entity keys
NEGATION_PENALTY = 0.2
NEGATION_BLOCK_WORDS = 8
BLOCKED = -1.0
MAX_EXACT = 800  # above this many statements, one greedy pass replaces the exact (cubic) clustering


@dataclass
class Statement:
    """What grouping needs to know about one statement (a claim, a sentence, an answer)."""

    text: str
    entities: set[str] = field(default_factory=set)
    numbers: set[str] | None = None
    negated: bool | None = None
    # hope/plan/would vs happened; None = not asked. News claims set it (compare.statements_of); answers to
    # one question share its modality, and on NAnCo the block cost 0.005 pooled, so the bench leaves it unset.
    irrealis: bool | None = None
    days: set[str] | None = None

    def __post_init__(self):
        if self.days is None:
            self.days = calendar_days(self.text)
        if self.numbers is None:
            self.numbers = numbers_in(self.text)
        if self.negated is None:
            self.negated = is_negated(self.text)


def numbers_conflict(a: set[str], b: set[str]) -> bool:
    """Both statements give numbers and none of them agree."""
    return bool(a) and bool(b) and not (a & b)


def pair_scores(statements: list[Statement], emb: np.ndarray, *, use_structure: bool = True) -> np.ndarray:
    """Similarity matrix: cosine of the embeddings, adjusted by structure. Diagonal is 1.

    n x n: a story's claims are capped (``crosswire.analysis.claims.MAX_CLAIMS``)."""
    sim = np.asarray(emb @ emb.T, dtype=np.float64)
    n = len(statements)
    if use_structure and n:
        for i in range(n):
            si = statements[i]
            for j in range(i + 1, n):
                sj = statements[j]
                adj = 0.0
                if numbers_conflict(si.numbers, sj.numbers):
                    sim[i, j] = sim[j, i] = BLOCKED
                    continue
                if si.days and sj.days and not si.days & sj.days:
                    sim[i, j] = sim[j, i] = BLOCKED  # "on November 15" and "on November 12": two accounts
                    continue
                long_pair = min(len(si.text.split()), len(sj.text.split())) >= NEGATION_BLOCK_WORDS
                if si.irrealis is not None and sj.irrealis is not None and si.irrealis != sj.irrealis and long_pair:
                    sim[i, j] = sim[j, i] = BLOCKED  # "hopes to talk" is not "talked"
                    continue
                if si.negated != sj.negated:
                    if long_pair:
                        sim[i, j] = sim[j, i] = BLOCKED  # in full sentences a negation flips the claim
                        continue
                    adj -= NEGATION_PENALTY  # in short answers "not to sign" may mean "ditch"
                if si.entities and sj.entities:
                    inter = len(si.entities & sj.entities)
                    adj += ENTITY_BONUS * inter / len(si.entities | sj.entities)
                sim[i, j] = sim[j, i] = sim[i, j] + adj
    np.fill_diagonal(sim, 1.0)
    return sim


def cluster(sim: np.ndarray, threshold: float = GROUP_THRESHOLD, cannot_link: np.ndarray | None = None) -> list[int]:
    """Average-linkage agglomerative clustering; merge while the best average similarity >= threshold.

    ``cannot_link`` (boolean n x n) marks pairs that must end in different groups
    (e.g. two sentences of one article). Returns a label per item, labels 0..k-1
    numbered in order of first appearance.
    """
    n = sim.shape[0]
    if n == 0:
        return []
    if n > MAX_EXACT:
        return _leader_cluster(sim, threshold, cannot_link)
    sizes = np.ones(n)
    total = sim.astype(np.float64).copy()  # sum of pairwise similarities between clusters
    forbid = np.zeros((n, n), dtype=bool) if cannot_link is None else cannot_link.copy()
    active = np.ones(n, dtype=bool)
    members: list[list[int]] = [[i] for i in range(n)]
    while True:
        avg = total / np.outer(sizes, sizes)
        avg[~active, :] = -np.inf
        avg[:, ~active] = -np.inf
        avg[forbid] = -np.inf
        np.fill_diagonal(avg, -np.inf)
        k = int(np.argmax(avg))
        i, j = divmod(k, n)
        if not np.isfinite(avg[i, j]) or avg[i, j] < threshold:
            break
        # merge j into i
        total[i, :] += total[j, :]
        total[:, i] += total[:, j]
        total[i, i] = 0.0
        sizes[i] += sizes[j]
        forbid[i, :] |= forbid[j, :]
        forbid[:, i] |= forbid[:, j]
        active[j] = False
        members[i].extend(members[j])
        members[j] = []
    labels = [0] * n
    order: dict[int, int] = {}
    root_of = {m: r for r in range(n) for m in members[r]}
    for idx in range(n):
        r = root_of[idx]
        if r not in order:
            order[r] = len(order)
        labels[idx] = order[r]
    return labels


def threshold_for(statements: list[Statement]) -> float:
    """The fixed default threshold for these statements: phrases or sentences."""
    if not statements:
        return SENTENCE_THRESHOLD
    words = sorted(len(s.text.split()) for s in statements)
    return PHRASE_THRESHOLD if words[len(words) // 2] <= SHORT_WORDS else SENTENCE_THRESHOLD


def _leader_cluster(sim: np.ndarray, threshold: float, cannot_link: np.ndarray | None) -> list[int]:
    """One pass for very large stories: join the group with the best average similarity, else start one."""
    labels: list[int] = []
    members: list[list[int]] = []
    for i in range(sim.shape[0]):
        best, best_val = -1, threshold
        for k, m in enumerate(members):
            if cannot_link is not None and cannot_link[i, m].any():
                continue
            val = float(sim[i, m].mean())
            if val >= best_val:
                best, best_val = k, val
        if best < 0:
            members.append([i])
            labels.append(len(members) - 1)
        else:
            members[best].append(i)
            labels.append(best)
    return labels


def group(
    statements: list[Statement],
    emb: np.ndarray,
    threshold: float | None = None,
    cannot_link: np.ndarray | None = None,
    use_structure: bool = True,
) -> list[int]:
    """Labels of groups of statements that say the same thing."""
    if threshold is None:
        threshold = threshold_for(statements)
    sim = pair_scores(statements, emb, use_structure=use_structure)
    blocked = sim <= BLOCKED
    if cannot_link is not None:
        blocked |= cannot_link
    return cluster(sim, threshold, blocked)
