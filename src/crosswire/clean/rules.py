"""Line-level features and rules the cleaner uses (see clean.py for how they are applied).

Nothing here knows any particular site: the rules look at a line's length, punctuation,
capitalisation, its position at the start or end of the article, a small lexicon of
appeal and site-chrome words, and the word overlap of trailing blocks with the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTES_OPEN = "\"“‘'«„"
QUOTES_CLOSE = "\"”’'»“"
SEPARATORS = {"-", "–", "—", "•", "*", "|", "·", "»", ">", "+", "~", "/", "_", "=", "#"}

# Words that make up navigation and site chrome when a short line has nothing else.
CHROME_WORDS = set(
    """
close menu search share shares tweet pin email e-mail print home news subscribe login log in on up out
sign register advertisement advertising ad ads sponsored skip to content main navigation comments comment
reply next previous prev back top more facebook twitter x whatsapp linkedin reddit telegram copy link
toggle open cookie cookies accept continue leave a review related read the this article story stories
story's video photo photos gallery watch listen play audio podcast loading follow us now today breaking
live newsletter newsletters sections section topics tags tag save bookmark menu. show hide
""".split()
)

# A chrome label that makes up (nearly) the whole line.
_LABEL_CHROME = re.compile(
    r"^(leave a (review|comment|reply)|remind me later|maybe later|not ready to (support|subscribe|donate|give)\b.*"
    r"|skip to (main )?content|story continues below|continue reading( the main story)?|click here|read (more|next|also)"
    r"|share (this|on \w+)( (story|article|page))?|follow us|sign up( now| today)?|subscribe( now| today)?"
    r"|related( (articles|stories|news|content|coverage|links|posts))?|you (may|might) (also )?like|most (read|popular|viewed)"
    r"|trending( now)?|recommended( for you)?|(advertisement|sponsored content)( continue reading the main story)?"
    r"|story continue[sd] below|tweet with a location|text size|(please )?enable javascript\b.*|report this ad"
    r"|thank you for (registering|signing up|subscribing)|(play|watch) (the )?video|print( this)?( page| article)?"
    r"|also|reset|from wikipedia, the free encyclopedia)"
    r"[\s.:!?>»-]*$",
    re.I,
)
# A chrome prompt followed by a link, names or a teaser ("Read more about: ...", "Follow X on Twitter").
_PROMPT_CHROME = re.compile(
    r"^(read (more|next|also)( about)?\s*:|related( content| stories| articles| coverage)?\s*:|complete coverage\s*:"
    r"|(more on this|see also|also read|don't miss)\s*:|(follow|like) (\S+ ){1,4}on (twitter|facebook|instagram|x|google\+|tiktok|threads|bluesky)\b"
    r"|follow (us|me) on\b|follow \S+( \S+){0,3} (at|on|@) ?\S*(twitter|facebook|instagram)|original article on\b|this (article|story) (was )?(originally )?(first )?(appeared|published) (on|in)\b"
    r"|(advertisement )+continue reading the main story|have a tip\b|stay up to date\b|read or share this story\b"
    r"|(https?://|www\.)\S+$|((facebook|twitter|pinterest|linkedin|whatsapp|email|share|tweet)\b[\s,|]*){2,}"
    r"|[A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3} ?/ ?(getty|ap|afp|reuters|epa|cnet|shutterstock|istock|ap photo)\b.{0,30}$)",
    re.I,
)
# "PHOTOS: ..." / "VIDEO: ..." link teasers are written in capitals; "Video: 4K at 30fps" in a review is content.
_MEDIA_LINK = re.compile(r"^(MORE )?(PHOTOS?|VIDEOS?|GALLERY|WATCH|IMAGES?|SLIDESHOW|LISTEN)\s*:")
_CREDIT = re.compile(r"^(photo|picture|image)s?( credit)?\s*:|^(photo|image) (credit|courtesy)\b", re.I)
APPEAL_START = re.compile(
    r"^(a message from\b|dear (readers?|friends?|subscribers?)\b|(please )?(support|donate|help) (us|our|independent|the)\b"
    r"|please (support|donate|consider)|become a (member|subscriber|patron|supporter)|we need your (help|support)"
    r"|subscribe (now|today|to)|support (independent|quality) journalism|if you (value|like|enjoy) (our|this|what))",
    re.I,
)
APPEAL_CUE = re.compile(
    r"\b(a message from|dear readers?|donat(e|ion|ions|ing)|contribut(e|ion|ions)|subscri(be|ber|bers|ption|ptions)"
    r"|support (us|our|independent|quality|journalism|today)|supporting|your support|need your (help|support)"
    r"|independent journalism|remind me later|not ready to|thank you for (reading|standing|supporting|your)"
    r"|become a (member|subscriber|patron|supporter)|paywall|sign up for|newsletter|monthly|per month|a month)\b",
    re.I,
)
_ABBR_MONTH = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Nos|Vol|Vols|pp?|Fig|Figs|Art|Sec|ch"
_ABBR_TITLE = r"Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Capt|Sgt|Sen|Rep|Gov|Rev|St|Mt|Ft|Adm|Maj|Cmdr|Supt|Pres"
_ABBR_OTHER = r"U\.S|U\.K|U\.N|E\.U|Inc|Corp|Co|Ltd|Jr|Sr|vs|ca|approx|est|e\.g|i\.e|etc|Gov't|Dept|Univ|Ave|Blvd"
ABBR_BEFORE_NUMBER = re.compile(rf"(?:^|[\s(])(?:{_ABBR_MONTH})\.$")
ABBR_BEFORE_NAME = re.compile(rf"(?:^|[\s(])(?:{_ABBR_TITLE})\.$")
ABBR_ANY = re.compile(rf"(?:^|[\s(])(?:{_ABBR_MONTH}|{_ABBR_TITLE}|{_ABBR_OTHER})\.$")
_MONTHS = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"
    r"|\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)
_TWO_SENTENCES = re.compile(r"[.!?][\"”’]?\s+[\"“‘]?[A-Z]")
ATTRIBUTION = re.compile(r"\b(said|says|told|tells|according to|stated|added|wrote|explained|asked)\b", re.I)
STOPWORDS = set(
    """
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my no nor not now of off on once
only or other our ours out over own same she should so some such than that the their theirs them then there these
they this those through to too under until up very was we were what when where which while who whom why will with
would you your yours said says told year years new one two also like
""".split()
)


@dataclass
class Line:
    """One line of the raw text: [start, end) is its content without the newline."""

    i: int
    start: int
    end: int
    raw: str

    @property
    def s(self) -> str:
        return self.raw.strip()

    @property
    def blank(self) -> bool:
        return not self.raw.strip()

    @property
    def words(self) -> list[str]:
        return self.raw.split()


def split_lines(raw: str) -> list[Line]:
    out, pos = [], 0
    for i, part in enumerate(raw.split("\n")):
        out.append(Line(i, pos, pos + len(part), part))
        pos += len(part) + 1
    return out


def norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())


def content_words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'-]{2,}", s.lower()) if w not in STOPWORDS}


def overlap(block: str, body: str) -> float:
    """Share of the block's content words that also occur in the body."""
    b = content_words(block)
    return len(b & content_words(body)) / len(b) if b else 1.0


def looks_like_headline(s: str, *, allow_period: bool = False) -> bool:
    """A short single line shaped like a headline: capitalised, one clause, no final comma/colon;
    a final period only when ``allow_period`` and the line is short."""
    s = s.strip()
    w = s.split()
    if not 3 <= len(w) <= 20 or len(s) > 180:
        return False
    if not (s[0].isupper() or s[0].isdigit() or s[0] in QUOTES_OPEN):
        return False
    if is_date_line(s):
        return False
    end = s.rstrip(QUOTES_CLOSE + ") ")
    if not end or end[-1] in ",;:-–—(" or (end != s and end[-1] in ".!?"):
        return False  # a clause or a quoted sentence, not a headline
    if s[-1] == "." and (not allow_period or len(w) > 14 or ABBR_ANY.search(s)):
        return False
    return not _TWO_SENTENCES.search(s)


def is_body_line(s: str) -> bool:
    """A line that is clearly article prose (long, ends like a sentence)."""
    w = s.split()
    return (len(w) >= 15 and s.rstrip("\"”’')").endswith((".", "!", "?"))) or len(s) >= 200


def is_date_line(s: str) -> bool:
    return bool(_MONTHS.search(s)) and len(s.split()) <= 8


def is_chrome(s: str) -> bool:
    """A short line made only of navigation/chrome words, or a known chrome phrase."""
    w = s.split()
    if not w:
        return False
    if len(w) <= 5 and all(re.sub(r"[^\w'-]", "", x.lower()) in CHROME_WORDS or not re.sub(r"\W", "", x) for x in w):
        return True
    if len(w) <= 8 and _LABEL_CHROME.match(s):
        return True
    if len(w) <= 12 and (_MEDIA_LINK.match(s) or _CREDIT.match(s)):
        return True
    return len(w) <= 30 and bool(_PROMPT_CHROME.match(s))


LIST_BULLETS = {"-", "–", "—", "•", "*", "|", "·", "»", ">"}


def is_separator(s: str) -> bool:
    """A line made only of separator characters ("-", "___", "* * *")."""
    return bool(s) and all(c in SEPARATORS or c.isspace() for c in s) and len(s) <= 40


def is_bullet(s: str) -> bool:
    """A lone list bullet between the items of a list of links ("-", "•")."""
    return bool(s) and all(c in LIST_BULLETS or c.isspace() for c in s) and len(s) <= 3


def is_label(s: str) -> bool:
    """A short section label ("In World", "More from BBC") above a list of other stories."""
    w = s.split()
    return 1 <= len(w) <= 5 and not s.endswith((".", "!", "?", ",", ";", '"', "”")) and s[:1].isupper()


def is_pull_quote(text: str) -> bool:
    """A block that is only a quotation, with no attribution (a teaser's pull quote)."""
    t = text.strip()
    return len(t) > 2 and t[0] in QUOTES_OPEN and t.rstrip(".!?")[-1:] in QUOTES_CLOSE and not ATTRIBUTION.search(t)


def headline_of(text: str, *, limit: int = 12) -> str | None:
    """The headline among the opening lines, if any (used for plain-text titles)."""
    lines = [ln for ln in split_lines(text) if not ln.blank]
    region = leading_region(lines, limit=limit)
    h = pick_headline(region)
    return region[h].s if h is not None else None


def leading_region(lines: list[Line], *, limit: int = 12) -> list[Line]:
    """The non-blank lines before the first line of article prose (at most ``limit``)."""
    region: list[Line] = []
    for ln in lines:
        if ln.blank:
            continue
        if is_body_line(ln.s) or len(region) >= limit:
            break
        region.append(ln)
    if len(region) == len([ln for ln in lines if not ln.blank]):
        return region[:1] if len(region) > 1 and looks_like_headline(region[0].s, allow_period=True) else []
    return region


def pick_headline(region: list[Line]) -> int | None:
    """Index in ``region`` of the headline: a headline-shaped line that repeats (a page header,
    the title, the title again), else the first headline-shaped line (a final period only on
    the first line)."""
    h, _ = pick_headline_how(region)
    return h


def pick_headline_how(region: list[Line]) -> tuple[int | None, bool]:
    """(index of the headline, whether it was found because it repeats)."""
    shaped = [
        k
        for k, ln in enumerate(region)
        if looks_like_headline(ln.s, allow_period=(k == 0)) and not is_chrome(ln.s) and len(ln.words) >= 4
    ]
    if not shaped:
        return None, False
    counts: dict[str, int] = {}
    for ln in region:
        counts[norm(ln.s)] = counts.get(norm(ln.s), 0) + 1
    repeated = [k for k in shaped if counts[norm(region[k].s)] > 1]
    if repeated:
        return repeated[0], True
    return shaped[0], False
