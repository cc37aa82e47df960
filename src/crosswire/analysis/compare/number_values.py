"""Numbers as written: their value ("twenty-eight", "3.4 million", "1,250") and the interval of values
the words allow ("about 140", "at least three", "nearly 13 hours"). ``number_phrases`` reads what a number
counts; this module only what it is worth.
"""

from __future__ import annotations

import math
import re

from crosswire.text import CARDINALS

# the number words a count may be written in ("twenty-eight"): one to ninety, from the shared table
_WORDS = {w: n for w, n in CARDINALS.items() if 1 <= n <= 90}


_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"


WORD_NUM = rf"(?:(?:{_TENS})[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b|(?:{'|'.join(_WORDS)})\b)"


NUMBER_RE = re.compile(
    rf"(?<![\w.,$£€/:-])(?P<cur>[$£€])?\s?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{WORD_NUM})"
    r"(?:\s(?P<scale>thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)


# words before a number that say how exact it is, and the interval each allows
_HEDGES = [
    (re.compile(r"\b(?:just|a little|slightly)\s+(?:over|more than|above)\s*$", re.I), "just_over"),
    (re.compile(r"\b(?:more than|over|above|upwards of|in excess of)\s*$", re.I), "over"),
    (re.compile(r"\bat least\s*$", re.I), "at_least"),
    (re.compile(r"\b(?:less than|fewer than|under|below)\s*$", re.I), "under"),
    (re.compile(r"\b(?:up to|at most|no more than)\s*$", re.I), "up_to"),
    (re.compile(r"\b(?:nearly|almost|close to|just under|just shy of)\s*$", re.I), "nearly"),
    (
        re.compile(r"\b(?:about|around|roughly|approximately|some|an estimated|estimated|approx\.|circa|~)\s*$", re.I),
        "about",
    ),
]


def parse_number(text: str, scale: str | None = None) -> float | None:
    t = text.lower().replace(",", "")
    try:
        v = float(t)
    except ValueError:
        parts = re.split(r"[\s-]+", t)
        if not parts or any(p not in _WORDS for p in parts):
            return None
        v = float(sum(_WORDS[p] for p in parts))
    return v * _SCALES.get((scale or "").lower(), 1.0)


def step(num_text: str, scale: str | None) -> float:
    """Half the place value of the last significant digit as written: "3.4 million" -> 50,000."""
    digits = num_text.replace(",", "")
    mult = _SCALES.get((scale or "").lower(), 1.0)
    if not re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return 0.5 * mult
    if "." in digits:
        places = len(digits.split(".")[1])
        return 0.5 * 10 ** (-places) * mult
    stripped = digits.rstrip("0")
    zeros = len(digits) - len(stripped) if stripped else 0
    return 0.5 * 10**zeros * mult


def interval(value: float, hedge: str | None, step: float, decimal: bool) -> tuple[float, float]:
    """The values the words allow. Whole numbers written plainly are exact; decimals and scaled
    amounts ("3.4 million") stand for anything that rounds to them."""
    exact = (value - step, value + step) if decimal else (value, value)
    if hedge is None:
        return exact
    if hedge == "about":
        return value - max(step, 0.5), value + max(step, 0.5)
    if hedge == "nearly":
        return value - max(2 * step, 0.1 * value), value
    if hedge == "over":
        return value + 1e-9, math.inf
    if hedge == "just_over":
        return value + 1e-9, value * 1.1 + step
    if hedge == "at_least":
        return value, math.inf
    if hedge == "under":
        return -math.inf, value - 1e-9
    if hedge == "up_to":
        return -math.inf, value
    return exact


def hedge_before(text: str, start: int) -> str | None:
    before = text[max(0, start - 30) : start]
    for rx, name in _HEDGES:
        if rx.search(before):
            return name
    return None
