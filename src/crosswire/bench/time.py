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

Folds (extra keys; the keys above keep their meaning over all documents): the folder's ``.tml``
names are sorted and document i goes to fold ``i mod FOLDS``; folds ``HELDOUT_FOLDS`` are held
out. Rules are changed only while reading errors of the development folds (``errors_sample`` and
``development_errors`` list those only); ``value_f1_heldout`` is value F1 over the held-out
documents, ``value_f1_dev`` over the others, and ``folds`` gives P/R/F1 per fold. The previous
rules were corrected on every AQUAINT document, so the held-out folds are held out from changes
made since the folds were fixed, not from the rules' whole history (see BENCHMARKS.md, "time").
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


FOLDS = 5  # AQUAINT documents in folds: the sorted file names, document i -> fold i mod FOLDS
HELDOUT_FOLDS = (3, 4)  # their errors are never read while changing rules (see BENCHMARKS.md, "time")


def fold_of(index: int) -> int:
    """The fold of the ``index``-th file in the sorted list of the folder's .tml names."""
    return index % FOLDS


def _score_document(text: str, dct: str | None, gold: list[dict], name: str) -> dict:
    """Counts of one document (span and value matches) and its value errors."""
    c = dict.fromkeys(("gold", "sys", "strict", "relaxed", "dt_gold", "dt_sys", "dt_matched", "dt_ok", "dt_exact"), 0)
    errors: list[dict] = []
    sys = tag(text, parse_ref(dct))
    c["gold"], c["sys"] = len(gold), len(sys)
    strict = {(g["start"], g["end"]) for g in gold}
    c["strict"] = sum((s, e) in strict for s, e, _ in sys)
    used: set[int] = set()
    for s, e, _v in sys:
        for i, g in enumerate(gold):
            if i not in used and s < g["end"] and g["start"] < e:
                used.add(i)
                c["relaxed"] += 1
                break
    # value scores over DATE/TIME
    gold_dt = [g for g in gold if g["type"] in ("DATE", "TIME")]
    sys_dt = [(s, e, v) for s, e, v in sys if v.type in ("DATE", "TIME")]
    c["dt_gold"], c["dt_sys"] = len(gold_dt), len(sys_dt)
    used = set()
    for s, e, v in sys_dt:
        for i, g in enumerate(gold_dt):
            if i not in used and s < g["end"] and g["start"] < e:
                used.add(i)
                c["dt_matched"] += 1
                ok = _norm(v.value) == _norm(g["value"])
                c["dt_ok"] += ok
                c["dt_exact"] += _exact(v.value) == _exact(g["value"])
                if not ok:
                    errors.append(
                        {"file": name, "text": text[s:e], "gold_text": g["text"], "gold": g["value"], "sys": v.value}
                    )
                break
    return {"counts": c, "errors": errors}


def _value_scores(counts: list[dict]) -> dict:
    tot = {k: sum(c[k] for c in counts) for k in counts[0]} if counts else {}
    if not tot:
        return {"documents": 0, "gold_date_time": 0, "value_p": 0.0, "value_r": 0.0, "value_f1": 0.0}
    p, r, f = prf(tot["dt_ok"], tot["dt_sys"], tot["dt_gold"])
    return {
        "documents": len(counts),
        "gold_date_time": tot["dt_gold"],
        "value_accuracy": tot["dt_ok"] / tot["dt_matched"] if tot["dt_matched"] else 0.0,
        "value_p": p,
        "value_r": r,
        "value_f1": f,
    }


def run(directory: str, limit: int | None = None) -> dict:
    root = require(directory, "TimeML folder")
    files = sorted(root.glob("*.tml"))
    fold = {f: fold_of(i) for i, f in enumerate(files)}
    if limit:
        files = files[:limit]
    if not files:
        raise BenchDataError(f"{root}: no .tml files")
    base_total = base_correct = 0
    parsed: dict[Path, tuple] = {}
    skipped: list[str] = []
    for f in files:
        try:
            parsed[f] = parse_tml(f)
        except (OSError, ValueError) as exc:  # a bad file is reported, the rest go on
            skipped.append(f"{f}: {exc}")
    files = [f for f in files if f in parsed]
    with Timer() as t_sys:
        scored = {f: _score_document(*parsed[f], f.name) for f in files}
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
    tot = {k: sum(scored[f]["counts"][k] for f in files) for k in scored[files[0]]["counts"]} if files else {}
    tot = tot or dict.fromkeys(
        ("gold", "sys", "strict", "relaxed", "dt_gold", "dt_sys", "dt_matched", "dt_ok", "dt_exact"), 0
    )
    sp, sr, sf = prf(tot["strict"], tot["sys"], tot["gold"])
    rp, rr, rf = prf(tot["relaxed"], tot["sys"], tot["gold"])
    vp, vr, vf = prf(tot["dt_ok"], tot["dt_sys"], tot["dt_gold"])
    dev = [f for f in files if fold[f] not in HELDOUT_FOLDS]
    heldout = [f for f in files if fold[f] in HELDOUT_FOLDS]
    per_fold = {}
    for k in range(FOLDS):
        members = [scored[f]["counts"] for f in files if fold[f] == k]
        per_fold[str(k)] = {"role": "held-out" if k in HELDOUT_FOLDS else "development", **_value_scores(members)}
    dev_scores = _value_scores([scored[f]["counts"] for f in dev])
    heldout_scores = _value_scores([scored[f]["counts"] for f in heldout])
    return {
        "documents": len(files),
        "gold_timex": tot["gold"],
        "system_timex": tot["sys"],
        "span_p_strict": sp,
        "span_r_strict": sr,
        "span_f1_strict": sf,
        "span_p_relaxed": rp,
        "span_r_relaxed": rr,
        "span_f1_relaxed": rf,
        "value_accuracy": tot["dt_ok"] / tot["dt_matched"] if tot["dt_matched"] else 0.0,
        "value_p": vp,
        "value_r": vr,
        "value_f1": vf,
        "value_f1_exact_string": prf(tot["dt_exact"], tot["dt_sys"], tot["dt_gold"])[2],
        "seconds": round(t_sys.seconds, 2),
        "baseline": {
            "name": "dateparser on gold DATE/TIME spans with the DCT (current_period)",
            "value_accuracy": base_correct / base_total if base_total else 0.0,
            "gold_date_time": base_total,
            "seconds": round(t_base.seconds, 2),
        },
        "published": {"HeidelTime_value_f1": 0.776, "SUTime_value_f1": 0.674},
        "skipped": skipped,
        # errors of the development folds only: reading them keeps the held-out folds sealed
        "errors_sample": [e for f in dev for e in scored[f]["errors"]][:10],
        "value_f1_dev": dev_scores["value_f1"],
        "value_f1_heldout": heldout_scores["value_f1"],
        "folds": {
            "k": FOLDS,
            "assignment": "sorted .tml file names; document i goes to fold i mod k",
            "heldout": list(HELDOUT_FOLDS),
            "development_documents": len(dev),
            "heldout_documents": len(heldout),
            "development": dev_scores,
            "heldout_scores": heldout_scores,
            "per_fold": per_fold,
        },
    }


def development_errors(directory: str) -> list[dict]:
    """Every value error on the development folds (for reading while changing rules)."""
    root = require(directory, "TimeML folder")
    out: list[dict] = []
    for i, f in enumerate(sorted(root.glob("*.tml"))):
        if fold_of(i) not in HELDOUT_FOLDS:
            out.extend(_score_document(*parse_tml(f), f.name)["errors"])
    return out
