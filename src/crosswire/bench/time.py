"""`crosswire bench time DIR`: TIMEX3 recognition and normalisation on TimeML files (TempEval-3 style).

Each ``.tml`` file's <TEXT> is stripped of its tags; the gold TIMEX3 spans are kept as character
offsets into that plain text, and the DCT (TIMEX3 with functionInDocument="CREATION_TIME") is the
reference date. crosswire's recogniser + normaliser runs on the plain text with the DCT.

Figures:
- span P/R/F1 over all TIMEX3 (DATE, TIME, DURATION, SET), strict (same start and end) and
  relaxed (any overlap, each gold matched at most once);
- value accuracy over relaxed matches of gold DATE/TIME expressions, and value P/R/F1 over
  DATE/TIME: a system DATE/TIME expression counts when it overlaps a gold DATE/TIME one and has
  the same value (P over system DATE/TIME expressions, R over gold ones);
- values are compared after notational equivalences only (``2000-W7`` = ``2000-W07``,
  ``1949-XX`` = ``1949``, ``198X`` = ``198``); ``value_f1_exact_string`` compares raw strings;
- ``baseline``: dateparser given the GOLD DATE/TIME spans and the DCT as RELATIVE_BASE
  (``PREFER_DATES_FROM='current_period'``), value accuracy at its own precision (day, month or
  year taken from which parts the text names).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from crosswire.analysis.dates import parse_ref, tag
from crosswire.bench.common import Timer, prf, require
from crosswire.errors import BenchDataError

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def parse_tml(path: Path) -> tuple[str, str | None, list[dict]]:
    """(plain text of <TEXT>, DCT value, gold TIMEX3 list with start/end/type/value)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    dct = None
    for m in re.finditer(r"<TIMEX3([^>]*)>", raw):
        attrs = dict(_ATTR.findall(m.group(1)))
        if attrs.get("functionInDocument") == "CREATION_TIME":
            dct = attrs.get("value")
            break
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if body is None:
        raise ValueError("no <TEXT> element")
    src = body.group(1)
    out: list[str] = []
    pos = 0
    length = 0
    gold: list[dict] = []
    open_timex: dict | None = None
    for m in _TAG.finditer(src):
        chunk = html.unescape(src[pos : m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name = m.group(1), m.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            attrs = dict(_ATTR.findall(m.group(3)))
            open_timex = {"start": length, "type": attrs.get("type"), "value": attrs.get("value")}
        elif open_timex is not None:
            open_timex["end"] = length
            gold.append(open_timex)
            open_timex = None
    out.append(html.unescape(src[pos:]))
    text = "".join(out)
    for g in gold:
        g["text"] = text[g["start"] : g["end"]]
    return text, dct, gold


def _dateparser_value(text: str, dct: dt.datetime) -> str | None:
    import dateparser

    settings = {"RELATIVE_BASE": dct, "PREFER_DATES_FROM": "current_period", "RETURN_TIME_AS_PERIOD": True}
    try:
        d = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:
        return None
    if d is None:
        return None
    low = text.lower()
    has_day = bool(re.search(r"\d", low)) or bool(
        re.search(r"day|night|tonight|morning|evening|afternoon|yesterday|tomorrow|today", low)
    )
    has_month = has_day or bool(re.search(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|month", low))
    if re.fullmatch(r"\s*\d{4}\s*", text) or "year" in low:
        return f"{d.year:04d}"
    if has_day:
        return d.date().isoformat()
    if has_month:
        return f"{d.year:04d}-{d.month:02d}"
    return d.date().isoformat()


def _exact(v: str | None) -> str | None:
    if v is None:
        return None
    v = v.strip()
    m = re.match(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})", v)
    return m.group(1) if m else v


def _norm(v: str | None) -> str | None:
    """Notational equivalences only: "2000-W7" = "2000-W07", "1949-XX" = "1949", "198X" = "198"."""
    if v is None:
        return None
    v = v.strip()
    v = re.sub(r"-W(\d)(?!\d)", r"-W0\1", v)
    v = re.sub(r"(?:-XX)+$", "", v)
    if re.fullmatch(r"\d{3}X", v):
        v = v[:3]
    # TIMEX3 values of TIME sometimes carry seconds or a zone; compare at minute precision
    m = re.match(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})", v)
    return m.group(1) if m else v


def run(directory: str, limit: int | None = None) -> dict:
    root = require(directory, "TimeML folder")
    files = sorted(root.glob("*.tml"))
    if limit:
        files = files[:limit]
    if not files:
        raise BenchDataError(f"{root}: no .tml files")
    n_gold = n_sys = tp_strict = tp_relaxed = 0
    dt_gold = dt_sys = dt_matched = dt_correct = dt_exact = 0
    base_total = base_correct = 0
    errors: list[dict] = []
    parsed: dict[Path, tuple] = {}
    skipped: list[str] = []
    for f in files:
        try:
            parsed[f] = parse_tml(f)
        except (OSError, ValueError) as exc:  # a bad file is reported, the rest go on
            skipped.append(f"{f}: {exc}")
    files = [f for f in files if f in parsed]
    with Timer() as t_sys:
        for f in files:
            text, dct, gold = parsed[f]
            ref = parse_ref(dct)
            sys = tag(text, ref)
            n_gold += len(gold)
            n_sys += len(sys)
            strict = {(g["start"], g["end"]) for g in gold}
            tp_strict += sum((s, e) in strict for s, e, _ in sys)
            used: set[int] = set()
            for s, e, _v in sys:
                for i, g in enumerate(gold):
                    if i not in used and s < g["end"] and g["start"] < e:
                        used.add(i)
                        tp_relaxed += 1
                        break
            # value scores over DATE/TIME
            gold_dt = [g for g in gold if g["type"] in ("DATE", "TIME")]
            sys_dt = [(s, e, v) for s, e, v in sys if v.type in ("DATE", "TIME")]
            dt_gold += len(gold_dt)
            dt_sys += len(sys_dt)
            used = set()
            for s, e, v in sys_dt:
                for i, g in enumerate(gold_dt):
                    if i not in used and s < g["end"] and g["start"] < e:
                        used.add(i)
                        dt_matched += 1
                        ok = _norm(v.value) == _norm(g["value"])
                        dt_correct += ok
                        dt_exact += _exact(v.value) == _exact(g["value"])
                        if not ok and len(errors) < 400:
                            errors.append(
                                {
                                    "file": f.name,
                                    "text": text[s:e],
                                    "gold_text": g["text"],
                                    "gold": g["value"],
                                    "sys": v.value,
                                }
                            )
                        break
    with Timer() as t_base:
        for f in files:
            text, dct, gold = parsed[f]
            ref = parse_ref(dct)
            base = dt.datetime.combine(ref.date, dt.time(12)) if ref else dt.datetime(2000, 1, 1)
            for g in gold:
                if g["type"] not in ("DATE", "TIME"):
                    continue
                base_total += 1
                gv = _norm(g["value"]) or ""
                pv = _dateparser_value(g["text"], base)
                base_correct += bool(pv) and (pv == gv or (len(gv) > 10 and pv == gv[:10] and g["type"] == "TIME"))
    sp, sr, sf = prf(tp_strict, n_sys, n_gold)
    rp, rr, rf = prf(tp_relaxed, n_sys, n_gold)
    vp, vr, vf = prf(dt_correct, dt_sys, dt_gold)
    return {
        "documents": len(files),
        "gold_timex": n_gold,
        "system_timex": n_sys,
        "span_p_strict": sp,
        "span_r_strict": sr,
        "span_f1_strict": sf,
        "span_p_relaxed": rp,
        "span_r_relaxed": rr,
        "span_f1_relaxed": rf,
        "value_accuracy": dt_correct / dt_matched if dt_matched else 0.0,
        "value_p": vp,
        "value_r": vr,
        "value_f1": vf,
        "value_f1_exact_string": prf(dt_exact, dt_sys, dt_gold)[2],
        "seconds": round(t_sys.seconds, 2),
        "baseline": {
            "name": "dateparser on gold DATE/TIME spans with the DCT (current_period)",
            "value_accuracy": base_correct / base_total if base_total else 0.0,
            "gold_date_time": base_total,
            "seconds": round(t_base.seconds, 2),
        },
        "published": {"HeidelTime_value_f1": 0.776, "SUTime_value_f1": 0.674},
        "skipped": skipped,
        "errors_sample": errors[:10],
    }
