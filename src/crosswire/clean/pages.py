"""Pages that are no article: a web archive's crawl notice, a sign-in form, a video player's messages.

Web captures often hold such a page where an article should be (a capture that failed, a paywall's
sign-in, a player whose video is gone). Analysed as an article, its sentences become what "only one
outlet reports", its first line the outlet's lead, and every fact of the story something it "leaves
out". ``not_an_article`` names what the page is, so that the readers of a run can leave it out with
one line saying why; the article's text is never changed by it.
"""

from __future__ import annotations

import re

from crosswire.model import Article, Rejection
from crosswire.text import PAGE_SIGNATURES, is_page_furniture

# A page's boilerplate stands at its top; a real article that merely carries such a line (a sign-in bar
# above the story) is longer than the boilerplate pages, which run to 10-120 words.
SIGNATURE_HEAD_CHARS = 300
SIGNATURE_MAX_WORDS = 400
_SIGNATURES = [(what, re.compile(rx, re.IGNORECASE)) for what, rx in PAGE_SIGNATURES]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")


def not_an_article(text: str) -> str | None:
    """Why ``text`` is no article (``"not an article: a web archive's crawl notice ('Starting in 1996,
    …')"``), or None when it may be one: a page signature in its first lines of a short text, or nothing
    in it but page furniture and lines of three words or fewer."""
    text = text.strip()
    if not text:
        return None
    if len(text.split()) <= SIGNATURE_MAX_WORDS:
        head = text[:SIGNATURE_HEAD_CHARS]
        for what, rx in _SIGNATURES:
            if rx.search(head):
                return f"not an article: {what} ({_quote(text)})"
    first = None  # the first furniture line; a story's first real sentence ends the check
    for s in _SENTENCE_END.split(text):
        if is_page_furniture(s):
            first = first or s
        elif len(s.split()) > 3:
            return None
    return f"not an article: nothing but page furniture ({_quote(first)})" if first else None


def _quote(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return "“" + (line if len(line) <= limit else line[: limit - 1].rstrip() + "…") + "”"


def page_rejection(article: Article) -> Rejection | None:
    """The rejection of a cleaned article that is no article (see ``not_an_article``), else None."""
    why = not_an_article(article.text)
    if why is None:
        return None
    return Rejection(article.path or article.url or article.id, why, "not_article")
