"""Scoring of a dossier's verdicts against careful readers' gold (../shared/bench/verdicts/).

The same rules as the reference scorer ``score.py`` beside the gold, so that ``crosswire bench verdicts``
gives the same figures on the same dossier (a test checks it): every gold quote is located in the
cleaned article text and widened to its sentence; a crosswire span "touches" a gold quote when it
overlaps that sentence region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SENT_END = re.compile(r'[.!?]["”’)\]]*\s+(?=["“‘(\[]?[A-Z0-9])|\n\s*\n')

Region = tuple[str, int, int]  # (dossier article id, start, end)


def sentence_region(text: str, start: int, end: int) -> tuple[int, int]:
    lo = 0
    for m in SENT_END.finditer(text, 0, start):
        lo = m.end()
    m = SENT_END.search(text, end)
    hi = m.start() + 1 if m else len(text)
    return (min(lo, start), max(hi, end))


def locate(text: str, quote: str) -> tuple[int, int] | None:
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    pat = re.escape(re.sub(r"\s+", " ", quote.strip()))
    pat = pat.replace(r"\ ", r"\s+")
    for a, b in (("“", '"'), ("”", '"'), ("’", "'"), ("‘", "'")):
        pat = pat.replace(re.escape(a), "[" + re.escape(a + b) + "]").replace(
            re.escape(b), "[" + re.escape(a + b) + "]"
        )
    m = re.search(pat, text)
    return (m.start(), m.end()) if m else None


@dataclass
class Judged:
    """Per-verdict outcomes, for reading the errors (not part of the reference scorer's output)."""

    conflicts: list[dict[str, Any]] = field(default_factory=list)
    singles: list[dict[str, Any]] = field(default_factory=list)
    consensus: list[dict[str, Any]] = field(default_factory=list)
    missed_conflicts: list[dict[str, Any]] = field(default_factory=list)
    missed_shared: list[dict[str, Any]] = field(default_factory=list)


def score(gold_articles: dict[str, dict], gold: list[dict], dossier: dict, judged: Judged | None = None) -> dict:
    """The reference figures for ``dossier`` (its JSON form) against the gold stories."""
    by_gold: dict[str, dict] = {}
    for a in dossier["articles"]:
        gid = (a.get("extra") or {}).get("id")
        if gid in gold_articles:
            by_gold[gid] = a
    for gid, ga in gold_articles.items():
        if gid not in by_gold:
            for a in dossier["articles"]:
                if ga.get("url") and a.get("url") == ga["url"]:
                    by_gold[gid] = a
                    break
    unmatched = 0

    def region(q: dict) -> Region | None:
        nonlocal unmatched
        a = by_gold.get(q["article"])
        if a is None:
            unmatched += 1
            return None
        loc = locate(a["text"], q["quote"])
        if loc is None:
            unmatched += 1
            return None
        return (a["id"],) + sentence_region(a["text"], *loc)

    def touches(span: dict, reg: Region | None) -> bool:
        return reg is not None and span["article"] == reg[0] and span["start"] < reg[2] and span["end"] > reg[1]

    def touch_any(spans: list[dict], reg: Region | None) -> bool:
        return any(touches(s, reg) for s in spans)

    gold_story_articles = {by_gold[aid]["id"] for s in gold for aid in s["articles"] if aid in by_gold}
    all_conflicts: list[tuple[Region | None, Region | None]] = []
    conflict_info: list[dict] = []
    all_shared: list[list[Region]] = []
    shared_info: list[dict] = []
    all_excl: list[Region] = []
    for gs in gold:
        for c in gs.get("conflicts", []):
            all_conflicts.append((region(c["a"]), region(c["b"])))
            conflict_info.append({"story": gs["story"], **c})
        for f in gs.get("shared", []):
            all_shared.append([r for r in (region(q) for q in f["quotes"]) if r])
            shared_info.append({"story": gs["story"], "fact": f["fact"]})
        for e in gs.get("exclusive", []):
            r = region(e)
            if r:
                all_excl.append(r)
    conf_pred = conf_true = 0
    excl_right = excl_wrong = excl_unjudged = 0
    cons_right = cons_wrong = cons_unjudged = 0
    hit_conf: set[int] = set()
    hit_shared: set[int] = set()
    hit_excl: set[int] = set()
    for st in dossier["stories"]:
        if not set(st["articles"]) & gold_story_articles:
            continue
        claims = {c["id"]: c for c in st.get("claims", [])}
        groups = {g["id"]: g for g in st.get("claim_groups", [])}

        def group_spans(gid: str, groups: dict = groups, claims: dict = claims) -> list[dict]:
            g = groups.get(gid, {})
            out = [claims[c]["span"] for c in g.get("claims", []) if c in claims]
            return out or list(g.get("citations", []))

        for c in st.get("conflicts", []):
            conf_pred += 1
            sides = [group_spans(g) for g in c.get("groups", [])[:2]]
            if len(sides) < 2 or not all(sides):
                sides = [c.get("citations", []), c.get("citations", [])]
            ok = False
            matched = []
            for k, (ra, rb) in enumerate(all_conflicts):
                if (touch_any(sides[0], ra) and touch_any(sides[1], rb)) or (
                    touch_any(sides[0], rb) and touch_any(sides[1], ra)
                ):
                    ok = True
                    hit_conf.add(k)
                    matched.append(k)
            conf_true += ok
            if judged is not None:
                judged.conflicts.append(
                    {"story": st["id"], "kind": c.get("kind"), "what": c.get("what"), "right": ok, "gold": matched}
                )
        for g in st.get("claim_groups", []):
            sp = group_spans(g["id"])
            if g.get("status") == "single":
                in_shared = any(touch_any(sp, r) for f in all_shared for r in f)
                in_excl = [k for k, r in enumerate(all_excl) if touch_any(sp, r)]
                if in_excl:
                    hit_excl.update(in_excl)
                if in_shared and not in_excl:
                    excl_wrong += 1
                    verdict = "wrong"
                elif in_excl and not in_shared:
                    excl_right += 1
                    verdict = "right"
                else:
                    excl_unjudged += 1
                    verdict = "unjudged"
                if judged is not None and verdict != "unjudged":
                    judged.singles.append({"story": st["id"], "label": g.get("label"), "verdict": verdict})
            elif g.get("status") == "consensus":
                per_claim = [{k for k, f in enumerate(all_shared) if any(touches(x, r) for r in f)} for x in sp]
                judged_sets = [fs for fs in per_claim if fs]
                common = set.intersection(*judged_sets) if judged_sets else set()
                facts2 = [k for k in common if len({r[0] for r in all_shared[k] if touch_any(sp, r)}) >= 2]
                split_conflict = any(
                    touch_any(sp, ra) and touch_any(sp, rb) for ra, rb in all_conflicts if ra and rb and ra != rb
                )
                if split_conflict or (len(judged_sets) >= 2 and not common):
                    cons_wrong += 1
                    verdict = "wrong"
                elif facts2:
                    cons_right += 1
                    hit_shared.update(facts2)
                    verdict = "right"
                else:
                    cons_unjudged += 1
                    verdict = "unjudged"
                if judged is not None and verdict != "unjudged":
                    judged.consensus.append(
                        {
                            "story": st["id"],
                            "label": g.get("label"),
                            "verdict": verdict,
                            "split_conflict": split_conflict,
                            "claims": len(sp),
                        }
                    )
    if judged is not None:
        judged.missed_conflicts = [conflict_info[k] for k in range(len(all_conflicts)) if k not in hit_conf]
        judged.missed_shared = [shared_info[k] for k in range(len(all_shared)) if k not in hit_shared]

    def div(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    return {
        "stories": len(gold),
        "unmatched_quotes": unmatched,
        "conflict_precision": div(conf_true, conf_pred),
        "conflicts_predicted": conf_pred,
        "conflict_recall": div(len(hit_conf), len(all_conflicts)),
        "conflicts_gold": len(all_conflicts),
        "shared_recall": div(len(hit_shared), len(all_shared)),
        "shared_gold": len(all_shared),
        "exclusive_precision": div(excl_right, excl_right + excl_wrong),
        "exclusive_judged": excl_right + excl_wrong,
        "exclusive_unjudged": excl_unjudged,
        "exclusive_recall": div(len(hit_excl), len(all_excl)),
        "exclusive_gold": len(all_excl),
        "consensus_precision": div(cons_right, cons_right + cons_wrong),
        "consensus_judged": cons_right + cons_wrong,
        "consensus_unjudged": cons_unjudged,
    }
