"""``crosswire bench verdicts``: the story verdicts a reader sees, scored against careful readers' gold.

Input: ARTICLES.jsonl (``id``, ``story``, ``source``, ``text``; ``title``, ``published``, ``url`` where known)
and GOLD.json (``{"stories": [...]}``, see ../shared/bench/verdicts/GUIDELINES.md). The articles are read
and cleaned by the normal readers, then analysed story by story exactly as ``crosswire analyze`` does.

Stories: by default the input's ``story`` labels decide which articles are compared (this bench measures the
verdicts, not the clustering; ``bench stories`` measures that); ``--cluster`` lets crosswire's own clusterer
group them instead. Either way ``clusterer_bcubed_f1`` says how crosswire's clusterer would have grouped them.

Figures: ``crosswire.bench.verdicts_score.score``, the rules of the reference ``score.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from crosswire.bench.common import bcubed, peak_rss_mb, require
from crosswire.bench.verdicts_score import Judged, score
from crosswire.errors import BenchDataError
from crosswire.group import build_stories, make_story
from crosswire.group.dedup import mark_duplicates
from crosswire.group.features import article_embedding_text
from crosswire.model import Article, Dossier, Story, stable_id
from crosswire.nlp import Language
from crosswire.run.analyze import read_articles
from crosswire.run.dossier import analyze_stories, make_dossier
from crosswire.settings import Settings

# a fixed clock: the gold stories are years old, and the figures must not depend on the day they are run
CLOCK = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def load_gold(articles_path: str | Path, gold_path: str | Path) -> tuple[dict[str, dict], list[dict]]:
    arts: dict[str, dict] = {}
    with open(require(articles_path, "verdicts articles (JSON lines)"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                a = json.loads(line)
                arts[a["id"]] = a
    gold = json.loads(Path(require(gold_path, "verdicts gold (JSON)")).read_text(encoding="utf-8"))
    if not isinstance(gold, dict) or not isinstance(gold.get("stories"), list):
        raise BenchDataError(f"{gold_path}: expected an object with a 'stories' list")
    return arts, gold["stories"]


def _stories_from_input(articles: list[Article], lang: Language) -> list[Story]:
    by_story: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_story[str(a.extra.get("story") or a.id)].append(a)
    mark_duplicates(articles)
    vecs = lang.embed([article_embedding_text(a) for a in articles])
    vectors = {a.id: np.asarray(v, dtype=np.float32) for a, v in zip(articles, vecs)}
    return [make_story(stable_id("s_", label), None, members, vectors) for label, members in by_story.items()]


def _clusterer_agreement(articles: list[Article], lang: Language, settings: Settings) -> float:
    copies = [Article.from_dict(a.to_dict()) for a in articles]  # the clusterer marks copies in place
    stories = build_stories(copies, lang, settings)
    story_of = {aid: s.id for s in stories for aid in s.articles}
    pred = [story_of.get(a.id, a.id) for a in copies]
    gold = [str(a.extra.get("story") or a.id) for a in copies]
    return round(bcubed(pred, gold)[2], 4)


def run(
    articles: str,
    gold: str,
    *,
    limit: int | None = None,
    cluster: bool = False,
    dossier_out: str | None = None,
    details: bool = False,
    lang: Language | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    t0 = time.perf_counter()
    gold_articles, gold_stories = load_gold(articles, gold)
    if limit:
        gold_stories = gold_stories[:limit]
    keep = {aid for s in gold_stories for aid in s["articles"]}
    settings = settings or Settings.load(progress=False)
    lang = lang or Language.for_settings(settings)
    arts, rejected = read_articles([articles], settings=settings)
    arts = [a for a in arts if a.extra.get("id") in keep]
    if cluster:
        stories = build_stories(arts, lang, settings)
    else:
        stories = _stories_from_input(arts, lang)
    timerefs, warnings = analyze_stories(arts, stories, lang, settings, now=CLOCK)
    dossier: Dossier = make_dossier(arts, stories, rejected, timerefs, warnings, now=CLOCK)
    as_dict = dossier.to_dict()
    if dossier_out:
        Path(dossier_out).write_text(json.dumps(as_dict, ensure_ascii=False), encoding="utf-8")
    judged = Judged() if details else None
    figures = score(gold_articles, gold_stories, as_dict, judged)
    result: dict[str, Any] = {
        **figures,
        "stories_from": "crosswire clusterer" if cluster else "input story labels",
        "clusterer_bcubed_f1": _clusterer_agreement(arts, lang, settings),
        "articles": len(arts),
        "seconds": round(time.perf_counter() - t0, 1),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    if judged is not None:
        result["details"] = {
            "conflicts": judged.conflicts,
            "singles_wrong": [s for s in judged.singles if s["verdict"] == "wrong"],
            "consensus_wrong": [c for c in judged.consensus if c["verdict"] == "wrong"],
            "missed_conflicts": judged.missed_conflicts,
            "missed_shared": judged.missed_shared,
        }
    return result
