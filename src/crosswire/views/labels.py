"""Words the pages show for things the analysis names: outlets, parties, quotations, original links.

Everything returns plain strings; the templates escape them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlparse

from crosswire.analysis.entities import parties
from crosswire.model import Article

# Short outlet codes that inputs use for well-known outlets (a code the table lacks is shown as itself,
# explained as a code). Facts, not a ranking: add codes as inputs need them.
KNOWN_OUTLETS = {
    "ap": "Associated Press",
    "afp": "Agence France-Presse",
    "bbc": "BBC News",
    "cbs": "CBS News",
    "cnn": "CNN",
    "fox": "Fox News",
    "foxnews": "Fox News",
    "guardian": "The Guardian",
    "latimes": "Los Angeles Times",
    "nbc": "NBC News",
    "npr": "NPR",
    "nyt": "The New York Times",
    "nytimes": "The New York Times",
    "politico": "Politico",
    "reuters": "Reuters",
    "usatoday": "USA Today",
    "wapo": "The Washington Post",
    "washpost": "The Washington Post",
    "wsj": "The Wall Street Journal",
}
_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,11}$")


def is_code(source: str) -> bool:
    """A short lower-case token such as "nyt": an outlet code rather than a name."""
    return bool(_CODE.match(source))


def outlet_names(articles: Iterable[Article]) -> dict[str, str]:
    """Outlet label -> display name: the site name the articles give, else a known code's name, else itself."""
    sites: dict[str, Counter] = {}
    labels: set[str] = set()
    for a in articles:
        label = a.outlet
        labels.add(label)
        if a.site_name and a.site_name != label:
            sites.setdefault(label, Counter())[a.site_name] += 1
    out = {}
    for label in labels:
        if label in sites:
            out[label] = sites[label].most_common(1)[0][0]
        else:
            out[label] = display_name(label)
    return out


def display_name(label: str) -> str:
    if label.startswith("unknown (") and len(label) > 26:  # "unknown (<file name>)": a short form of the name
        return label[:21] + "…)"
    return KNOWN_OUTLETS.get(label.lower(), label) if is_code(label) else label


def outlet_note(label: str, name: str) -> str | None:
    """A few words that explain a label the page shows as a name ("code nyt in the input")."""
    if label.startswith("unknown ("):
        return f"the input does not name the outlet: {label}"
    if name != label:
        return f"outlet code “{label}” in the input"
    if is_code(label):
        return f"“{label}” is the outlet code the input gives; no fuller name is known"
    return None


# --- parties -----------------------------------------------------------------------------------------
_NOT_PARTY = {
    "he", "she", "it", "they", "we", "i", "you", "who", "whom", "which", "that", "this", "these", "those",
    "one", "two", "three", "four", "five", "some", "many", "others", "other", "both", "all", "none",
    "deal", "letter", "statement", "report", "document", "documents", "memo", "email", "tweet", "post",
    "him", "her", "them", "us", "there", "here", "someone", "anyone", "everyone", "people", "officials", "sources",
}  # fmt: skip
_STATE_TAG = re.compile(r"^\(?[DRI]-[A-Z][A-Za-z.]*\)?[.,]*$")  # "D-Calif.," is a party label, not a party


def is_party(name: str | None) -> bool:
    """False for names the analysis gives as parties that cannot be one (pronouns, number words, common
    nouns, fragments, outlets, documents: the analysis's own check, ``entities.parties.is_party``, plus a
    few display rules). A safety net for display only: the analysis should not produce them."""
    if not name or not parties.is_party(name):
        return False
    n = name.strip().strip("“”\"'‘’")
    if len(n) < 2 or n.lower() in _NOT_PARTY or _STATE_TAG.match(n):
        return False
    if n.endswith(",") or n.endswith("?"):
        return False
    words = n.split()
    if words[0].lower() in _NOT_PARTY:  # "they say", "two officials": a pronoun or a number, not a name
        return False
    # one lower-case word ("deal", "letter") is a fragment; "the chancellor's office", "most EU member states" are not
    return words[0][0].isupper() or words[0][0].isdigit() or len(words) > 1


_QUOTE_MARKS = "\"“”„‟«»'‘’"


def quote_text(content: str) -> str:
    """A quotation's words without the quotation marks around them (the page adds its own, once)."""
    t = content.strip()
    while len(t) > 1 and t[0] in _QUOTE_MARKS:
        t = t[1:].lstrip()
    while len(t) > 1 and t[-1] in _QUOTE_MARKS:
        t = t[:-1].rstrip()
    return t


# --- originals ---------------------------------------------------------------------------------------
def original_href(article: Article) -> str | None:
    """The article's web address when it has one that a browser may follow (http or https)."""
    if article.url:
        u = urlparse(article.url)
        if u.scheme in ("http", "https") and u.netloc:
            return article.url
    return None


def file_name(article: Article) -> str | None:
    """The input file's name (not its folder: a local path means nothing to a reader)."""
    if not article.path:
        return None
    return article.path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or None


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
