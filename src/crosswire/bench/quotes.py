"""``crosswire bench quotes DIR``: attribution spans on PolNeAR (source, cue, content).

Scores ``extract_attributions`` (the trained CRF tagger plus linking, the same
code the story component uses) and, side by side in the same run, a plain regex
"X said ..." rule baseline. Per role, spans are compared as sets per article:

- exact: a predicted span counts when a gold span of that role has the same
  start and end; a discontinuous span is compared by its outer bounds (first
  start, last end) after merging fragments split only by whitespace;
- overlap: a predicted span is right when it overlaps a gold span of that role
  (precision), a gold span is found when a prediction overlaps it (recall).

Articles annotated by several annotators are scored against each annotator's
file and the counts averaged (each file weighs 1/k), so every article weighs the
same. Precision/recall/F1 are micro-averaged over all spans.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from crosswire.bench.common import Timer, prf
from crosswire.bench.polnear import ROLES, load_split

Char = tuple[int, int]


def _outer(span) -> Char:
    return (span[0][0], span[-1][1])


def _overlaps(a: Char, b: Char) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Scorer:
    def __init__(self) -> None:
        self.c: dict[str, float] = defaultdict(float)

    def add(self, pred: dict[str, set[Char]], gold: dict[str, set[Char]], weight: float) -> None:
        for role in ROLES:
            p, g = pred[role], gold[role]
            self.c[f"{role}_pred"] += weight * len(p)
            self.c[f"{role}_gold"] += weight * len(g)
            self.c[f"{role}_tp"] += weight * len(p & g)
            self.c[f"{role}_ov_p"] += weight * sum(1 for x in p if any(_overlaps(x, y) for y in g))
            self.c[f"{role}_ov_r"] += weight * sum(1 for y in g if any(_overlaps(x, y) for x in p))

    def result(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for role in ROLES:
            n_p, n_g = self.c[f"{role}_pred"], self.c[f"{role}_gold"]
            p, r, f = prf(self.c[f"{role}_tp"], n_p, n_g)
            out.update({f"{role}_p": p, f"{role}_r": r, f"{role}_f1": f})
            po = self.c[f"{role}_ov_p"] / n_p if n_p else 0.0
            ro = self.c[f"{role}_ov_r"] / n_g if n_g else 0.0
            fo = 2 * po * ro / (po + ro) if po + ro else 0.0
            out.update({f"{role}_overlap_p": po, f"{role}_overlap_r": ro, f"{role}_overlap_f1": fo})
        return out


# --- the rule baseline: a plain regex "X said" ------------------------------------------

_SAY = r"(?:said|says|told|added|claimed|stated|according to)"
_NAME = r"(?:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}|[Hh]e|[Ss]he|[Tt]hey)"
_QUOTE_BEFORE = re.compile(r"([\"“][^\"“”]+[\"”]),?\s+(" + _NAME + r")\s+(" + _SAY + r")")
_SAY_THAT = re.compile(r"(" + _NAME + r")\s+(" + _SAY + r")\s+(?:that\s+)?([^.\n]+)")


def rule_baseline(text: str) -> dict[str, set[Char]]:
    out: dict[str, set[Char]] = {r: set() for r in ROLES}
    for m in _QUOTE_BEFORE.finditer(text):
        out["content"].add(m.span(1))
        out["source"].add(m.span(2))
        out["cue"].add(m.span(3))
    for m in _SAY_THAT.finditer(text):
        out["source"].add(m.span(1))
        out["cue"].add(m.span(2))
        out["content"].add(m.span(3))
    return out


def _system_spans(attrs: Iterable) -> dict[str, set[Char]]:
    out: dict[str, set[Char]] = {r: set() for r in ROLES}
    for a in attrs:
        for role in ROLES:
            span = getattr(a, role)
            if span:
                out[role].add(tuple(span))
    return out


def _train_articles() -> int | None:
    import json

    from crosswire.analysis.quotes.tagger import DATA_DIR, META

    try:
        return json.loads((DATA_DIR / META).read_text(encoding="utf-8")).get("train_articles")
    except (OSError, ValueError):
        return None


def run(directory: str, limit: int | None = None) -> dict[str, Any]:
    from crosswire.analysis.quotes import extract_attributions
    from crosswire.nlp import Language

    docs = load_split(directory, limit)
    lang = Language()
    system, baseline = Scorer(), Scorer()
    multi = 0
    with Timer() as t:
        parsed = lang.parse_many([d.text for d in docs])
        for pdoc, sdoc in zip(docs, parsed):
            pred = _system_spans(extract_attributions(sdoc))
            base = rule_baseline(pdoc.text)
            k = len(pdoc.spans)
            multi += k > 1
            for by_role in pdoc.spans.values():
                gold = {r: {_outer(s) for s in by_role[r]} for r in ROLES}
                system.add(pred, gold, 1.0 / k)
                baseline.add(base, gold, 1.0 / k)
    result: dict[str, Any] = {
        "articles": len(docs),
        "multi_annotator_articles": multi,
        "note": "articles with several annotator files: scored against each, counts averaged",
    }
    result["model_train_articles"] = _train_articles()
    result.update(system.result())
    result["seconds"] = round(t.seconds, 1)
    result["baseline"] = {"name": "regex 'X said' rule", **baseline.result()}
    return result
