"""The recogniser: a small regular grammar of English date and time expressions.

Each rule is a named regular expression; ``find`` runs every rule over the text and keeps the
longest non-overlapping matches (earlier start wins a tie). Spans follow TimeML's extent
conventions as far as a regex can: the preposition ("on Friday") is left out, modifiers that
belong to the expression ("early September", "almost two years", "last month") are kept, and a
possessive "'s" is left out. The parsed parts (``groups``) go to ``resolve`` for the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crosswire.text import CARDINALS

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBERS = {
    "a": 1,
    "an": 1,
    **{w: n for w, n in CARDINALS.items() if n},
    "a hundred": 100,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": "X",
    "few": "X",
    "several": "X",
    "many": "X",
    "some": "X",
    "half a": 0.5,
    "half an": 0.5,
    "a half": 0.5,
    "one and a half": 1.5,
    "two and a half": 2.5,
    "dozens of": "X",
    "a dozen": 12,
}
UNITS = {
    "second": "S",
    "minute": "M",
    "hour": "H",
    "day": "D",
    "week": "W",
    "fortnight": "F",
    "month": "M",
    "year": "Y",
    "decade": "DE",
    "century": "CE",
    "centurie": "CE",
    "night": "D",
    "weekend": "WE",
    "quarter": "Q",
}

# Full month names are matched case-sensitively (Capitalised) to avoid "march", "may", "sept".
_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
MONTH = rf"(?P<month>{_MONTH_FULL}|{_MONTH_ABBR})"
MONTH_NOMAY = (
    r"(?P<month>(?:January|February|March|April|June|July|August|September|October|November|December)|"
    + _MONTH_ABBR
    + ")"
)
DAYNUM = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_NUM_WORDS = sorted((k for k in NUMBERS if k not in ("a", "an")), key=len, reverse=True)
NUMWORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|eight|nine)|"
    + "|".join(re.escape(w) for w in _NUM_WORDS)
    + r"|\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+)"
)
UNIT = r"(?P<unit>second|minute|hour|day|week|fortnight|month|year|decade|centur(?:y|ie)|weekend)"
APPROX = r"(?P<approx>about|almost|nearly|more\s+than|less\s+than|fewer\s+than|over|some|at\s+least|roughly|approximately|around|up\s+to|just\s+over|just\s+under|under|at\s+most|barely|only|just|the\s+past|the\s+last|the\s+next|the\s+first|the\s+previous|the\s+coming|the\s+following|another|an\s+additional)"
PARTMOD = r"(?P<part>early|mid|late|earlier|later|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|end\s+of|beginning\s+of|start\s+of|middle\s+of)"
REL = r"(?P<rel>last|next|this|past|coming|previous|current|following|recent)"
WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAYPART = r"(?P<daypart>morning|afternoon|evening|night)"
SEASON = r"(?P<season>summer|winter|spring|fall|autumn)"
ORD = r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"

_B = r"(?<![\w$£€])"  # not glued to a word or a currency sign
_E = r"(?![\w])"

RULES: list[tuple[str, str, int]] = [
    # name, pattern, regex flags (0 = case-sensitive)
    (
        "iso",
        rf"{_B}(?P<year>1[6-9]\d\d|20\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)(?:[T ](?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::\d\d)?)?{_E}",
        0,
    ),
    (
        "numeric",
        rf"{_B}(?P<mon>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>\d{{4}}|\d{{2}})(?:\s+(?P<hour>[0-2]?\d):(?P<minute>[0-5]\d)(?::\d\d)?)?{_E}",
        0,
    ),
    (
        "mdy",
        rf"{_B}(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?{MONTH}\s+{DAYNUM},?\s+{YEAR}{_E}",
        0,
    ),
    (
        "dmy",
        rf"{_B}(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?{DAYNUM}\s+(?:of\s+)?{MONTH},?\s+{YEAR}{_E}",
        0,
    ),
    (
        "md_range",
        rf"{_B}{MONTH}\s+{DAYNUM}\s*(?P<conn>-|–|to|through|until|till|and)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+{YEAR})?(?![\w,.]?\d)",
        0,
    ),
    ("year_range", rf"{_B}(?P<year>1[7-9]\d\d|20\d\d)\s*(?:-|–)\s*(?P<year2>1[7-9]\d\d|20\d\d|\d\d)(?![\w%])", 0),
    # "3-5 March 2024" (one expression: "3" alone is no date); "March 3 to April 5" and "from 2019 to
    # 2021" are two expressions each, joined into a range after resolution (``link_ranges``)
    (
        "dm_range",
        rf"{_B}(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*(?P<conn>-|–|to|through|until|till|and)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?(?!\w)",
        0,
    ),
    (
        "md",
        rf"{_B}(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?{MONTH}\s+{DAYNUM}(?![\w,.]?\d)(?!\s*(?:%|percent|million|billion|people|points?)\b)",
        0,
    ),
    (
        "dm",
        rf"{_B}(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?(?:the\s+)?{DAYNUM}\s+(?:of\s+)?{MONTH}(?!\w)",
        0,
    ),
    ("my", rf"{_B}(?:(?i:{PARTMOD})[\s-]+)?{MONTH}(?:\s+of)?,?\s+{YEAR}{_E}", 0),
    ("month_rel", rf"{_B}(?i:{REL})\s+{MONTH_NOMAY}{_E}", 0),
    # "April next year", "early October this year", "in May of last year"
    (
        "month_relyear",
        rf"{_B}(?:(?i:{PARTMOD})[\s-]+)?{MONTH}(?:\s+of)?,?\s+(?i:(?P<rel>this|last|next))\s+(?i:year){_E}",
        0,
    ),
    (
        "month",
        rf"{_B}(?:(?i:{PARTMOD})[\s-]+)?(?P<month>January|February|March|April|June|July|August|September|October|November|December|(?<=\bin\s)May|(?<=\bof\s)May|(?<=\bsince\s)May|(?<=\buntil\s)May|(?<=\bby\s)May|(?<=\bearly\s)May|(?<=\blate\s)May|(?<=\blast\s)May|(?<=\bnext\s)May){_E}(?!\s+(?:for|of)\s+(?:the\s+)?[A-Z])",
        0,
    ),
    (
        "year",
        rf"{_B}(?:(?i:{PARTMOD})[\s-]+|(?i:(?P<fiscal>fiscal\s+year|fiscal|the\s+year|calendar\s+year|calendar))\s+)?(?P<year>1[7-9]\d\d|20\d\d)(?!\s*(?:%|percent)|[\-/.,]\d|\d)",
        0,
    ),
    ("decade", rf"{_B}(?i:the\s+)(?:(?i:{PARTMOD})[\s-]+)?(?P<decade>1[6-9]\d0|20\d0|'\d0|\d0)'?s{_E}", 0),
    (
        "century",
        rf"{_B}(?i:the\s+)(?:(?i:{PARTMOD})[\s-]+)?(?P<cent>\d{{1,2}})(?:st|nd|rd|th)[\s-]+(?i:century){_E}",
        0,
    ),
    (
        "time",
        rf"{_B}(?P<hour>[01]?\d)(?::(?P<minute>[0-5]\d))?\s*(?P<ampm>[ap]\.\s?m\.|[ap]m{_E})(?:\s+(?P<tz>[ECMP][SD]T|GMT|UTC){_E})?(?:\s+(?i:(?P<tday>today|yesterday|tomorrow|tonight)))?",
        re.I,
    ),
    ("clock24", rf"{_B}(?P<hour>[01]\d|2[0-3])(?P<minute>[0-5]\d)\s+(?P<tz>GMT|UTC|[ECMP][SD]T){_E}", 0),
    ("noon", rf"{_B}(?:(?P<tday>today|yesterday|tomorrow)\s+at\s+)?(?P<noon>noon|midnight|midday){_E}", re.I),
    ("dayword", rf"{_B}(?P<dayword>today|tonight|yesterday|tomorrow|overnight)(?:\s+{DAYPART})?{_E}(?!')", re.I),
    ("daypart_rel", rf"{_B}(?P<rel>this|last|tomorrow|yesterday)\s+{DAYPART}{_E}", re.I),
    (
        "weekday",
        rf"{_B}(?:(?i:(?P<rel>last|next|this|coming|past|early|late))\s+)?{WEEKDAY}(?:\s+(?i:{DAYPART}))?{_E}",
        0,
    ),
    (
        "half",
        rf"{_B}(?i:the\s+)?(?i:(?P<half>first|second))\s+(?i:half)\s+(?i:of)\s+(?:{YEAR}|(?i:(?P<rel>this|last|next)\s+year))",
        0,
    ),
    ("quarter", rf"{_B}(?i:the\s+)?(?i:{ORD})[\s-]+(?i:quarter){_E}(?:\s+(?i:of)\s+{YEAR})?", 0),
    ("quarter_q", rf"{_B}Q(?P<qn>[1-4])(?:\s+{YEAR}|\s*(?P<fyq>FY\s?-?(?:(?:19|20)\d\d|\d\d)))?(?![\w%])", 0),
    # fiscal years: "FY2023", "FY 24", "the 2024 fiscal year" (the calendar span of a fiscal year is
    # the organisation's own, so the value is TIMEX2's "FY2024" and no day range is given)
    ("fy", rf"{_B}FY\s?-?(?P<fy>(?:19|20)\d\d|\d\d)(?![\w%])", 0),
    ("fiscal_after", rf"{_B}(?P<year>1[7-9]\d\d|20\d\d)\s+(?i:fiscal)(?:\s+(?i:year))?{_E}", 0),
    ("season", rf"{_B}(?:(?i:{REL}|{PARTMOD})\s+)?(?i:{SEASON})(?:'s)?(?:(?:\s+of)?\s+{YEAR})?{_E}", 0),
    # anaphoric: counted from a date the text named just before ("later that year", "the next day")
    (
        "anaphor_that",
        rf"{_B}(?i:(?:(?P<part2>earlier|later|early|late)\s+(?:on\s+)?)?(?:that|the\s+same)\s+(?P<aunit>day|morning|afternoon|evening|night|week|month|year))(?!\s+(?:after|before)\b){_E}",
        0,
    ),
    (
        "anaphor_next",
        rf"{_B}(?i:the\s+(?P<dir>next|following|previous|preceding)\s+(?P<aunit>day|morning|afternoon|evening|night|week|month|year)){_E}",
        0,
    ),
    ("anaphor_around", rf"{_B}(?i:the\s+(?P<aunit>day|night|week|month|year)\s+(?P<dir>before|after)){_E}", 0),
    (
        "ago",
        rf"{_B}(?i:(?:{APPROX}\s+)?(?P<num>{NUMWORD}|a|an)[\s-]+{UNIT}s?\s+(?P<dir>ago|earlier|before|later|after|from\s+now|hence))",
        0,
    ),
    (
        "relperiod",
        rf"{_B}(?i:(?:(?P<part2>earlier|later|early|late)\s+)?(?:the\s+)?{REL}\s+(?P<period>week|month|year|quarter|weekend|decade|century|fiscal\s+year))(?:'s)?{_E}",
        0,
    ),
    (
        "duration",
        rf"{_B}(?i:(?:{APPROX}\s+)?(?P<num>{NUMWORD}|a|an)[\s-]+(?:(?P<more>more|other|additional|full|straight|consecutive)\s+)?{UNIT}s?(?:[\s-]+long)?){_E}(?![\s-]+old\b)",
        0,
    ),
    (
        "unitsplural",
        rf"{_B}(?i:(?:{APPROX}\s+)?(?:the\s+)?(?P<unit>decades|years|months|weeks|days|hours|minutes)){_E}(?!\s+(?:of|ago|earlier|later|before|after)\b)",
        0,
    ),
    (
        "set",
        rf"{_B}(?i:(?P<set>daily|weekly|monthly|annually|yearly|nightly|hourly|(?:every|each)\s+(?:other\s+)?(?:day|week|month|year|morning|night|evening|afternoon|weekend|summer|winter|spring|fall)))(?![\w-])",
        0,
    ),
    (
        "holiday",
        rf"{_B}(?:(?i:(?P<rel>last|next|this))\s+)?(?P<holiday>Christmas\s+Eve|Christmas(?:\s+Day)?|New\s+Year's\s+(?:Day|Eve)|Independence\s+Day|Thanksgiving(?:\s+Day)?|Election\s+Day|Halloween|Valentine's\s+Day|Easter(?:\s+Sunday)?|Labor\s+Day|Memorial\s+Day|Veterans\s+Day)(?:\s+{YEAR})?{_E}",
        0,
    ),
    (
        "vague",
        rf"{_B}(?i:(?P<vague>now|currently|nowadays|recently|these\s+days|the\s+past|the\s+future|the\s+present|in\s+future|soon|formerly|once|previously|lately))(?!-){_E}",
        0,
    ),
]
# "unitsplural" is only kept after a preposition that makes it temporal ("for years", "in decades").
_UNITS_PLURAL_CUE = re.compile(
    r"(?i)\b(?:for|in|over|within|after|recent|past|last|the\s+past|the\s+last|many|several|few)\s+$"
)
_VAGUE_BAD_NEXT = re.compile(r"(?i)^\s*(?:that|than|and\s+then)\b")

_COMPILED = [(name, re.compile(pat, flags)) for name, pat, flags in RULES]


@dataclass(slots=True)
class Hit:
    start: int
    end: int
    rule: str
    groups: dict = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start


def _keep(name: str, m: re.Match, text: str) -> bool:
    g = m.groupdict()
    s = m.group(0)
    if name == "unitsplural":
        return bool(g.get("approx")) or bool(_UNITS_PLURAL_CUE.search(text[max(0, m.start() - 20) : m.start()]))
    if name == "vague":
        v = (g.get("vague") or "").lower()
        if v in ("once", "soon", "formerly", "previously", "lately", "in future", "recently"):
            return False  # rarely tagged as TIMEX3 in news annotation
        return not _VAGUE_BAD_NEXT.match(text[m.end() : m.end() + 12])
    if name in ("md", "dm"):
        day = int(g["day"])
        return 1 <= day <= 31
    if name in ("md_range", "dm_range") and g.get("conn", "").lower() == "and":
        # "between March 3 and 5" is a range; "on March 3 and 5" are two days
        return bool(re.search(r"(?i)\bbetween\s+$", text[max(0, m.start() - 10) : m.start()]))
    if name == "anaphor_next":
        # "the next week/month/year" counts from the reference date ("over the next year"): relperiod
        return not (g["dir"].lower() == "next" and g["aunit"].lower() in ("week", "month", "year"))
    if name == "noon":
        return not re.search(r"(?i)\bhigh\s+$", text[max(0, m.start() - 6) : m.start()])  # "High Noon"
    if name == "year":
        before = text[max(0, m.start() - 2) : m.start()]
        if before.endswith(("No.", "#")):
            return False
        return True
    if name == "duration":
        num = (g.get("num") or "").lower()
        if num in ("a", "an") and not g.get("approx") and g.get("unit", "").lower() in ("second", "minute"):
            return False  # "a second" is more often an ordinal
        if re.fullmatch(r"\d{1,3}(,\d{3})+", num):
            return False
        return True
    if name == "season":
        # a bare season needs a cue: "in the spring" -> ok via preceding word; "spring" as verb -> no
        if not (g.get("rel") or g.get("part") or g.get("year")):
            before = text[max(0, m.start() - 8) : m.start()].lower()
            return bool(re.search(r"\b(?:in|the|this|by|until|since|during)\s+$", before))
    return bool(s.strip())


def find(text: str) -> list[Hit]:
    """Every date/time expression in ``text``, longest match first, no overlaps, by start."""
    hits: list[Hit] = []
    for name, rx in _COMPILED:
        for m in rx.finditer(text):
            if m.end() <= m.start() or not _keep(name, m, text):
                continue
            start, end = m.start(), m.end()
            if name == "ago" and m.group("dir").lower() not in ("ago", "from now", "hence"):
                end = m.start("dir")  # "two days after": TimeML tags the length, not the adverb
                while end > start and text[end - 1].isspace():
                    end -= 1
            hits.append(Hit(start, end, name, {k: v for k, v in m.groupdict().items() if v is not None}))
    hits.sort(key=lambda h: (-h.length, h.start))
    taken: list[Hit] = []
    occupied: list[tuple[int, int]] = []
    for h in hits:
        if any(h.start < e and s < h.end for s, e in occupied):
            continue
        taken.append(h)
        occupied.append((h.start, h.end))
    taken.sort(key=lambda h: h.start)
    return taken
