"""The plain baseline the story benchmark compares against: single-pass TF-IDF centroids.

Each article (words only, incremental IDF) joins the open cluster whose TF-IDF
centroid is most similar if the cosine passes ``threshold``, else opens a new
one. No names, no embeddings, no time, no candidate index.
"""

from __future__ import annotations

import math
from collections import Counter

from crosswire.group.features import sparse, words

BASELINE_THRESHOLD = 0.25  # chosen like crosswire's defaults: on the odd-numbered ECB+ topics


def tfidf_single_pass(texts: list[str], threshold: float = BASELINE_THRESHOLD) -> list[int]:
    df: Counter = Counter()
    n = 0
    cents: list[dict[str, float]] = []
    norms: list[float] = []
    labels: list[int] = []
    for text in texts:
        tf = sparse(Counter(words(text)))
        n += 1
        df.update(tf.keys())
        v = {t: x * (math.log((n + 1) / (df[t] + 1)) + 1.0) for t, x in tf.items()}
        nv = math.sqrt(sum(x * x for x in v.values())) or 1.0
        v = {t: x / nv for t, x in v.items()}
        best, best_s = -1, -1.0
        for i, c in enumerate(cents):
            s = sum(x * c.get(t, 0.0) for t, x in v.items()) / (math.sqrt(norms[i]) or 1.0)
            if s > best_s:
                best, best_s = i, s
        if best < 0 or best_s < threshold:
            cents.append({})
            norms.append(0.0)
            best = len(cents) - 1
        c = cents[best]
        n2 = norms[best]
        for t, x in v.items():
            old = c.get(t, 0.0)
            c[t] = old + x
            n2 += 2 * old * x + x * x
        norms[best] = n2
        labels.append(best)
    return labels
