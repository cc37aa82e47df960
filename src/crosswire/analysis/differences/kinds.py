"""Difference points on the kind of piece: an outlet whose text is an author's or a party's own words
(written in the first person), a transcript, an organisation's own release or a scientific paper, where the
others are third-person reports.

Careful readers name this first in many stories: one outlet is an opinion column, a blog post, a
company's memo, a family's fundraising page, a reprinted letter or an interview transcript, and its
"facts" are then someone's own account. Four signals are read off the text:
- the first person ("I", "my", "we", "our") outside quotation marks: a news report uses it only inside quotes;
- speaker labels opening the paragraphs ("Q:", "STEPHANOPOULOS:"): a transcript;
- a public-affairs byline, a "press release" label or a release's closing lines ("For more information,
  visit ..."): an organisation's own release;
- figure references and numbered citations glued to words ("(Fig. 1)", "region14,16,18"): a paper.
The point says what was counted and cites an example sentence; it does not guess the genre beyond
that (a column, a blog post, a statement or a letter all read alike here).
"""

from __future__ import annotations

import re

import numpy as np

from crosswire.analysis.differences.points import Reach, Scored
from crosswire.analysis.differences.texts import OutletText, cut, join_names
from crosswire.model import Difference, Span

# an outlet speaks in its own voice when at least this many of its sentences, and this share of them,
# use the first person outside quotation marks (read off the 71 development stories' texts and their
# readers' notes; a news report's "we" of "what we eat" stays under it)
FIRST_PERSON_MIN = 5
FIRST_PERSON_SHARE = 0.25
# a transcript: at least this many paragraphs, and this share of them, open with a speaker's label,
# with at least two different speakers
TRANSCRIPT_MIN = 5
TRANSCRIPT_SHARE = 0.2
SCORE = 0.85  # under a conflict of numbers or dates and "tells a different story", over leads and omissions
MAX_KIND_POINTS = 2
EXAMPLE_WORDS = 16

_FIRST_PERSON = re.compile(
    r"\b(?:I|I['’](?:m|ve|d|ll)|[Mm]e|[Mm]y|[Mm]yself|[Ww]e|[Ww]e['’](?:re|ve|d|ll)|us|[Oo]ur|[Oo]urs|[Oo]urselves)\b"
)
_LABEL = re.compile(r"^\s*(Q|A|[A-Z][A-Z.'’ -]{1,30}):\s+\S")
# labels that open a paragraph of a news page, not a speaker's turn
_NOT_SPEAKERS = {"UPDATE", "WATCH", "RELATED", "READ MORE", "PHOTOS", "PHOTO", "VIDEO", "EDITOR'S NOTE", "NOTE"}
_NOT_SPEAKERS |= {"CORRECTION", "CLARIFICATION", "SOURCE", "SOURCES", "CONTACT", "MORE", "LISTEN", "SEE ALSO"}


# an organisation's own release: a public-affairs byline, a "press release" label, a release's closing lines
_RELEASE = re.compile(
    r"^\s*by [^\n]{0,80}\bpublic affairs\b|^\s*(?:press|news) release\b|^\s*for immediate release\b|"
    r"for more information,? (?:visit|contact|call|go to)\b|\bvisit \S+\.(?:org|com|gov|edu) for more information\b|"
    r"^\s*media contacts?\b|^\s*###\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# a scientific paper's text: figure references and numbered citations glued to words ("region14,16,18")
_PAPER = re.compile(r"\(Fig(?:s?\.|ure) ?\d|\b[a-z]{3,}\d{1,2}(?:[,–-]\d{1,2})+\b|\b[a-z]{4,}\d{1,2}(?=[.,;)]\s)")
PAPER_MIN = 3  # figure references or citations in one text


def quoted_mask(text: str) -> np.ndarray:
    """For each character of an article, whether it lies inside quotation marks. Marks are paired within
    a paragraph (a quotation that runs on reopens its next paragraph): curly double quotes nest, straight
    double quotes toggle, and single curly quotes count only as a pair around words (an apostrophe, as in
    “company’s”, closes nothing)."""
    mask = np.zeros(len(text), dtype=bool)
    double = single = 0
    straight = False
    for i, ch in enumerate(text):
        if ch == "\n":
            double = single = 0
            straight = False
            continue
        if ch in "“«":
            double += 1
        elif ch in "”»":
            double = max(0, double - 1)
            mask[i] = True
            continue
        elif ch == '"':
            straight = not straight
            mask[i] = True
            continue
        elif ch == "‘" and (i == 0 or not text[i - 1].isalnum()):
            single += 1
        elif ch == "’" and single and (i + 1 == len(text) or not text[i + 1].isalpha()):
            single -= 1
            mask[i] = True
            continue
        mask[i] = bool(double or single or straight)
    return mask


def _unquoted(text: str, mask: np.ndarray, span: Span) -> str:
    """The sentence's words outside quotation marks; what follows a colon counts as quoted ("Persson took
    to Twitter: We were in talks ...")."""
    part = text[span.start : span.end]
    keep = mask[span.start : span.end]
    words = "".join(" " if q else ch for ch, q in zip(part, keep))
    return words.split(": ", 1)[0]


def first_person(t: OutletText, texts: dict[str, str]) -> tuple[int, int, int | None]:
    """(sentences in the first person outside quotation marks, sentences, the example: the first such
    sentence of 6 to 30 words with no quotation in it, else the first such sentence)."""
    masks = {a: quoted_mask(texts[a]) for a in {sp.article for sp in t.spans}}
    found, example, best = 0, None, None
    for k, sp in enumerate(t.spans):
        text = texts[sp.article]
        words = _unquoted(text, masks[sp.article], sp)
        if _FIRST_PERSON.search(words):
            found += 1
            example = k if example is None else example
            # the example: a sentence of 6 to 30 words with no quotation in it
            n = len(t.texts[k].split())
            if best is None and 6 <= n <= 30 and not masks[sp.article][sp.start : sp.end].any() and ":" not in words:
                best = k
    return found, len(t.spans), best if best is not None else example


def transcript_labels(t: OutletText, texts: dict[str, str]) -> tuple[int, int, set[str]]:
    """(paragraphs that open with a speaker's label, paragraphs, the labels)."""
    labelled, paragraphs, labels = 0, 0, set()
    for a in t.articles:
        for par in texts[a.id].split("\n"):
            if not par.strip():
                continue
            paragraphs += 1
            m = _LABEL.match(par)
            if m and m.group(1).strip() not in _NOT_SPEAKERS:
                labelled += 1
                labels.add(m.group(1).strip())
    return labelled, paragraphs, labels


def _sentence_at(t: OutletText, article: str, at: int) -> int | None:
    """The index of the outlet's sentence that holds character ``at`` of an article (else the nearest after)."""
    after = [k for k, sp in enumerate(t.spans) if sp.article == article and sp.end > at]
    return min(after, key=lambda k: t.spans[k].start) if after else None


def own_voice(t: OutletText, texts: dict[str, str]) -> tuple[str, str, int | None] | None:
    """How an outlet's text is not a third-person report, or None: ("transcript" | "first person" |
    "release" | "paper", what was counted, the sentence to cite)."""
    for a in t.articles:
        cites = list(_PAPER.finditer(texts[a.id]))
        if len(cites) >= PAPER_MIN:
            counted = f"{len(cites)} figure references or numbered citations such as “{cites[0].group(0)}”"
            return "paper", counted, _sentence_at(t, a.id, cites[0].start())
    for a in t.articles:
        m = _RELEASE.search(texts[a.id])
        if m:
            return "release", f"“{m.group(0).strip()}”", _sentence_at(t, a.id, m.start())
    labelled, paragraphs, labels = transcript_labels(t, texts)
    if labelled >= TRANSCRIPT_MIN and labelled >= TRANSCRIPT_SHARE * paragraphs and len(labels) >= 2:
        speakers = ", ".join(sorted(labels)[:3])
        return "transcript", f"{labelled} of its {paragraphs} paragraphs open with a speaker's name ({speakers})", None
    found, total, example = first_person(t, texts)
    if total and found >= FIRST_PERSON_MIN and found >= FIRST_PERSON_SHARE * total:
        return "first person", f"{found} of its {total} sentences say “I” or “we” outside quotation marks", example
    return None


def kind_points(reach: Reach) -> list[Scored]:
    """An outlet that is a scientific paper, an organisation's release, a transcript or speaks in its own voice
    (first person), when another outlet of the story is a third-person report; cited by the sentence that
    shows it (a transcript by its first sentence)."""
    texts = {a.id: a.text for t in reach.texts for a in t.articles}
    kinds = {t.outlet: own_voice(t, texts) for t in reach.texts}
    reports = [t for t in reach.texts if kinds[t.outlet] is None]
    if not reports or len(reach.texts) < 2:
        return []
    out: list[Scored] = []
    others = join_names([t.label for t in reports])
    verb = "is" if len(reports) == 1 else "are"
    for t in reach.texts:
        found = kinds[t.outlet]
        if found is None or not t.spans:
            continue
        kind, counted, example = found
        k = example if example is not None else 0
        words = "“" + cut(t.texts[k], EXAMPLE_WORDS) + "”"
        if kind == "paper":
            text = (
                f"{t.label} reads as a scientific paper ({counted}), where {others} {verb} written for general readers."
            )
        elif kind == "release":
            text = (
                f"{t.label} reads as an organisation's own release or public-affairs story (it has {counted}), "
                f"where {others} {verb} independent reports."
            )
        elif kind == "transcript":
            form = "a report" if len(reports) == 1 else "reports"
            text = f"{t.label} is a transcript ({counted}, such as {words}), where {others} {verb} written as {form}."
        else:
            text = (
                f"{t.label} is written in the first person ({counted}, such as {words}): someone's own account, "
                f"like a column, a blog post, a statement or a letter, where {others} "
                f"{'reports' if len(reports) == 1 else 'report'} in the third person."
            )
        out.append((SCORE, Difference("emphasis", text, [t.outlet], [t.spans[k]])))
    return out[:MAX_KIND_POINTS]
