"""Durations: "almost two years" -> P2Y, "about an hour" -> PT1H, "half an hour" -> PT30M."""

from __future__ import annotations

import re

from crosswire.analysis.dates.rules import NUMBERS, UNITS


def parse_number(word: str) -> float | str | None:
    w = re.sub(r"\s+", " ", word.lower().strip())
    if w in NUMBERS:
        return NUMBERS[w]
    if "-" in w:
        a, _, b = w.partition("-")
        if a in NUMBERS and b in NUMBERS and isinstance(NUMBERS[a], int) and isinstance(NUMBERS[b], int):
            return NUMBERS[a] + NUMBERS[b]
    try:
        return float(w.replace(",", ""))
    except ValueError:
        return None


def _fmt_num(n: float | str) -> str:
    if isinstance(n, str):
        return n
    return str(int(n)) if float(n).is_integer() else str(n)


def duration_value(num: float | str | None, unit: str) -> str | None:
    u = unit.lower().rstrip("s")
    if u.endswith("ie"):
        u = u[:-2] + "y"
    code = UNITS.get(u) or UNITS.get(unit.lower())
    if num is None or code is None:
        return None
    if code == "F":
        num, code = (num * 2 if not isinstance(num, str) else "X"), "W"
    if code == "DE":
        num, code = (num * 10 if not isinstance(num, str) else "X"), "Y"
    if code == "CE":
        num, code = (num * 100 if not isinstance(num, str) else "X"), "Y"
    if code == "WE":
        return f"P{_fmt_num(num)}WE"
    if isinstance(num, float) and not num.is_integer():
        # half units: "half an hour" -> PT30M, "a year and a half" ~ P18M
        small = {
            "H": ("M", 60, True),
            "D": ("H", 24, True),
            "Y": ("M", 12, False),
            "M": ("D", 30, False),
            "W": ("D", 7, False),
        }
        if code in small:
            c2, mult, is_time = small[code]
            if code == "M" and unit.lower().startswith("minute"):
                return f"PT{int(num * 60)}S"
            return f"P{'T' if is_time else ''}{int(num * mult)}{c2}"
    time_unit = code in ("S", "H") or (code == "M" and unit.lower().startswith("minute"))
    return f"P{'T' if time_unit else ''}{_fmt_num(num)}{code}"
