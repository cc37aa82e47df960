"""Held-out figures of a quote tagger under every linking variant, with the bench's scorer (tagger +
linking, exact and overlap F1). Shared by ``train_quote_tagger.py`` (after every epoch) and
``quote_tagger_unpack.py`` (the exported ONNX models).
"""

from __future__ import annotations

import time
from dataclasses import replace

from crosswire.analysis.quotes import neural

VARIANTS = {  # switches of the linking (analysis/quotes/attributions.py LinkOptions) to compare
    "link": {},
    "link_no_snap": {"snap_start": False, "snap_end": False},
    "link_no_subject": {"subject_fallback": False},
    "link_no_snap_no_subject": {"snap_start": False, "snap_end": False, "subject_fallback": False},
    "link_keep_orphans": {"drop_orphan_sources": False},
}


def score_heldout(docs, pdocs, tagged_per_doc, rules_lexicon) -> dict[str, dict[str, float]]:
    from crosswire.analysis.quotes.attributions import CRF_LINK, _with_rules, link
    from crosswire.bench.quotes import ROLES, Scorer, _outer, _system_spans

    out: dict[str, dict[str, float]] = {}
    for name, flags in VARIANTS.items():
        for rules in (False, True):
            opts = replace(CRF_LINK, use_rules=rules, **flags)
            scorer = Scorer()
            for doc, pdoc, tagged in zip(docs, pdocs, tagged_per_doc):
                attrs = link(doc, tagged, opts)
                if rules:
                    attrs = _with_rules(doc, attrs, rules_lexicon)
                pred = _system_spans(attrs)
                k = len(pdoc.spans)
                for by_role in pdoc.spans.values():
                    scorer.add(pred, {r: {_outer(s) for s in by_role[r]} for r in ROLES}, 1.0 / k)
            res = scorer.result()
            out[name + ("+rules" if rules else "")] = {k: round(v, 4) for k, v in res.items()}
    return out


def link_flags(variant: str) -> dict:
    """LinkOptions fields of a variant name such as ``link_no_snap+rules``."""
    name, _, rules = variant.partition("+")
    return {**VARIANTS[name], "use_rules": bool(rules)}


def heldout_figures(docs, pdocs, pieces, max_len, logits_fn, rules_lexicon) -> dict:
    per_doc = [neural.windows(d, pieces, max_len) for d in docs]
    flat = [w for ws in per_doc for w in ws]
    t0 = time.time()
    logits = logits_fn(flat)
    seconds = time.time() - t0
    tagged_per_doc = neural.decode_docs(per_doc, logits)
    sents = sum(1 for d in docs for _ in d.sents)
    figs = score_heldout(docs, pdocs, tagged_per_doc, rules_lexicon)
    figs["_speed"] = {
        "sentences": sents,
        "model_seconds": round(seconds, 1),
        "sentences_per_second": round(sents / seconds, 1),
    }
    return figs


def brief(figs: dict, key: str = "link") -> str:
    f = figs[key]
    return (
        " / ".join(f"{f[r + '_f1']:.3f}" for r in neural.ROLES)
        + " (overlap "
        + " / ".join(f"{f[r + '_overlap_f1']:.3f}" for r in neural.ROLES)
        + ")"
    )
