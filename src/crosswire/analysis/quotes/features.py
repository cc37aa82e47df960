"""Token features for the attribution tagger (one CRF per role over spaCy tokens).

Besides the usual word, lemma, tag and neighbour features, every token is
described relative to the nearest *cue-like* word above it in the dependency
tree (a lemma that is often an attribution cue in the training data: "say",
"according", "claim", "tell"...): which branch of that word it hangs from
(nsubj -> source, ccomp/dobj -> content), on which side it is, and whether it
opens or closes that branch. Quotation marks add whether a token is inside a
quote and where that quote starts and ends.
"""

from __future__ import annotations

from collections.abc import Sequence

from crosswire.analysis.quotes.marks import ALL_MARKS, quote_index

CUE_MIN = 0.15  # lexicon probability above which a lemma counts as cue-like


def _bucket(p: float) -> str:
    if p <= 0.0:
        return "0"
    if p < 0.05:
        return "1"
    if p < 0.15:
        return "2"
    if p < 0.35:
        return "3"
    if p < 0.6:
        return "4"
    return "5"


def _shape(text: str) -> str:
    out = []
    for ch in text[:6]:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _cue_ancestors(tok, lex: dict[str, float]):
    """Cue-like words above (or at) ``tok``: list of (ancestor, child on the path or None)."""
    found = []
    child = None
    cur = tok
    for _ in range(40):
        if lex.get(cur.lemma_.lower(), 0.0) >= CUE_MIN and cur.pos_ in ("VERB", "NOUN", "ADP", "ADJ", "AUX", "PROPN"):
            found.append((cur, child))
            if len(found) == 2:
                break
        if cur.head.i == cur.i:
            break
        child, cur = cur, cur.head
    return found


def _base(tok, lex, qidx) -> list[str]:
    lower = tok.lower_
    lemma = tok.lemma_.lower()
    p = lex.get(lemma, 0.0)
    q = qidx[tok.idx] if tok.idx < len(qidx) else 0
    f = [
        "w=" + lower,
        "lem=" + lemma,
        "pos=" + tok.pos_,
        "tag=" + tok.tag_,
        "dep=" + tok.dep_,
        "shp=" + _shape(tok.text),
        "lex=" + _bucket(p),
        "q=" + ("1" if q else "0"),
        "ent=" + (tok.ent_iob_ + tok.ent_type_ if tok.ent_type_ else "O"),
        "hdep=" + tok.dep_ + "_" + tok.head.pos_,
        "hlex=" + _bucket(lex.get(tok.head.lemma_.lower(), 0.0)),
    ]
    if tok.text in ALL_MARKS:
        f.append("mark")
    if lex.get(tok.head.lemma_.lower(), 0.0) >= CUE_MIN:
        f.append("hlem=" + tok.head.lemma_.lower())
    if tok.is_sent_start:
        f.append("sstart")
    if tok.i + 1 >= len(tok.doc) or tok.doc[tok.i + 1].is_sent_start:
        f.append("send")
    if q:
        # first/last word inside the quote region
        prev_q = qidx[tok.doc[tok.i - 1].idx] if tok.i > 0 else 0
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        next_q = qidx[nxt.idx] if nxt is not None and nxt.idx < len(qidx) else 0
        if prev_q != q:
            f.append("qopen")
        if next_q != q:
            f.append("qclose")
    return f


def _tree(tok, lex) -> list[str]:
    f = []
    anc = _cue_ancestors(tok, lex)
    if not anc:
        f.append("anc=none")
        return f
    for depth, (a, child) in enumerate(anc):
        tag = f"a{depth}"
        rel = "self" if child is None else child.dep_
        side = "self" if child is None else ("L" if tok.i < a.i else "R")
        f.append(f"{tag}rel={rel}")
        f.append(f"{tag}side={side}")
        f.append(f"{tag}rs={rel}_{side}")
        if depth == 0:
            f.append(f"{tag}lex={_bucket(lex.get(a.lemma_.lower(), 0.0))}")
            f.append(f"{tag}lem={a.lemma_.lower()}")
            if child is not None:
                if child.left_edge.i == tok.i:
                    f.append(f"{tag}ledge={rel}")
                if child.right_edge.i == tok.i:
                    f.append(f"{tag}redge={rel}")
            dist = abs(tok.i - a.i)
            f.append(f"{tag}d=" + ("1" if dist <= 1 else "3" if dist <= 3 else "8" if dist <= 8 else "far"))
    return f


def doc_features(doc, lex: dict[str, float]) -> list[list[str]]:
    """Feature strings for every token of a spaCy Doc."""
    qidx = quote_index(doc.text)
    base = [_base(t, lex, qidx) for t in doc]
    tree = [_tree(t, lex) for t in doc]
    out: list[list[str]] = []
    n = len(doc)
    for i in range(n):
        f = ["bias"] + base[i] + tree[i]
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                bj = base[j]
                f.append(f"{off}:{bj[0]}")
                f.append(f"{off}:{bj[2]}")
                if abs(off) == 1:
                    f.append(f"{off}:{bj[4]}")
                    f.append(f"{off}:{bj[6]}")
                    f.append(f"{off}:{bj[7]}")
                    f.append(f"{off}:{tree[j][0]}")
            else:
                f.append(f"{off}:pad")
        out.append(f)
    return out


def _dist(d: int | None) -> str:
    if d is None:
        return "none"
    return "0" if d == 0 else "1" if d <= 1 else "3" if d <= 3 else "8" if d <= 8 else "20" if d <= 20 else "far"


def cue_features(doc, cues: Sequence[tuple[int, int]]) -> list[list[str]]:
    """Features of every token relative to given cue token spans (gold when training, tagged
    when predicting): inside a cue, distance to the nearest cue on each side, and the branch
    of a cue the token hangs from."""
    n = len(doc)
    cue_of = [-1] * n
    for k, (s, e) in enumerate(cues):
        for i in range(s, e):
            cue_of[i] = k
    left = [None] * n
    last = None
    for i in range(n):
        if cue_of[i] >= 0:
            last = i
        left[i] = None if last is None else i - last
    right = [None] * n
    nxt = None
    for i in range(n - 1, -1, -1):
        if cue_of[i] >= 0:
            nxt = i
        right[i] = None if nxt is None else nxt - i
    out = []
    for tok in doc:
        i = tok.i
        if cue_of[i] >= 0:
            s, e = cues[cue_of[i]]
            f = ["incue", "incue_first" if i == s else "incue_in", *(["incue_last"] if i == e - 1 else [])]
        else:
            f = ["cL=" + _dist(left[i]), "cR=" + _dist(right[i])]
            child, cur, rel = None, tok, "none"
            for _ in range(8):
                if cue_of[cur.i] >= 0:
                    rel = "self" if child is None else child.dep_
                    side = "L" if i < cur.i else "R"
                    f.append(f"crel={rel}")
                    f.append(f"crs={rel}_{side}")
                    f.append("clem=" + cur.lemma_.lower())
                    if child is not None and child.left_edge.i == i:
                        f.append(f"cledge={rel}")
                    if child is not None and child.right_edge.i == i:
                        f.append(f"credge={rel}")
                    break
                if cur.head.i == cur.i:
                    break
                child, cur = cur, cur.head
            if rel == "none":
                f.append("crel=none")
        out.append(f)
    return out


def sequences(doc) -> list[tuple[int, int]]:
    """Token ranges fed to the CRF as one sequence: paragraphs (split at blank lines), capped in length."""
    out: list[tuple[int, int]] = []
    start = 0
    n = len(doc)
    for i, tok in enumerate(doc):
        brk = tok.is_space and tok.text.count("\n") >= 1
        too_long = i - start >= 250 and tok.is_sent_start
        if brk or too_long:
            if i > start:
                out.append((start, i if brk else i))
            start = i + 1 if brk else i
    if start < n:
        out.append((start, n))
    return out


def token_labels(doc, spans: Sequence[tuple[int, int]]) -> list[str]:
    """BIO labels of the tokens for character spans of one role (first span wins on overlap)."""
    labels = ["O"] * len(doc)
    for s, e in sorted(spans):
        first = True
        for tok in doc.char_span(s, e, alignment_mode="expand") or []:
            if tok.is_space:
                continue
            if labels[tok.i] != "O":
                first = False
                continue
            labels[tok.i] = "B" if first else "I"
            first = False
    return labels
