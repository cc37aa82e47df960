"""Dates of the holidays the recogniser knows ("Thanksgiving", "Easter", "Christmas Eve")."""

from __future__ import annotations

import datetime as dt
import re


def _easter(y: int) -> dt.date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return dt.date(y, month, day + 1)


def _nth_weekday(y: int, month: int, weekday: int, n: int) -> dt.date:
    if n > 0:
        d = dt.date(y, month, 1)
        d += dt.timedelta(days=(weekday - d.weekday()) % 7)
        return d + dt.timedelta(weeks=n - 1)
    d = dt.date(y, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(y, 12, 31)
    return d - dt.timedelta(days=(d.weekday() - weekday) % 7)


def holiday_date(name: str, y: int) -> dt.date:
    n = re.sub(r"\s+", " ", name.lower())
    if n.startswith("christmas eve"):
        return dt.date(y, 12, 24)
    if n.startswith("christmas"):
        return dt.date(y, 12, 25)
    if n == "new year's day":
        return dt.date(y, 1, 1)
    if n == "new year's eve":
        return dt.date(y, 12, 31)
    if n.startswith("independence"):
        return dt.date(y, 7, 4)
    if n.startswith("thanksgiving"):
        return _nth_weekday(y, 11, 3, 4)
    if n.startswith("election"):
        return _nth_weekday(y, 11, 0, 1) + dt.timedelta(days=1)
    if n.startswith("halloween"):
        return dt.date(y, 10, 31)
    if n.startswith("valentine"):
        return dt.date(y, 2, 14)
    if n.startswith("easter"):
        return _easter(y)
    if n.startswith("labor"):
        return _nth_weekday(y, 9, 0, 1)
    if n.startswith("memorial"):
        return _nth_weekday(y, 5, 0, -1)
    return dt.date(y, 11, 11)  # Veterans Day
