"""``crosswire bench quotes DIR``: attribution spans on PolNeAR (source, cue, content).

Scores ``extract_attributions`` with the neural tagger (fine-tuned MiniLM, int8
ONNX, plus linking: the same code the story component uses) as crosswire's
system and, side by side in the same run, two baselines: the earlier CRF tagger
with its linking (``baseline_crf``, the same keys) and a plain regex "X said ..."
rule (``baseline``). Per role, spans are compared as sets per article:

- exact: a predicted span counts when a gold span of that role has the same
  start and end; a discontinuous span is compared by its outer bounds (first
  start, last end) after merging fragments split only by whitespace;
- overlap: a predicted span is right when it overlaps a gold span of that role
  (precision), a gold span is found when a prediction overlaps it (recall).

Articles annotated by several annotators are scored against each annotator's
file and the counts averaged (each file weighs 1/k), so every article weighs the
same. Precision/recall/F1 are micro-averaged over all spans.

``speaker_resolution`` (``bench/speakers.py``): do the pronoun and title sources ("he", "the
Indiana governor") of the dev split resolve to the right person or body, with the CRF's
attributions and the story component's resolver; nearest preceding PERSON as the baseline.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from crosswire.bench import speakers
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


def _model_train_articles() -> dict[str, int | None]:
    import json

    from crosswire.analysis.quotes.neural import META_FILE, MODEL_DIR
    from crosswire.analysis.quotes.tagger import DATA_DIR, META

    out: dict[str, int | None] = {}
    for name, path, key in (("neural", MODEL_DIR / META_FILE, "data"), ("crf", DATA_DIR / META, None)):
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
            out[name] = meta[key]["train_articles"] if key else meta.get("train_articles")
        except (OSError, ValueError, KeyError, TypeError):
            out[name] = None
    return out


def run(directory: str, limit: int | None = None) -> dict[str, Any]:
    from crosswire.analysis.quotes.attributions import extract_attributions_many
    from crosswire.nlp import Language

    docs = load_split(directory, limit)
    lang = Language()
    system, crf, baseline = Scorer(), Scorer(), Scorer()
    multi = 0
    with Timer() as t_parse:
        parsed = lang.parse_many([d.text for d in docs])
    with Timer() as t_neural:
        neural_attrs = extract_attributions_many(parsed, "neural")
    with Timer() as t_crf:
        crf_attrs = extract_attributions_many(parsed, "crf")
    for pdoc, n_attrs, c_attrs in zip(docs, neural_attrs, crf_attrs):
        pred, pred_crf = _system_spans(n_attrs), _system_spans(c_attrs)
        base = rule_baseline(pdoc.text)
        k = len(pdoc.spans)
        multi += k > 1
        for by_role in pdoc.spans.values():
            gold = {r: {_outer(s) for s in by_role[r]} for r in ROLES}
            system.add(pred, gold, 1.0 / k)
            crf.add(pred_crf, gold, 1.0 / k)
            baseline.add(base, gold, 1.0 / k)
    sentences = sum(1 for d in parsed for _ in d.sents)
    trained = _model_train_articles()
    result: dict[str, Any] = {
        "articles": len(docs),
        "multi_annotator_articles": multi,
        "note": "articles with several annotator files: scored against each, counts averaged",
        "system": "neural tagger (fine-tuned MiniLM, int8 ONNX) + linking",
    }
    result["model_train_articles"] = trained["neural"]
    result.update(system.result())
    result["sentences"] = sentences
    result["seconds"] = round(t_parse.seconds + t_neural.seconds + t_crf.seconds, 1)
    result["seconds_parse"] = round(t_parse.seconds, 1)
    result["seconds_tagging"] = round(t_neural.seconds, 1)
    result["sentences_per_second"] = round(sentences / t_neural.seconds, 1) if t_neural.seconds else None
    result["baseline_crf"] = {
        "name": "CRF tagger (python-crfsuite) + linking, the earlier system",
        "model_train_articles": trained["crf"],
        **crf.result(),
        "seconds_tagging": round(t_crf.seconds, 1),
    }
    result["baseline"] = {"name": "regex 'X said' rule", **baseline.result()}
    with Timer() as t_speakers:
        resolution = speakers.score(docs, parsed, crf_attrs, lang)
    result["speaker_resolution"] = {**resolution, "seconds": round(t_speakers.seconds, 1)}
    return result
