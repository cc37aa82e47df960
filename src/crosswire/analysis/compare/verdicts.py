"""From P(same fact) to the verdicts a reader sees: consensus, single-source, or partly reported elsewhere.

- Claims (whole sentences) are grouped by average linkage over P(same fact), never two claims of one
  article in a group, merging while the average is at least ``thresholds["group"]``.
- Then each claim whose best match among another article's claims is itself best matched back to it
  (mutual best, P at least ``thresholds["attach"]``) joins that claim's group: complete linkage keeps two
  paraphrases of one fact apart when a third member of either group reads less alike ("held without
  bond" / "held without bail"); a mutual best match across two articles rarely pairs two facts.
- A group told by two or more independent outlets is ``consensus``.
- A group told by one outlet is ``single`` only when no sentence of any other outlet's article (claims
  or not: the whole text) comes close: the best P(same fact) against them stays under
  ``thresholds["single"]``. Otherwise it is ``partial``: another outlet says something close, so
  "only one outlet reports this" would not be safe to say.
- A one-outlet group whose sentence stands right next to a sentence that other outlets report is
  ``partial`` too, unless it names someone or something that no other outlet names at all: without
  such a name it is usually the detail or context of that shared fact, which the other outlets' own
  account of it may well include in other words. (Precision first: this also keeps the bench's
  sentence regions, which reach into the neighbouring sentences, from judging context as exclusive.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from crosswire.analysis.compare.grouping import cluster

LINKAGE = "complete"
# two groups joined by a mutual best match must also read alike on average (mean P over every pair across
# them): a vague sentence that happens to be one article's best match does not join a group of three
# (chosen with ``thresholds["attach"]`` on the dev and tune stories, see BENCHMARKS.md "verdicts")
JOIN_MEAN = 0.2


def complete_link(sim: np.ndarray, threshold: float, cannot: np.ndarray, floor: float | None = None) -> list[int]:
    """Linkage clustering that cannot chain two facts together: two groups merge while the AVERAGE
    similarity across them is at least ``threshold`` and EVERY pair across them is at least ``floor``
    (``floor=None``: complete linkage, every pair at least ``threshold``); pairs in ``cannot`` never merge.
    Labels 0..k-1 in order of first appearance."""
    n = sim.shape[0]
    floor = threshold if floor is None else floor
    base = np.asarray(np.where(cannot, -np.inf, sim), dtype=np.float64)
    np.fill_diagonal(base, -np.inf)
    low = base.copy()  # cluster-to-cluster minimum over member pairs
    total = np.where(np.isfinite(base), base, 0.0)  # cluster-to-cluster sum over member pairs
    del base
    size = np.ones(n)
    members = [[i] for i in range(n)]
    # the average over member pairs where every pair is at least the floor, else -inf; kept up to date
    # row and column of the two merged groups at a time (the others' entries do not change; ``sim`` is
    # symmetric, so a row is its column). At the start every group is one claim: the average is the pair's.
    avg = np.where(low >= floor, total, -np.inf)

    def refresh(r: int) -> None:
        row = total[r, :] / (size[r] * size)
        row[~(low[r, :] >= floor)] = -np.inf
        avg[r, :] = row
        avg[:, r] = row

    while True:
        k = int(np.argmax(avg))
        i, j = divmod(k, n)
        if not np.isfinite(avg[i, j]) or avg[i, j] < threshold:
            break
        members[i].extend(members[j])
        members[j] = []
        low[i, :] = np.minimum(low[i, :], low[j, :])
        low[:, i] = low[i, :]
        total[i, :] += total[j, :]
        total[:, i] = total[i, :]
        size[i] += size[j]
        for m in (low, total):
            m[j, :] = -np.inf if m is low else 0.0
            m[:, j] = -np.inf if m is low else 0.0
        low[i, i] = -np.inf
        refresh(i)
        refresh(j)
    labels = [0] * n
    order: dict[int, int] = {}
    root = {m: r for r in range(n) for m in members[r]}
    for idx in range(n):
        r = root[idx]
        labels[idx] = order.setdefault(r, len(order))
    return labels


def cluster_claims(
    P: np.ndarray,
    articles: Sequence[str],
    is_claim: Sequence[bool],
    threshold: float,
    linkage: str = "complete",
    floor: float | None = None,
    blocked: np.ndarray | None = None,
    attach: float | None = None,
) -> list[list[int]]:
    """Groups of claim indexes (into the units), in order of first appearance; with ``attach``, mutual
    best matches at least that likely join their groups (``join_mutual_best``)."""
    claims = [i for i, c in enumerate(is_claim) if c]
    if not claims:
        return []
    idx = np.asarray(claims)
    arts = np.asarray(articles)[idx]
    sim = P[np.ix_(idx, idx)].copy()
    np.fill_diagonal(sim, 1.0)
    cannot = arts[:, None] == arts[None, :]
    if blocked is not None:  # pairs that cannot both be true (different values for one thing) never group
        cannot |= blocked[np.ix_(idx, idx)]
    np.fill_diagonal(cannot, False)
    if linkage == "complete":
        labels = complete_link(sim, threshold, cannot, floor)
    else:
        labels = cluster(sim, threshold, cannot)
    groups: dict[int, list[int]] = {}
    for k, lab in enumerate(labels):
        groups.setdefault(lab, []).append(claims[k])
    out = list(groups.values())
    if attach is not None:
        out = join_mutual_best(out, sim, arts, cannot, claims, attach)
    return out


def join_mutual_best(
    groups: list[list[int]], sim: np.ndarray, arts: np.ndarray, cannot: np.ndarray, claims: list[int], threshold: float
) -> list[list[int]]:
    """Merge the groups of every pair of claims of two articles that are each other's best match (P at least
    ``threshold``), surest pair first, unless the merged group would hold two claims of one article or a
    pair that cannot both be true, or the two groups read too little alike on average (``JOIN_MEAN``).
    ``sim``, ``arts`` and ``cannot`` are over ``claims`` (unit indexes); ``cannot`` holds every pair of two
    claims of one article, as ``cluster_claims`` builds it (not a claim with itself)."""
    pos = {u: k for k, u in enumerate(claims)}
    S = np.where(cannot | (arts[:, None] == arts[None, :]), -np.inf, sim)  # never itself, never its article
    pairs = []
    for a in range(len(claims)):
        b = int(np.argmax(S[a]))
        if not np.isfinite(S[a, b]) or S[a, b] < threshold:
            continue
        back = np.where(arts == arts[a], S[b], -np.inf)  # b's best among a's article
        if int(np.argmax(back)) == a:
            pairs.append((float(S[a, b]), min(a, b), max(a, b)))
    if not pairs:
        return groups
    root = list(range(len(groups)))
    members = [[pos[u] for u in g] for g in groups]
    where = {k: gi for gi, g in enumerate(members) for k in g}

    def find(x: int) -> int:
        while root[x] != x:
            x = root[x]
        return x

    for _, a, b in sorted(set(pairs), reverse=True):
        ra, rb = find(where[a]), find(where[b])
        if ra == rb:
            continue
        A, B = members[ra], members[rb]
        if cannot[np.ix_(A, B)].any():  # two claims of one article, or a pair that cannot both be true
            continue
        if float(sim[np.ix_(A, B)].mean()) < JOIN_MEAN:
            continue
        members[ra] = A + B
        members[rb] = []
        root[rb] = ra
    merged = [sorted(m) for m in members if m]
    merged.sort(key=lambda m: m[0])
    return [[claims[k] for k in m] for m in merged]


def status_of(members: Sequence[int], P: np.ndarray, outlets: Sequence[str], threshold: float) -> str:
    """consensus | single | partial for one group (see the module docstring)."""
    told_by = {outlets[i] for i in members}
    if len(told_by) >= 2:
        return "consensus"
    others = np.asarray([o not in told_by for o in outlets])
    if not others.any():
        return "single"
    best = float(P[np.asarray(members)][:, others].max())
    return "partial" if best >= threshold else "single"


def group_and_judge(
    P: np.ndarray,
    articles: Sequence[str],
    is_claim: Sequence[bool],
    thresholds: dict[str, float],
    outlets: Sequence[str] | None = None,
    blocked: np.ndarray | None = None,
    names: Sequence[frozenset[str]] | None = None,
) -> list[tuple[list[int], str]]:
    """Every claim group with its status. ``outlets`` (per unit) defaults to the articles; ``blocked``
    (units x units) marks pairs that must not share a group; ``names`` (per unit) are the names each
    sentence mentions."""
    outlets = list(outlets) if outlets is not None else list(articles)
    groups = cluster_claims(
        P, articles, is_claim, thresholds["group"], LINKAGE, thresholds.get("floor"), blocked, thresholds.get("attach")
    )
    judged = [(g, status_of(g, P, outlets, thresholds["single"])) for g in groups]
    return demote_neighbours(judged, outlets, names)


def demote_neighbours(
    judged: list[tuple[list[int], str]], outlets: Sequence[str], names: Sequence[frozenset[str]] | None = None
) -> list[tuple[list[int], str]]:
    """A ``single`` group next to a ``consensus`` sentence of its own article becomes ``partial``, unless
    it names something no other outlet names. Units are in text order within each article, so the
    neighbours are index +-1 with the same outlet (an article's sentences are contiguous)."""
    shared = {i for g, status in judged if status == "consensus" for i in g}
    named_by: dict[str, set[str]] = {}
    for i, o in enumerate(outlets):
        named_by.setdefault(o, set()).update(names[i] if names is not None else ())
    out = []
    for g, status in judged:
        if status == "single" and any(
            k in shared for i in g for k in (i - 1, i + 1) if 0 <= k < len(outlets) and outlets[k] == outlets[i]
        ):
            mine = {outlets[i] for i in g}
            elsewhere = set().union(*(v for o, v in named_by.items() if o not in mine))
            if names is None or not any(names[i] - elsewhere for i in g):
                status = "partial"
        out.append((g, status))
    return out
