"""Small text helpers shared by several stages: numbers, negation, modality, calendar days, page furniture.

They read plain strings only (no parse), so any stage may use them.
"""

from __future__ import annotations

import re

__all__ = [
    "CARDINALS",
    "MONTHS",
    "PAGE_SIGNATURES",
    "calendar_days",
    "is_irrealis",
    "is_negated",
    "is_page_furniture",
    "numbers_in",
]

# Sentences about the page rather than the story: players, captions and photo galleries, share bars and
# sign-up prompts, staff credits, disclaimers, corrections notes, quiz and promo lines. None is a claim of
# the story, and none is worth a reader's eye as what "only one outlet reports". The terms were read off
# the 71 development stories' articles; on 429 other Multi-News articles (validation rows no gold story
# uses) they hit 371 of 13,661 sentences (138 of them gallery captions, 54 a video player's "Skip in Skip x
# Embed x Share" bar), every one page furniture but for story sentences glued to it.
# Pages that are no article at all, each by phrases its boilerplate always holds (read off Multi-News
# validation rows that no gold story uses; see ``clean.pages``). Each is page furniture as a sentence too.
PAGE_SIGNATURES: tuple[tuple[str, str], ...] = (
    (
        "a web archive's crawl notice",
        r"donating their crawl data|added to the Wayback Machine|crawls are part of an effort to archive|"
        r"crawl of outlinks|the seed for (?:this crawl|wide\d+)|this crawl was run|warc files associated|"
        r"archive-it service|web captures|crawls performed by|(?:this data is|these files are) currently not "
        r"publicly accessible",
    ),
    (
        "a sign-in or registration form",
        r"sign in using (?:you|your)\b|loginwidget|welcome back\. please sign in|already have an account\?",
    ),
    ("a notice that the page needs JavaScript", r"javascript is disabled|(?:need|have) to enable javascript"),
    (
        "a video player's messages",
        r"rating is available when the video has been rented|interactive transcript could not be loaded|"
        r"this feature is not available right now",
    ),
    ("a social network's notice", r"add location information to your tweets|tweet location history"),
    ("an error page", r"sorry, the page you requested|custom domain mapping"),
)
_PAGE_FURNITURE = re.compile(
    r"(?:" + "|".join(p for _, p in PAGE_SIGNATURES) + r")|"
    r"\b(?:autoplay|embed|copy this code|media playback|media caption|image caption|hide caption|getty images|"
    r"click here|subscribe|newsletter|cookie policy|use of cookies|sign up|follow us|share this|"
    r"read more(?=\s*(?:about|from|on|at|here|:|$))|all rights reserved|continue reading the main story|"
    r"^\W*(?:photo\s+)?advertisement\b|leave a review|dear readers?|this story has been updated|"
    r"contributed (?:to|reporting to) (?:this|the) (?:report|story|article)|contributed reporting|"
    r"(?:additional )?reporting by|editing by|"
    r"the views expressed|terms of (?:service|use)|privacy policy|activate your account|check your (?:e-?mail|inbox)|"
    r"click (?:on )?the link|read the full (?:interview|story|report|article|statement|transcript)|"
    r"(?:this|the) (?:article|story|piece) (?:first|originally) appeared|an earlier version of this (?:story|article)|"
    r"test your knowledge|follow (?:him|her|them|me) on (?:twitter|facebook|instagram)|follow @\w+|"
    r"breaking news (?:e-?mails|alerts)|let us know in (?:the )?comments|send an email to the author|"
    r"share ideas for stories|^\W*file\s*[-–—]\s|in (?:this|a|an) (?:[\w.,']+ ){0,6}file (?:photo|image|picture)|"
    r"join the conversation|delivered (?:to your inbox|weekday mornings)|(?-i:^CLOSE)|"
    r"is an? (?:[\w&'.-]+ ){0,4}(?:staff writer|staff reporter|staff photographer|contributing writer|special "
    r"correspondent)(?=\W*$)"
    r")\b",
    re.IGNORECASE,
)

CARDINALS: dict[str, int] = (
    {
        w: n
        for n, w in enumerate(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
            "seventeen eighteen nineteen".split()
        )
    }
    | {w: 10 * k for k, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
    | {"hundred": 100}
)
"""Number words as cardinals ("seventeen" -> 17), shared by the date rules and ``numbers_in``."""
MONTHS: dict[str, int] = {
    m: n
    for n, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
MONTHS |= {m[:3]: n for m, n in list(MONTHS.items())} | {"sept": 9}
"""Month names and their abbreviations ("sep", "sept") -> 1-12, shared by the date rules, the story
clustering's date features and the comparison's counted things."""
_NUMBER_WORDS: dict[str, float] = {
    **CARDINALS,
    "dozen": 12,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "half": 0.5,
}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}
_NUM_RE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:st|nd|rd|th)?(?:\s*(thousand|million|billion|trillion|bn|k|m)\b)?"
    r"|\b("
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")\b(?:[\s-]+(thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
# "not only / merely / just / simply X (but Y)" adds to X; it denies nothing ("their actions weren't merely
# illegal, but a form of domestic terrorism")
_ADDITIVE = r"(?!\s+(?:only|merely|just|simply)\b)"
_NEG_RE = re.compile(
    rf"\b(not|no|never|neither|nor|none|nobody|nothing|without|n't|refus\w*|den(?:y|ied|ies))\b{_ADDITIVE}|n['’]t\b{_ADDITIVE}",
    re.IGNORECASE,
)


def numbers_in(text: str) -> set[str]:
    """Numeric values written in ``text`` (digits or words), normalised: "three" and "3" are one value."""
    out: set[str] = set()
    for m in _NUM_RE.finditer(text):
        if m.group(1):
            value = float(m.group(1).replace(",", ""))
            scale = _SCALE.get((m.group(2) or "").lower(), 1)
        else:
            word = m.group(3).lower()
            if word == "second" and not re.search(
                r"\bsecond[\s-]+(largest|biggest|time|round|term)", text[m.start() : m.end() + 12], re.I
            ):
                continue  # "a second" as in time or "second" meaning support; only count ordinal uses
            value = float(_NUMBER_WORDS[word])
            scale = _SCALE.get((m.group(4) or "").lower(), 1)
        v = value * scale
        out.add(str(int(v)) if v == int(v) else f"{v:g}")
    return out


def is_negated(text: str) -> bool:
    return bool(_NEG_RE.search(text))


def negation_ends(text: str) -> list[int]:
    """Where each negation of ``text`` ends ("did not| damage", "denied| that")."""
    return [m.end() for m in _NEG_RE.finditer(text)]


# Irrealis: the statement says someone hopes, plans, wants, is willing or expected to do a thing, or
# that it would/may/could happen; not that it happened. "that/which would" inside a relative clause
# ("negotiations that would lead to peace") qualifies a noun, not the statement, so it does not count.
_IRREALIS_RE = re.compile(
    r"\b(?:hop(?:e|es|ed|ing)|plan(?:s|ned|ning)?|want(?:s|ed)?|wish(?:es|ed)?|intend(?:s|ed)?|"
    r"expect(?:s|ed)?|aim(?:s|ed)?|seek(?:s|ing)?|willing|prepared|likely|set)\s+to\s+\w+"
    r"|(?<!\bthat )(?<!\bwhich )(?<!\bwho )\b(?:would|may|might|could)\s+(?:not\s+)?(?:be\s+)?\w+",
)


_MONTH = (
    r"(Jan(?:uary|\.)|Feb(?:ruary|\.)|Mar(?:ch|\.)|Apr(?:il|\.)|May|Jun(?:e|\.)|Jul(?:y|\.)|Aug(?:ust|\.)|"
    r"Sep(?:tember|t\.|\.)|Oct(?:ober|\.)|Nov(?:ember|\.)|Dec(?:ember|\.))"
)
_CALENDAR_RE = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})\b|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}")


def calendar_days(text: str) -> set[str]:
    """Days of the calendar written in ``text``: "on Nov. 15" and "15 November" -> {"nov 15"}."""
    out = set()
    for m in _CALENDAR_RE.finditer(text):
        month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out.add(f"{month[:3].lower()} {int(day)}")
    return out


def is_irrealis(text: str) -> bool:
    """The statement is about a hope, plan, wish, readiness or possibility, not a thing that happened."""
    return bool(_IRREALIS_RE.search(text))


def is_page_furniture(text: str) -> bool:
    """A sentence about the page, not the story ("Staff writers ... contributed to this report.", "By
    submitting your registration information, you agree to our Terms of Service ...")."""
    return bool(_PAGE_FURNITURE.search(text.strip()))
