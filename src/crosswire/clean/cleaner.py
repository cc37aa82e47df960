"""Cleaning of already-extracted article text: repair and remove, and record every change.

The mapping between raw and cleaned text
----------------------------------------
``article.raw`` is the text as read (for HTML, as extracted, before this cleaner).
``article.removed`` is a list of ``Removal(start, end, text, reason, replacement)`` sorted by
``start``, non-overlapping, with offsets into ``raw`` so that ``raw[start:end] == text``.
``article.text`` is ``raw`` with each removed span replaced by its ``replacement``: "" for
junk, " " for a line break rejoined after an abbreviation. So ``apply_removals(raw, removed)``
gives ``text``, ``restore_raw(text, removed)`` gives ``raw`` back, and ``text_offset``
maps a raw offset to the cleaned text.

The rules (clean_rules.py holds the line features), in order:
1. a donation/subscription appeal that runs to the end of the article;
2. a list of other stories appended at the end (a section label, then items between
   separator lines such as "-");
3. site chrome and navigation lines anywhere (short lines of chrome words, known phrases);
4. the opening lines: chrome before the headline, the headline repeated, stray short words;
5. a related story's headline with its teaser or pull quote appended after the article;
6. repairs: a line broken right after an abbreviation ("on Oct." / "13.") is rejoined.
"""

from __future__ import annotations

import re

from crosswire.clean.rules import (
    ABBR_ANY,
    ABBR_BEFORE_NAME,
    ABBR_BEFORE_NUMBER,
    APPEAL_CUE,
    APPEAL_START,
    ATTRIBUTION,
    Line,
    content_words,
    headline_of,
    is_body_line,
    is_bullet,
    is_chrome,
    is_date_line,
    is_label,
    is_pull_quote,
    is_separator,
    leading_region,
    looks_like_headline,
    norm,
    overlap,
    pick_headline_how,
    split_lines,
)
from crosswire.model import Article, Removal

R_APPEAL = "donation or subscription appeal"
R_LIST = "list of other stories' headlines appended to the article"
R_CHROME = "site chrome or navigation"
R_PRE = "site chrome before the headline"
R_REPEAT = "headline repeated"
R_TEASER = "related-story headline and teaser appended to the article"
R_REJOIN = "rejoined line broken after abbreviation"
R_DROPCAP = "rejoined drop capital split from its word"
R_SECTION = "section label above the article"
REPAIRS = frozenset({R_REJOIN, R_DROPCAP})  # changes that join text rather than drop content
# A trailing headline + short block sharing fewer content words with the body than this is
# another story's teaser (set by reading Multi-News decisions, not tuned on the seeds or ECB+).
TEASER_MAX_OVERLAP = 0.2
TEASER_MIN_BODY_WORDS = 80


def clean_article(article: Article) -> Article:
    """Clean ``article`` in place from its raw text and return it (see the module docstring)."""
    if not article.raw:
        article.raw = article.text
    if article.title is None and article.format == "text":  # a plain-text file's headline is its first line(s)
        article.title = headline_of(article.raw)
    article.removed = find_removals(article.raw, title=article.title)
    article.text = apply_removals(article.raw, article.removed)
    return article


def apply_removals(raw: str, removed: list[Removal]) -> str:
    out, pos = [], 0
    for r in sorted(removed, key=lambda r: r.start):
        out.append(raw[pos : r.start])
        out.append(r.replacement)
        pos = r.end
    out.append(raw[pos:])
    return "".join(out)


def restore_raw(text: str, removed: list[Removal]) -> str:
    """Undo the cleaning: put every removed span back."""
    out, pos, shift = [], 0, 0
    for r in sorted(removed, key=lambda r: r.start):
        t_start = r.start - shift
        out.append(text[pos:t_start])
        out.append(r.text)
        pos = t_start + len(r.replacement)
        shift += (r.end - r.start) - len(r.replacement)
    out.append(text[pos:])
    return "".join(out)


def text_offset(raw_offset: int, removed: list[Removal]) -> int:
    """Where a raw offset lands in the cleaned text (offsets inside a removal go to its start)."""
    shift = 0
    for r in sorted(removed, key=lambda r: r.start):
        if raw_offset < r.start:
            break
        if raw_offset < r.end:
            return r.start - shift
        shift += (r.end - r.start) - len(r.replacement)
    return raw_offset - shift


def find_removals(raw: str, *, title: str | None = None) -> list[Removal]:
    lines = split_lines(raw)
    junk: dict[int, str] = {}
    nonblank = [ln for ln in lines if not ln.blank]
    _appeal_block(nonblank, junk, len(raw))
    _trailing_list(nonblank, junk)
    for ln in nonblank:
        if ln.i not in junk and (is_chrome(ln.s) or is_separator(ln.s)):
            junk[ln.i] = R_CHROME
    _opening(nonblank, junk, title)
    _trailing_teaser(nonblank, junk)
    return sorted(_spans(raw, lines, junk) + _rejoins(raw, lines, junk), key=lambda r: r.start)


def _appeal_block(lines: list[Line], junk: dict[int, str], size: int) -> None:
    for ln in lines:  # a one-line appeal box anywhere: "Support our journalism. Subscribe today."
        if len(ln.words) <= 60 and APPEAL_START.search(ln.s) and len(APPEAL_CUE.findall(ln.s)) >= 2:
            junk[ln.i] = R_APPEAL
    for k, ln in enumerate(lines):
        if ln.start < size * 0.3 or not APPEAL_START.search(ln.s):
            continue
        block = lines[k:]
        cues = sum(1 for b in block if APPEAL_CUE.search(b.s) or is_chrome(b.s))
        if cues >= 2 and cues >= 0.4 * len(block) and sum(len(b.s) for b in block) <= 4000:
            for b in block:
                junk.setdefault(b.i, R_APPEAL)
            return


def _trailing_list(lines: list[Line], junk: dict[int, str]) -> None:
    seps = [k for k, ln in enumerate(lines) if is_bullet(ln.s)]
    if len(seps) < 2 or len(lines) - 1 - seps[-1] > 3:
        return
    first = seps[-1]
    for a, b in zip(reversed(seps[:-1]), reversed(seps[1:])):
        if b - a > 4:
            break
        first = a
    if first == seps[-1]:
        return
    start = first - 1 if first > 0 and is_label(lines[first - 1].s) else first
    if start < len(lines) * 0.3:
        return
    for ln in lines[start:]:
        junk.setdefault(ln.i, R_LIST)


def _opening(lines: list[Line], junk: dict[int, str], title: str | None) -> None:
    rest = [ln for ln in lines if ln.i not in junk]
    if len(rest) > 1 and re.fullmatch(r"[A-Z]", rest[1].s):
        rest = rest[:1] + rest[2:]  # look past a drop capital
    if len(rest) > 1 and re.fullmatch(r"[A-Z][a-z]+", rest[0].s) and is_body_line(rest[1].s):
        junk[rest[0].i] = R_SECTION  # "Politics" / "Features" right above the prose
    region = [ln for ln in leading_region(lines) if ln.i not in junk or junk[ln.i] == R_CHROME]
    if not region:
        return
    h, repeated = pick_headline_how(region)
    head = norm(region[h].s) if h is not None else None
    if title and head is None:
        head = norm(title)
    seen_head = False
    for k, ln in enumerate(region):
        key = norm(ln.s)
        if head and key == head:
            if seen_head:
                junk[ln.i] = R_REPEAT
            seen_head = True
            continue
        if ln.i in junk:
            continue
        short = len(ln.words) <= 6 and not is_date_line(ln.s)
        if h is not None and k < h and short and repeated:
            junk[ln.i] = R_PRE  # the page header above a title that the page then repeats
        elif len(ln.words) <= 3 and ln.s[:1].islower() and not ln.s.endswith((".", "!", "?")):
            junk[ln.i] = R_CHROME


def _trailing_teaser(lines: list[Line], junk: dict[int, str]) -> None:
    kept = [ln for ln in lines if ln.i not in junk]
    if len(kept) < 4:
        return
    body_start = next((k for k, ln in enumerate(kept) if is_body_line(ln.s)), None)
    if body_start is None:
        return
    for h in range(len(kept) - 2, max(body_start, len(kept) - 6), -1):
        if not looks_like_headline(kept[h].s) or ATTRIBUTION.search(kept[h].s) or kept[h].s.endswith("?"):
            continue  # a question is an interview's or an explainer's heading, not a teaser
        block = kept[h + 1 :]
        text = "\n".join(ln.s for ln in block)
        if len(block) > 4 or len(text) > 800:
            return
        body = "\n".join(ln.s for ln in kept[:h])
        headings = sum(1 for ln in kept[body_start:h] if looks_like_headline(ln.s))
        teaser = is_pull_quote(text) or (
            headings == 0
            and len(block) <= 2
            and len(kept[h].words) >= 4
            and len(content_words(body)) >= TEASER_MIN_BODY_WORDS  # overlap means little on a short body
            and overlap(kept[h].s + " " + text, body) < TEASER_MAX_OVERLAP
        )
        if teaser:
            for ln in kept[h:]:
                junk[ln.i] = R_TEASER
        return


def _spans(raw: str, lines: list[Line], junk: dict[int, str]) -> list[Removal]:
    """One Removal per run of junk lines with the same reason (blank lines between them go too)."""
    out: list[Removal] = []
    k = 0
    while k < len(lines):
        if k not in junk:
            k += 1
            continue
        reason, start = junk[k], lines[k].start
        j = k
        while True:  # extend over blank lines and junk lines of the same reason
            n = j + 1
            while n < len(lines) and lines[n].blank:
                n += 1
            if n < len(lines) and junk.get(n) == reason:
                j = n
                continue
            break
        end = lines[j].end + 1  # with its newline
        n = j + 1
        while n < len(lines) and lines[n].blank and n < len(lines) - 1:
            end = lines[n].end + 1
            n += 1
        end = min(end, len(raw))
        if n >= len(lines) - 1 and all(ln.blank for ln in lines[j + 1 :]):
            end = len(raw)
        out.append(Removal(start=start, end=end, text=raw[start:end], reason=reason))
        k = j + 1
    return out


def _rejoins(raw: str, lines: list[Line], junk: dict[int, str]) -> list[Removal]:
    out: list[Removal] = []
    kept = [ln for ln in lines if not ln.blank and ln.i not in junk]
    if len(kept) > 1 and re.fullmatch(r"[A-Z]", kept[0].s) and kept[1].s[:1].islower():
        a, b = kept[0], kept[1]  # a drop capital: "T" / "he most likely person ..."
        start, end = a.start + len(a.raw.rstrip()), b.start + (len(b.raw) - len(b.raw.lstrip()))
        out.append(Removal(start=start, end=end, text=raw[start:end], reason=R_DROPCAP))
    for a, b in zip(lines, lines[1:]):
        if a.i in junk or b.i in junk or a.blank or b.blank:
            continue
        tail, head = a.raw.rstrip(), b.raw.lstrip()
        if not ABBR_ANY.search(tail):
            continue
        first = head[:1]
        ok = (
            first.islower()
            or (first.isdigit() and ABBR_BEFORE_NUMBER.search(tail))
            or (first.isupper() and ABBR_BEFORE_NAME.search(tail))
        )
        if ok:
            start, end = a.start + len(tail), b.start + (len(b.raw) - len(head))
            out.append(Removal(start=start, end=end, text=raw[start:end], reason=R_REJOIN, replacement=" "))
    return out
