"""Reader for the PolNeAR attribution corpus (brat standoff) used by ``crosswire bench quotes``.

Layout of a split folder::

    text/NAME.txt                    the article
    attributions/NAME_ANNOTATOR.ann  brat standoff, one file per annotator

T lines carry ``Source``/``Cue``/``Content``/``Attribution`` spans with character
offsets (discontinuous spans are written ``s1 e1;s2 e2``); E lines link them into
one attribution. ``Discard``/``Discuss`` lines are annotator bookkeeping and are
ignored. A span is kept as a tuple of fragments; fragments separated only by
whitespace are merged (brat splits spans at line breaks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crosswire.bench.common import require

Frag = tuple[int, int]
SpanT = tuple[Frag, ...]
ROLES = ("source", "cue", "content")


@dataclass
class GoldAttribution:
    source: SpanT | None
    cue: SpanT | None
    content: SpanT | None


@dataclass
class PolnearDoc:
    name: str
    text: str
    # annotator id -> list of attributions (every annotator file of the article)
    annotations: dict[str, list[GoldAttribution]] = field(default_factory=dict)
    # annotator id -> role -> every span of that role in the file (linked or not)
    spans: dict[str, dict[str, set[SpanT]]] = field(default_factory=dict)


def _parse_frags(spec: str, text: str) -> SpanT:
    frags: list[Frag] = []
    for part in spec.split(";"):
        s, e = part.split()
        frags.append((int(s), int(e)))
    frags.sort()
    merged: list[Frag] = [frags[0]]
    for s, e in frags[1:]:
        ps, pe = merged[-1]
        if s <= pe or not text[pe:s].strip():
            merged[-1] = (ps, max(pe, e))
        else:
            merged.append((s, e))
    return tuple(merged)


def parse_ann(ann: str, text: str) -> tuple[list[GoldAttribution], dict[str, set[SpanT]]]:
    """Parse one brat file: the linked attributions and every span by role."""
    tspans: dict[str, tuple[str, SpanT]] = {}
    links: list[dict[str, str]] = []
    for line in ann.splitlines():
        if not line.strip():
            continue
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            head = cols[1]
            label, _, spec = head.partition(" ")
            if not spec:
                continue
            try:
                tspans[cols[0]] = (label, _parse_frags(spec, text))
            except ValueError:
                continue
        elif line.startswith("E") and len(cols) >= 2:
            roles = {}
            for item in cols[1].split():
                k, _, v = item.partition(":")
                roles[k.lower()] = v
            links.append(roles)
    by_role: dict[str, set[SpanT]] = {r: set() for r in ROLES}
    for label, span in tspans.values():
        if label.lower() in by_role:
            by_role[label.lower()].add(span)
    attrs = []
    for roles in links:

        def get(role: str) -> SpanT | None:
            tid = roles.get(role)  # noqa: B023 (called within the same iteration)
            return tspans[tid][1] if tid in tspans else None

        attrs.append(GoldAttribution(get("source"), get("cue"), get("content")))
    return attrs, by_role


def load_split(directory: str | Path, limit: int | None = None) -> list[PolnearDoc]:
    root = require(directory, "PolNeAR split folder")
    text_dir = require(Path(root) / "text", "PolNeAR text/ folder")
    ann_dir = require(Path(root) / "attributions", "PolNeAR attributions/ folder")
    anns: dict[str, list[Path]] = {}
    for p in sorted(ann_dir.glob("*.ann")):
        name, _, annotator = p.stem.rpartition("_")
        anns.setdefault(name, []).append(p)
    docs: list[PolnearDoc] = []
    for tp in sorted(text_dir.glob("*.txt")):
        if tp.stem not in anns:
            continue
        text = tp.read_text(encoding="utf-8")
        doc = PolnearDoc(name=tp.stem, text=text)
        for ap in anns[tp.stem]:
            annotator = ap.stem.rpartition("_")[2]
            attrs, by_role = parse_ann(ap.read_text(encoding="utf-8"), text)
            doc.annotations[annotator] = attrs
            doc.spans[annotator] = by_role
        docs.append(doc)
        if limit is not None and len(docs) >= limit:
            break
    return docs
