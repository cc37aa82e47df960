"""Quotation marks: which stretches of a text are inside quotes.

Curly marks say which way they face; a straight ``"`` is an opener when it
follows a space or the start of a line and touches a word on its right, and a
closer otherwise. News convention: a quote that runs over several paragraphs
re-opens at each paragraph and closes only at the end, so an opener met while a
quote is still open continues that quote. A quote never closed stops at the end
of its line. Single quotes are left alone (they double as apostrophes).
"""

from __future__ import annotations

OPENERS = "“«„"
CLOSERS = "”»"
STRAIGHT = '"'
ALL_MARKS = OPENERS + CLOSERS + STRAIGHT + "‟″"


def _straight_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-/:;":
        return not after.isspace()
    if after.isspace() or after in ".,;:!?)]}—–-":
        return False
    return not before.isalnum()


def quote_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) character ranges of quoted passages, marks included."""
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    last_open: int | None = None
    for i, ch in enumerate(text):
        if ch in OPENERS or (ch == STRAIGHT and _straight_opens(text, i)):
            if open_at is not None:
                # a new opener while open: paragraph continuation when a line break lies between
                nl = text.rfind("\n", last_open, i)
                if nl >= 0 and not text[nl:i].strip():
                    last_open = i
                    continue
                # otherwise the earlier mark was never closed: end it at the end of its line
                nl = text.find("\n", last_open)
                regions.append((open_at, nl if 0 <= nl < i else i))
            open_at = last_open = i
        elif ch in CLOSERS or ch == STRAIGHT or ch in "‟″":
            if open_at is not None:
                regions.append((open_at, i + 1))
                open_at = last_open = None
    if open_at is not None:
        nl = text.find("\n", last_open)
        regions.append((open_at, nl if nl >= 0 else len(text)))
    return [(s, e) for s, e in regions if e - s > 1]


def quote_index(text: str) -> list[int]:
    """Per character: 0 outside quotes, else 1 + the index of the enclosing quote region."""
    idx = [0] * len(text)
    for n, (s, e) in enumerate(quote_regions(text), start=1):
        for k in range(s, e):
            idx[k] = n
    return idx
