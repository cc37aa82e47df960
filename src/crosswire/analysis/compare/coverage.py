"""Coverage: outlets x claim groups, what each outlet alone reports, what it leaves out that
most others report, and its distinctive wording for the same things.

Wording is found from the data: claims that say the same thing (one group, or
near-paraphrases across outlets) are aligned word by word, and a short stretch
one outlet writes where the others write another becomes a wording entry
("Kiev" / "Kyiv"); differing titles for one person come from the title uses.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from typing import Any

import numpy as np

from crosswire.analysis.compare import titles
from crosswire.analysis.context import StoryContext
from crosswire.model import ClaimGroup, Coverage

MIN_OVERLAP = 0.3  # share of aligned words two claims of one group need before their differences count
MAX_TERM_WORDS = 3
MAX_EDIT = 2  # spelling variants of one name ("Kiev" / "Kyiv"): at most this many edits
_WORD = re.compile(r"[\w’'-]+")
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "in",
    "on",
    "and",
    "or",
    "that",
    "with",
    "for",
    "as",
    "by",
    "at",
    "from",
    "is",
    "was",
    "were",
    "be",
    "been",
    "has",
    "had",
    "have",
    "it",
    "its",
    "he",
    "his",
    "she",
    "her",
    "they",
    "their",
    "this",
    "also",
    "said",
    "says",
    "would",
    "will",
    "which",
    "who",
    "but",
    "about",
    "into",
    "after",
    "before",
}


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]


def _substantive(words: list[str]) -> bool:
    if not all(any(ch.isalnum() for ch in w) for w in words):
        return False
    return any(w.lower() not in _STOP and not w.isdigit() for w in words)


def aligned_terms(a: str, b: str) -> list[tuple[str, str]]:
    """Short stretches where two aligned statements differ: [("Kiev", "Kyiv"), ...]."""
    wa, wb = [w for w, _, _ in _words(a)], [w for w, _, _ in _words(b)]
    sm = difflib.SequenceMatcher(a=[w.lower() for w in wa], b=[w.lower() for w in wb], autojunk=False)
    out: list[tuple[str, str]] = []
    if sm.ratio() < MIN_OVERLAP:
        return out
    ops = sm.get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace":
            continue
        if not (0 < i2 - i1 <= MAX_TERM_WORDS and 0 < j2 - j1 <= MAX_TERM_WORDS):
            continue
        # anchored: equal words on both sides
        if not (k > 0 and ops[k - 1][0] == "equal") or not (k + 1 < len(ops) and ops[k + 1][0] == "equal"):
            continue
        ta, tb = wa[i1:i2], wb[j1:j2]
        if not (_substantive(ta) and _substantive(tb)):
            continue
        if len(ta) == len(tb) == 1 and ta[0][:4].lower() == tb[0][:4].lower():
            continue  # inflection ("cause" / "causes"), not a different word
        out.append((" ".join(ta), " ".join(tb)))
    return out


def build_coverage(
    ctx: StoryContext, groups: list[ClaimGroup], emb: np.ndarray, title_uses: list[titles.TitleUse]
) -> Coverage:
    claims = ctx.story.claims
    outlets: list[str] = []
    for a in ctx.articles:
        o = a.outlet
        if o not in outlets and not a.duplicate_of:
            outlets.append(o)
    matrix: dict[str, list[str]] = {o: [] for o in outlets}
    reporters: dict[str, set[str]] = {}
    for g in groups:
        idx = {cid for cid in g.claims}
        who = {ctx.counted_outlet(c.span.article) for c in claims if c.id in idx}
        reporters[g.id] = who
        for o in who:
            matrix.setdefault(o, [])
            if g.id not in matrix[o]:
                matrix[o].append(g.id)
    # exclusive: only what was checked against the whole text of the other outlets (status single);
    # an omission: a fact most others report of which the outlet's whole text has nothing close
    exclusive = {o: [g.id for g in groups if reporters[g.id] == {o} and g.status == "single"] for o in matrix}
    omissions: dict[str, list[str]] = {}
    for o in matrix:
        others = [x for x in matrix if x != o]
        need = max(2, len(others) // 2 + 1)  # "most others": more than half of them, at least two
        omissions[o] = [
            g.id
            for g in groups
            if g.status == "consensus"
            and o not in reporters[g.id]
            and len(reporters[g.id] - {o}) >= need
            and not _close_in_outlet(ctx, g, o)
        ]
    return Coverage(
        outlets=list(matrix),
        matrix=matrix,
        exclusive=exclusive,
        omissions=omissions,
        wording=_wording(claims, groups, emb, title_uses, _docs_by_outlet(ctx)),
    )


def _close_in_outlet(ctx: StoryContext, group: ClaimGroup, outlet: str) -> bool:
    """Does the outlet's whole text (every sentence, not only its claims) say something close to the group?"""
    m = ctx.sentence_matches
    if m is None:
        return False
    mine = {a.id for a in ctx.articles if ctx.counted_outlet(a.id) == outlet}
    index = {c.id: k for k, c in enumerate(ctx.story.claims)}
    limit = m.thresholds.get("single", 0.5)
    return any(m.best_in(m.claim_sentence[index[cid]], mine) >= limit for cid in group.claims if cid in index)


def _docs_by_outlet(ctx: StoryContext) -> dict[str, list[tuple[str, Any]]]:
    out: dict[str, list[tuple[str, Any]]] = {}
    for a in ctx.articles:
        if not a.duplicate_of:
            out.setdefault(a.outlet, []).append((a.id, ctx.doc(a.id)))
    return out


def spelling_variants(docs_by_outlet: dict[str, list[tuple[str, Any]]]):
    """Names one outlet spells differently from the others ("Kiev" where others write "Kyiv").

    ``docs_by_outlet``: outlet -> [(article id, spaCy doc)]. A variant is a one-word
    name of the same entity label, within MAX_EDIT edits of the other, that the other
    outlets never write.
    """
    from rapidfuzz.distance import Levenshtein

    names: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = {}
    texts: dict[str, str] = {}
    for outlet, docs in docs_by_outlet.items():
        bucket = names.setdefault(outlet, {})
        texts[outlet] = " ".join(d.text for _, d in docs)
        for aid, doc in docs:
            for ent in doc.ents:
                if (
                    len(ent) == 1
                    and ent.label_ in ("GPE", "PERSON", "ORG", "NORP", "LOC")
                    and len(ent.text) >= 4
                    and ent.text.isalpha()
                ):
                    bucket.setdefault((ent.text, ent.label_), []).append(
                        {"article": aid, "start": ent.start_char, "end": ent.end_char}
                    )
    for outlet, bucket in names.items():
        for (term, _label), cites in bucket.items():
            if any(re.search(rf"\b{re.escape(term)}\b", texts[o]) for o in names if o != outlet):
                continue
            for other_outlet, other_bucket in names.items():
                if other_outlet == outlet:
                    continue
                for other, _olabel in other_bucket:
                    if (
                        other != term
                        and other[0].lower() == term[0].lower()
                        and Levenshtein.distance(term.lower(), other.lower()) <= MAX_EDIT
                        and not re.search(rf"\b{re.escape(other)}\b", texts[outlet])
                    ):
                        users = sorted(o for o, b in names.items() if o != outlet and any(k[0] == other for k in b))
                        yield outlet, term, other, cites[:5], users
                        break
                else:
                    continue
                break


def _wording(claims, groups, emb, title_uses, ctx_docs) -> dict[str, list[dict[str, Any]]]:
    # every pair of claims: bounded by the claims cap (crosswire.analysis.claims.MAX_CLAIMS)
    group_of = {cid: g.id for g in groups for cid in g.claims}
    # (outlet, its term, others' term) -> citations and the other outlets
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    n = len(claims)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = claims[i], claims[j]
            if a.source == b.source:
                continue
            if group_of.get(a.id) != group_of.get(b.id):
                continue
            for ta, tb in aligned_terms(a.text, b.text):
                for x, tx, ty, _cx, other in ((a, ta, tb, a, b.source), (b, tb, ta, b, a.source)):
                    key = (x.source, tx, ty)
                    entry = found.setdefault(
                        key, {"term": tx, "others_use": ty, "other_outlets": [], "citations": [], "kind": "wording"}
                    )
                    if other not in entry["other_outlets"]:
                        entry["other_outlets"].append(other)
                    pos = x.text.find(tx)
                    if pos >= 0:
                        cite = {
                            "article": x.span.article,
                            "start": x.span.start + pos,
                            "end": x.span.start + pos + len(tx),
                        }
                        if cite not in entry["citations"]:
                            entry["citations"].append(cite)
    for _example, minority, majority in titles.title_conflicts(title_uses):
        for u in minority:
            key = (u.outlet, u.title, majority[0].title)
            entry = found.setdefault(
                key,
                {
                    "term": u.title,
                    "others_use": majority[0].title,
                    "other_outlets": [],
                    "citations": [],
                    "kind": "title",
                },
            )
            for m in majority:
                if m.outlet not in entry["other_outlets"]:
                    entry["other_outlets"].append(m.outlet)
            entry["citations"].append({"article": u.span.article, "start": u.span.start, "end": u.span.end})
    for outlet, term, other_term, cites, others in spelling_variants(ctx_docs):
        entry = found.setdefault(
            (outlet, term, other_term),
            {"term": term, "others_use": other_term, "other_outlets": others, "citations": cites, "kind": "spelling"},
        )
    # a term is distinctive when the outlet's term is not also used by the outlets it is compared with
    wording: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (outlet, _term, _), entry in sorted(found.items()):
        wording[outlet].append(entry)
    return dict(wording)
