"""From tagged spans to attributions: link each source and content to a cue.

``extract_attributions(doc_or_text)`` works on any text (no story needed); the
benchmark calls it on raw PolNeAR articles and the story component on cleaned
articles. Character offsets are into ``doc.text``.

Conventions (they follow PolNeAR's): a direct quote's content includes its
quotation marks; a quote interrupted by its attribution (``"It was frustrating,"
Scholz told RTL, "because ..."``) is ONE attribution whose ``content_parts`` are
the two quoted pieces, and whose ``content`` spans from the first to the last
piece; a quote running over several sentences or paragraphs, closed only at the
end, is one content.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from crosswire.analysis.quotes.marks import ALL_MARKS, quote_regions
from crosswire.analysis.quotes.rules import direct_quote_attributions
from crosswire.analysis.quotes.tagger import shared_tagger

Char = tuple[int, int]


@dataclass(frozen=True)
class LinkOptions:
    """Switches of the linking and span repair; ``CRF_LINK`` are the ones chosen for the CRF on 140
    held-out train articles; the neural tagger's (chosen the same way) come with its model."""

    use_rules: bool = True  # add direct quotes the tagger left unattributed (rules.py)
    subject_fallback: bool = True
    merge_adjacent: bool = True
    subject_trim: bool = True
    max_part_gap: int = 40  # tokens; on train held-out 40 and unlimited score the same, 12 or less lose
    drop_orphan_sources: bool = True  # a source tied to no cue was right 3 times in 10 (CRF, held-out)
    drop_bare_cues: bool = False
    carry_over: bool = True
    snap_start: bool = True
    snap_end: bool = True


CRF_LINK = LinkOptions()  # the neural tagger's switches are in its meta.json, chosen when it was trained


@dataclass
class Attribution:
    cue: Char | None
    source: Char | None
    content: Char | None
    content_parts: list[Char] = field(default_factory=list)
    direct: bool = False

    def text(self, doc_text: str, role: str) -> str:
        span = getattr(self, role)
        return doc_text[span[0] : span[1]] if span else ""


def _chars(doc, span: tuple[int, int]) -> Char:
    s, e = span
    return doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)


def _tokens_in(span: tuple[int, int]) -> range:
    return range(span[0], span[1])


def _syntactic(doc, part: tuple[int, int], cue: tuple[int, int]) -> bool:
    """True when some token of ``part`` hangs (within 4 steps) from a token of ``cue``, or the reverse."""
    cue_tokens = set(_tokens_in(cue))
    for i in _tokens_in(part):
        tok = doc[i]
        for _ in range(4):
            if tok.i in cue_tokens:
                return True
            if tok.head.i == tok.i:
                break
            tok = tok.head
    part_tokens = set(_tokens_in(part))
    for i in cue_tokens:
        tok = doc[i]
        for _ in range(3):
            if tok.head.i == tok.i:
                break
            tok = tok.head
            if tok.i in part_tokens:
                return True
    return False


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def _para_breaks(doc) -> list[int]:
    """breaks[i]: paragraph-break tokens (spaces holding a blank line) among the first i tokens; once per Doc."""
    breaks = doc.user_data.get("crosswire.para_breaks")
    if breaks is None:
        breaks = [0]
        for t in doc:
            breaks.append(breaks[-1] + (1 if t.is_space and "\n\n" in t.text else 0))
        doc.user_data["crosswire.para_breaks"] = breaks
    return breaks


def _same_para(doc, a: tuple[int, int], b: tuple[int, int]) -> bool:
    lo, hi = min(a[0], b[0]), max(a[1], b[1])
    breaks = _para_breaks(doc)
    return breaks[hi] == breaks[lo]


def _best_cue(doc, part, cues, max_gap: int) -> int | None:
    best, best_score = None, None
    for k, cue in enumerate(cues):
        if not _same_para(doc, part, cue):
            continue
        gap = _gap(part, cue)
        if gap > max_gap:
            continue
        score = gap - (100 if _syntactic(doc, part, cue) else 0)
        if best_score is None or score < best_score:
            best, best_score = k, score
    return best


def _cut_around(
    text: str, parts: list[Char], cue: Char, source: Char | None, regions: list[tuple[int, int]]
) -> list[Char]:
    """Take the attribution's own words (source, cue) out of a content that runs across them:
    ``"It was frustrating," Scholz told RTL, "because ..."`` -> the two quoted pieces.
    The outer bounds stay the same."""
    out: list[Char] = []
    for s, e in parts:
        lo = min(cue[0], source[0]) if source else cue[0]
        hi = max(cue[1], source[1]) if source else cue[1]
        if not (s < lo and hi < e):
            out.append((s, e))
            continue
        left_end = lo
        while left_end > s and (text[left_end - 1].isspace() or text[left_end - 1] in ",—–-"):
            left_end -= 1
        right = hi
        nxt = [rs for rs, _ in regions if hi <= rs < e]
        if nxt:
            right = nxt[0]
        else:
            while right < e and (text[right].isspace() or text[right] in ",:;—–-"):
                right += 1
        out.extend(p for p in ((s, left_end), (right, e)) if p[1] > p[0])
    if len(out) > 1:

        def quoted(p: Char) -> bool:
            return any(rs < p[1] and p[0] < re_ for rs, re_ in regions)

        if any(quoted(p) for p in out):  # a scrap between quoted pieces ("RTL") is not content
            out = [p for p in out if quoted(p) or len(text[p[0] : p[1]].split()) >= 4]
    return out


_EDGE_PUNCT = {",", ";", "—", "–", "-", "--", *ALL_MARKS, "‘", "’", "'"}


def _trim(doc, span: tuple[int, int]) -> tuple[int, int] | None:
    """Drop punctuation at the edges of a source or cue ("the elections," -> "the elections")."""
    s, e = span
    while s < e and (doc[s].text in _EDGE_PUNCT or doc[s].is_space):
        s += 1
    while e > s and (doc[e - 1].text in _EDGE_PUNCT or doc[e - 1].is_space):
        e -= 1
    return (s, e) if e > s else None


def _merge_adjacent(spans: list[tuple[int, int]], merge: bool) -> list[tuple[int, int]]:
    """Two tagged runs that touch ("sought" + "to attack") are one span."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merge and out and out[-1][1] == s:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _subject_source(doc, cue: tuple[int, int], src: tuple[int, int] | None, trim: bool):
    """The cue verb's own subject when the tagged source is not syntactically tied to the cue
    ("After his talk, Scholz wrote ..." -> Scholz, not "his")."""
    if src is not None and _syntactic(doc, src, cue):
        if trim:  # "After his talk with Putin, Scholz" -> "Scholz"
            for i in range(*src):
                t = doc[i]
                if t.dep_ in ("nsubj", "nsubjpass") and cue[0] <= t.head.i < cue[1]:
                    ls, rs = t.left_edge.i, t.right_edge.i + 1
                    if (
                        src[0] <= ls
                        and rs <= src[1]
                        and (ls, rs) != src
                        and any(doc[j].text == "," for j in range(src[0], ls))
                    ):
                        return ls, rs
        return src
    for i in range(*cue):
        for child in doc[i].children:
            if child.dep_ in ("nsubj", "nsubjpass") and not (cue[0] <= child.i < cue[1]):
                if child.pos_ == "PRON" and child.lower_ in ("it", "that", "which", "who", "this"):
                    continue
                return child.left_edge.i, child.right_edge.i + 1
    return src


def _carry_over(text: str, attrs: list[Attribution], orphans: list[Attribution], regions) -> list[Attribution]:
    """``"...," he said.\n\n"And ..."``: a paragraph that is nothing but a quotation, right after a
    quoted attribution's paragraph, continues that attribution's content (PolNeAR marks it so)."""
    cues = [a.cue for a in attrs if a.cue]
    absorbed: set[Char] = set()
    for a in attrs:
        if not a.direct or not a.content or not a.cue:
            continue
        para_end = text.find("\n", max(a.content[1], a.cue[1]))
        if para_end < 0:
            continue
        nxt = para_end
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        region = next((r for r in regions if r[0] == nxt), None)
        if region is None:
            continue
        line_end = text.find("\n", nxt)
        line_end = len(text) if line_end < 0 else line_end
        if text[region[1] : line_end].strip() or any(nxt <= c[0] < line_end for c in cues):
            continue
        a.content = (a.content[0], region[1])
        a.content_parts.append(region)
        absorbed.add(region)
    return [
        o for o in orphans if not (o.content and any(o.content[0] >= r[0] and o.content[1] <= r[1] for r in absorbed))
    ]


def _snap(doc, con: tuple[int, int], cue: tuple[int, int], opts: LinkOptions) -> tuple[int, int]:
    """Widen a content to the whole dependency subtree of its top word (the tagger often stops
    short inside a long clause), unless that subtree holds the cue itself."""
    s, e = con
    tops = [i for i in range(s, e) if not (s <= doc[i].head.i < e) or doc[i].head.i == i]
    if len(tops) != 1:
        return con
    t = doc[tops[0]]
    ls, rs = t.left_edge.i, t.right_edge.i + 1
    if ls < cue[1] and cue[0] < rs:
        return con
    if any(doc[i].is_space and "\n" in doc[i].text for i in range(ls, rs)):
        return con
    if opts.snap_start and ls < s:
        s = ls
    if opts.snap_end and rs > e:
        while rs > e and doc[rs - 1].is_punct and doc[rs - 1].text not in ALL_MARKS:
            rs -= 1
        e = max(e, rs)
    return s, e


def link(doc, tagged: dict[str, list[tuple[int, int]]], opts: LinkOptions = CRF_LINK) -> list[Attribution]:
    """Attach every source and content span to its cue; unattached spans become partial attributions."""
    cues = sorted(c for c in (_trim(doc, x) for x in _merge_adjacent(tagged["cue"], opts.merge_adjacent)) if c)
    # (sources are kept as tagged: trimming them lost matches on train held-out)
    sources: dict[int, list] = {}
    contents: dict[int, list] = {}
    orphans: list[Attribution] = []
    for src in sorted(tagged["source"]):
        k = _best_cue(doc, src, cues, max_gap=25)
        if k is None:
            orphans.append(Attribution(cue=None, source=_chars(doc, src), content=None))
        else:
            sources.setdefault(k, []).append(src)
    for con in sorted(tagged["content"]):
        k = _best_cue(doc, con, cues, max_gap=60)
        if k is None:
            c = _chars(doc, con)
            orphans.append(Attribution(cue=None, source=None, content=c, content_parts=[c]))
        else:
            contents.setdefault(k, []).append(con)
    regions = quote_regions(doc.text)
    out: list[Attribution] = []
    for k, cue in enumerate(cues):
        srcs = sources.get(k, [])
        # the nearest source is the speaker; more than one source on a cue: keep the closest, others stand alone
        srcs.sort(key=lambda s: _gap(s, cue) - (100 if _syntactic(doc, s, cue) else 0))
        for extra in srcs[1:]:
            orphans.append(Attribution(cue=None, source=_chars(doc, extra), content=None))
        tok_parts = sorted(_snap(doc, c, cue, opts) for c in contents.get(k, []))
        if len(tok_parts) > 1:
            # keep the contents nearest the cue; pieces further than MAX_PART_GAP from them stand alone
            near = min(tok_parts, key=lambda c: _gap(c, cue))
            keep = [near]
            for c in sorted(tok_parts, key=lambda c: _gap(c, near)):
                if c is near:
                    continue
                lo, hi = min(p[0] for p in keep), max(p[1] for p in keep)
                if _gap(c, (min(lo, cue[0]), max(hi, cue[1]))) <= opts.max_part_gap:
                    keep.append(c)
                else:
                    ch = _chars(doc, c)
                    orphans.append(Attribution(cue=None, source=None, content=ch, content_parts=[ch]))
            tok_parts = sorted(keep)
        parts = [_chars(doc, c) for c in tok_parts]
        content = (parts[0][0], parts[-1][1]) if parts else None
        best_src = srcs[0] if srcs else None
        if opts.subject_fallback:
            best_src = _subject_source(doc, cue, best_src, opts.subject_trim)
        src = _chars(doc, best_src) if best_src else None
        parts = _cut_around(doc.text, parts, _chars(doc, cue), src, regions)
        direct = bool(parts) and all(any(rs <= s and e <= re_ for rs, re_ in regions) for s, e in parts)
        out.append(
            Attribution(
                cue=_chars(doc, cue),
                source=src,
                content=content,
                content_parts=parts,
                direct=direct,
            )
        )
    if opts.drop_orphan_sources:
        orphans = [o for o in orphans if o.content]
    if opts.drop_bare_cues:
        out = [a for a in out if a.source or a.content]
    if opts.carry_over:
        orphans = _carry_over(doc.text, out, orphans, regions)
    return sorted(out + orphans, key=lambda a: min(x[0] for x in (a.cue, a.source, a.content) if x))


TAGGERS = ("neural", "crf")


def _parsed(doc_or_text, lang):
    if not isinstance(doc_or_text, str):
        return doc_or_text
    if lang is None:
        from crosswire.nlp import Language

        lang = Language()
    return lang.parse(doc_or_text)


def _with_rules(doc, attrs: list[Attribution], lexicon: dict[str, float]) -> list[Attribution]:
    taken = [p for a in attrs for p in a.content_parts]
    for src, cue, content in direct_quote_attributions(doc, lexicon, taken):
        attrs.append(Attribution(cue=cue, source=src, content=content, content_parts=[content], direct=True))
    attrs.sort(key=lambda a: min(x[0] for x in (a.cue, a.source, a.content) if x))
    return attrs


def extract_attributions_many(docs, tagger: str = "crf") -> list[list[Attribution]]:
    """``extract_attributions`` for several parsed Docs; the neural tagger batches them together."""
    if tagger not in TAGGERS:
        raise ValueError(f"quote tagger {tagger!r}: expected one of {', '.join(TAGGERS)}")
    lexicon = shared_tagger().lexicon  # the cue lexicon the rules read (built from PolNeAR train)
    if tagger == "crf":
        tagged, opts = [shared_tagger().tag(d) for d in docs], CRF_LINK
    else:
        from crosswire.analysis.quotes.neural import shared_neural_tagger

        neural = shared_neural_tagger()
        tagged, opts = neural.tag_many(docs), replace(CRF_LINK, **neural.link)
    out = []
    for doc, tags in zip(docs, tagged):
        attrs = link(doc, tags, opts)
        out.append(_with_rules(doc, attrs, lexicon) if opts.use_rules else attrs)
    return out


def extract_attributions(doc_or_text, lang=None, tagger: str = "crf") -> list[Attribution]:
    """Every attribution (source, cue, content) found in a spaCy Doc or a plain text.
    ``tagger``: "crf" (the default here and in the story component's ``quote_tagger`` setting: the
    same verdicts on the development stories at a fraction of the time) or "neural" (the fine-tuned
    MiniLM, int8 ONNX: better on held-out train and PolNeAR dev)."""
    return extract_attributions_many([_parsed(doc_or_text, lang)], tagger)[0]
