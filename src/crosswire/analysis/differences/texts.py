"""What the difference points, the summary and the title read from the texts: short outlet labels, whole
statements, each outlet's sentences (embedded once) and whether an outlet's whole text reports a statement.

Thresholds (cosine of MiniLM sentence embeddings, and the share of a statement's content words found in
one sentence) were read off development gold only: ``../shared/bench/verdicts/dev_gold.json`` and
``dev/verdicts/tune_gold.json``, the quotes of a shared fact against the other reporting article's
sentences (reported) and exclusive quotes against the other articles (not reported); see BENCHMARKS.md
## differences.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from crosswire.analysis.claims import is_caption
from crosswire.analysis.context import StoryContext
from crosswire.model import Article, Span
from crosswire.text import is_page_furniture

# Another outlet reports a statement when one of its sentences is close by meaning (cosine at least
# REPORTED) and shares its rarer words (IDF-weighted share of the statement's content words, IDF over the
# story's sentences, at least REPORTED_WORDS): on the development gold 44% of shared quotes' pairs pass,
# 4.7% of exclusive quotes against another article do.
REPORTED, REPORTED_WORDS = 0.55, 0.3
# It leaves the statement out when no sentence comes that close by meaning or by words: 4.9% of shared
# quotes' pairs fall below both, 50% of exclusive quotes do. Between the two, nothing is said.
NOT_REPORTED, NOT_WORDS = 0.45, 0.2
SAME_FACT = 0.5  # P(same fact) from which the comparison's model says two claims report one fact
QUOTE_WORDS = 22  # a quoted statement in a point is cut after this many words

_STOP = set(
    "the a an of to in on and or that with for as by at from is was were be been has had have it its he his "
    "she her they their this also said says would will which who but about into after before not no than then "
    "there when where what more most some such only over under up out new one two can could may might should "
    "did does do".split()
)
_PRONOUN_START = re.compile(
    r"^[\"“‘']?(he|she|it|they|we|i|you|his|her|its|their|my|our|your|this|that|these|those|such|him|them|there)\b",
    re.I,
)
# two sentences read as one ("... after the U.S. In a media interview ..."): a full stop, then a word that
# starts sentences, not after a title ("Mr. A")
_TWO_SENTENCES = re.compile(
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bNo)\.\s+"
    r"(The|In|An?|He|She|It|They|But|And|This|On|At|After|For|We|However|Meanwhile)\s"
)
_FIRST_PERSON = re.compile(r"\b(I|my|we|our|us|me)\b")
_FRAGMENT_START = re.compile(
    r"^[\"“‘']?(and|but|or|so|adding|calling|saying|while|which|who|because|as|"
    # words that point back to what came before: "Another prospective juror ...", "Except seven of those ...",
    # "The same day ...", "However, ..."
    r"another|except|also|still|then(?![-‐])|instead|meanwhile|however|yet|likewise|besides|moreover|furthermore|"
    r"nonetheless|similarly|otherwise|introducing|the same|the other|the latter|the former)\b",
    re.I,
)
_TERMINAL = re.compile(r"[.!][\"”’']?\)?$")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# a sentence split after an abbreviation ("... on Oct." / "13. ...") is not whole
_ABBREV_END = re.compile(
    r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|St|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Inc|Co|Jr|No|U\.S)\.$"
)


def short_label(outlet: str, number: int | None = None) -> str:
    """An outlet's label for a sentence: the label itself, or "article N" for an unnamed outlet
    ("unknown (004_f599b5dff95cfd99.txt)" is a file name, not a name a reader can use)."""
    if outlet.startswith("unknown ("):
        return f"article {number}" if number is not None else "an unnamed outlet"
    return outlet


def outlet_labels(ctx: StoryContext) -> dict[str, str]:
    """Outlet label -> its short label; unnamed outlets by their article's number in the story."""
    numbers = {aid: i for i, aid in enumerate(ctx.story.articles, 1)}
    out: dict[str, str] = {}
    for a in ctx.articles:
        out.setdefault(a.outlet, short_label(a.outlet, numbers.get(a.id)))
    return out


def relabel(text: str, labels: dict[str, str]) -> str:
    """The text with every raw outlet label replaced by its short label."""
    for raw, short in sorted(labels.items(), key=lambda kv: -len(kv[0])):
        if raw != short:
            text = text.replace(raw, short)
    return text


def quotes_balanced(text: str) -> bool:
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def is_whole_statement(text: str, *, min_words: int = 6, max_words: int = 50) -> bool:
    """A sentence a reader understands alone: it starts as a sentence starts (a capital, not a pronoun
    or a joining word), ends with a full stop, has no dangling quotation mark and is not a question."""
    t = " ".join(text.split())
    if not (min_words <= len(_WORD.findall(t)) <= max_words):
        return False
    first = re.sub(r"^[\"“‘'(]+", "", t)[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if _PRONOUN_START.match(t) or _FRAGMENT_START.match(t):
        return False
    if not _TERMINAL.search(t) or "http" in t or _ABBREV_END.search(t) or is_page_furniture(t):
        return False
    if not quotes_balanced(t) or _TWO_SENTENCES.search(t):
        return False
    unquoted = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", t)
    return not _FIRST_PERSON.search(unquoted)  # "I had to find ...": the writer's voice, not a report


def content_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z0-9][\w'-]*", text) if w.lower() not in _STOP and len(w) > 2}


def cut(text: str, words: int = QUOTE_WORDS) -> str:
    """The source's words for quoting in a point: whitespace folded, cut after ``words`` words."""
    text = " ".join(text.split()).rstrip(".")
    if text[:1] in '"“' and text[-1:] in '"”' and quotes_balanced(text[1:-1]):
        text = text[1:-1].rstrip(".,")  # the words go inside our own quotation marks
    elif text[:1] in '"“' and not quotes_balanced(text):
        text = text[1:]  # a quotation that goes on past the sentence: its opening mark alone
    parts = text.split(" ")
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …"


def join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# ------------------------------------------------------------------ each outlet's text, sentence by sentence
@dataclass
class OutletText:
    outlet: str
    label: str
    articles: list[Article]
    spans: list[Span] = field(default_factory=list)  # its sentences, in reading order per article
    texts: list[str] = field(default_factory=list)
    position: list[float] = field(default_factory=list)  # each sentence's place in its article, 0 = first
    index: list[int] = field(default_factory=list)  # each sentence's number in its article, 0 = first
    words: list[set[str]] = field(default_factory=list)  # each sentence's content words
    emb: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), dtype=np.float32))
    length: int = 0  # words in its articles
    idf: dict[str, float] = field(default_factory=dict)  # over the sentences of every outlet of the story
    unseen: float = 1.0  # the IDF of a word no sentence of the story has

    def best(self, vec: np.ndarray) -> tuple[float, int]:
        """How close this outlet's text comes to a statement: (best cosine, index of that sentence)."""
        if not self.spans:
            return 0.0, -1
        sims = self.emb @ vec
        i = int(np.argmax(sims))
        return float(sims[i]), i

    def locate(self, span: Span) -> int:
        """The number (in ``spans``) of its sentence holding the span's start, or -1."""
        for i, s in enumerate(self.spans):
            if s.article == span.article and s.start <= span.start < s.end:
                return i
        return -1

    def overlap(self, words: set[str]) -> float:
        """The largest IDF-weighted share of the statement's content words that one of its sentences has."""
        total = sum(self.idf.get(w, self.unseen) for w in words)
        if not total:
            return 0.0
        return max((sum(self.idf.get(w, self.unseen) for w in words & s) / total for s in self.words), default=0.0)

    def reports(self, vec: np.ndarray, text: str) -> tuple[bool, int]:
        """Whether one of its sentences says the statement (and which: the closest by meaning)."""
        sim, i = self.best(vec)
        return sim >= REPORTED and self.overlap(content_words(text)) >= REPORTED_WORDS, i

    def leaves_out(self, vec: np.ndarray, text: str) -> bool:
        """Nothing in its whole text comes close to the statement, by meaning or by words."""
        return self.best(vec)[0] < NOT_REPORTED and self.overlap(content_words(text)) < NOT_WORDS


def outlet_texts(ctx: StoryContext) -> list[OutletText]:
    """The independent outlets (near-copies count for their original), each with its sentences embedded."""
    labels = outlet_labels(ctx)
    by_outlet: dict[str, list[Article]] = {}
    for a in ctx.originals:
        by_outlet.setdefault(a.outlet, []).append(a)
    outs = [OutletText(o, labels.get(o, o), arts) for o, arts in by_outlet.items()]
    for t in outs:
        for a in t.articles:
            sents = [s for s in ctx.doc(a.id).sents if len(_WORD.findall(s.text)) >= 4]
            t.length += len(a.text.split())
            for k, s in enumerate(sents):
                t.spans.append(Span(a.id, s.start_char, s.end_char))
                t.texts.append(" ".join(s.text.split()))
                t.position.append(k / max(1, len(sents)))
                t.index.append(k)
                t.words.append(content_words(s.text))
    every = [s for t in outs for s in t.texts]
    df: dict[str, int] = {}
    for t in outs:
        for ws in t.words:
            for w in ws:
                df[w] = df.get(w, 0) + 1
    n = len(every)
    idf = {w: math.log((n + 1) / (k + 1)) + 1.0 for w, k in df.items()}
    for t in outs:
        t.idf, t.unseen = idf, math.log(n + 1) + 1.0
    emb = ctx.embed(every) if every else np.zeros((0, 384), dtype=np.float32)
    k = 0
    for t in outs:
        t.emb = emb[k : k + len(t.spans)]
        k += len(t.spans)
    return outs


# a photo credit glued before the lead: "Tom Williams/Getty Images Rep. ...", "Eric Gay / AP Senator ...",
# "AP American Airlines on Thursday said ...", "(Photo by Melina Mara/The Washington Post) ..."
_CREDIT = re.compile(
    r"^(?:(?:[A-Z][\w.'’-]+ ){1,3}?/ ?(?:AP|Getty Images|Reuters|AFP|EPA|Bloomberg|AP Photo)|AP|Reuters|AFP|"
    r"\((?:Photo|Image|Credit)[^)]{0,80}\))\s+(?=[A-Z])"
)


def lead_of(ctx: StoryContext, article: Article) -> tuple[Span, str] | None:
    """The article's lead: its first sentence that is a statement (not the headline, not a kicker)."""
    title = (article.title or "").strip()
    for s in ctx.doc(article.id).sents:
        start, end = s.start_char, s.end_char
        raw = article.text[start:end]
        if title and raw.lstrip().startswith(title):  # the headline glued to the first sentence
            start += raw.index(title) + len(title)
            start += len(article.text[start:end]) - len(article.text[start:end].lstrip(" \n\t.:—-|"))
        while end > start and article.text[end - 1].isspace():
            end -= 1
        line = article.text.rfind("\n", start, end)
        if line >= 0 and len(_WORD.findall(article.text[line:end])) >= 8:
            start = line + 1  # a heading line glued to the sentence is not part of the lead
        credit = _CREDIT.match(article.text[start:end])
        if credit:
            start += credit.end()
        text = " ".join(article.text[start:end].split())
        if len(_WORD.findall(text)) < 8 or not re.search(r"[.!\"”’']$", text) or is_page_furniture(text):
            continue
        part = s.doc.char_span(start, end, alignment_mode="expand") if start > s.start_char else s
        if is_caption(part if part is not None else s):
            continue  # judged on the lead's own words, not on a heading glued before it
        if not any(t.pos_ in ("VERB", "AUX") for t in s if t.idx >= start):
            continue
        return Span(article.id, start, end), text
    return None
