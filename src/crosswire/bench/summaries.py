"""``crosswire bench summaries``: multi-document summaries against Multi-News references.

Each cluster's ``documents`` (a Python-literal list of raw texts) is cleaned with
``clean.clean_article`` and parsed once; candidate sentences are the claims found
by ``extract.claims.claim_spans``, and crosswire's summary is
``summarize.summarize_documents`` (the story summary's grouping and ranking code).
In the same run, from the same candidate sentences: First-3 (the first three of
every document) and LexRank (sumy's, sentences taken in order of their rating).
Every summary is cut to its reference's word count; ROUGE-1/2/L F1 with stemming.
"""

from __future__ import annotations

import ast
import csv
import re
import sys
from collections.abc import Sequence
from typing import Any

from crosswire.bench.common import Timer, require
from crosswire.errors import BenchDataError

METRICS = ("rouge1", "rouge2", "rougeL")


def load(file: str, limit: int | None = None) -> list[tuple[list[str], str]]:
    path = require(file, "Multi-News CSV")
    csv.field_size_limit(sys.maxsize)
    rows: list[tuple[list[str], str]] = []
    with open(path, newline="", encoding="utf-8") as fh:
        for k, row in enumerate(csv.DictReader(fh)):
            if limit is not None and len(rows) >= limit:
                break
            try:
                docs = ast.literal_eval(row["documents"])
            except (KeyError, ValueError, SyntaxError) as exc:
                print(
                    f"{path}: row {k + 2}: skipped, `documents` is not a Python list literal ({exc})", file=sys.stderr
                )
                continue
            docs = [d for d in docs if isinstance(d, str) and d.strip()]
            ref = re.sub(r"^\s*[–-]\s*", "", row.get("summary", "")).strip()
            if docs and ref:
                rows.append((docs, ref))
    if not rows:
        raise BenchDataError(f"{path}: no clusters with documents and a summary")
    return rows


def cut(text: str, n_words: int) -> str:
    return " ".join(text.split()[:n_words])


class _Words:
    """The word tokenizer sumy asks for (sentences are given, so only words are needed)."""

    language = "english"

    @staticmethod
    def to_words(text: str) -> list[str]:
        return re.findall(r"[\w’'-]+", text)

    @staticmethod
    def to_sentences(text: str) -> list[str]:
        return [text]


def lexrank_order(sentences: Sequence[str]) -> list[int]:
    """Indices of ``sentences`` by sumy's LexRank rating, best first."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    if not sentences:
        return []
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    doc = ObjectDocumentModel([Paragraph([Sentence(s, _Words()) for s in sentences])])
    words = [summarizer._to_words_set(s) for s in doc.sentences]
    tf = summarizer._compute_tf(words)
    idf = summarizer._compute_idf(words)
    matrix = summarizer._create_matrix(words, summarizer.threshold, tf, idf)
    scores = summarizer.power_method(matrix, summarizer.epsilon)
    return sorted(range(len(sentences)), key=lambda i: (-scores[i], i))


def run(file: str, limit: int | None = None, lang=None) -> dict[str, Any]:
    from rouge_score import rouge_scorer

    from crosswire.analysis.claims import claim_spans
    from crosswire.analysis.summary import summarize_documents
    from crosswire.clean.cleaner import clean_article
    from crosswire.model import Article
    from crosswire.nlp import Language

    rows = load(file, limit)
    lang = lang or Language()
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    totals: dict[str, dict[str, float]] = {m: {k: 0.0 for k in METRICS} for m in ("crosswire", "first3", "lexrank")}
    n_docs = 0
    with Timer() as t:
        for docs, ref in rows:
            texts = [clean_article(Article(id=Article.make_id(d), text=d)).text for d in docs]
            parsed = lang.parse_many(texts)
            n_docs += len(texts)
            budget = len(ref.split())
            per_doc = [[doc.text[s:e] for s, e in claim_spans(doc)] for doc in parsed]
            flat = [s for sents in per_doc for s in sents]
            chosen = summarize_documents(texts, lang, max_words=budget, max_sentences=None, docs=parsed)
            outputs = {
                "crosswire": " ".join(u.text for u in chosen),
                "first3": " ".join(s for sents in per_doc for s in sents[:3]),
                "lexrank": " ".join(flat[i] for i in lexrank_order(flat)),
            }
            for name, text in outputs.items():
                score = scorer.score(ref, cut(text, budget))
                for m in METRICS:
                    totals[name][m] += score[m].fmeasure
    n = len(rows)

    def avg(name: str) -> dict[str, float]:
        return {m: round(100 * totals[name][m] / n, 2) for m in METRICS}

    return {
        "clusters": n,
        "documents": n_docs,
        **avg("crosswire"),
        "baselines": {"first3": avg("first3"), "lexrank": avg("lexrank")},
        "seconds": round(t.seconds, 1),
    }
