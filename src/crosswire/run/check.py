"""``crosswire check``: is a store consistent, and (``--repair``) rebuild what is derived from its articles.

Checked, in one read snapshot (a running ingest may go on meanwhile):
- every article belongs to exactly one story, every story has members and its stored size;
- the clusterer (when an ingest wrote the store): every article was placed, the stored stories list
  each article where the clusterer put it, every story has a centroid, and its bookkeeping matches
  the articles: the document count, each story's count of articles, and every term's document
  frequency recomputed from the counted articles (drift here is what two writers at once left);
- stories still waiting for analysis (not a fault: the next ingest analyses them).

The repair, as the store's one writer: copies found again over all stored articles in the order they
were stored, the copy index rebuilt, the clusterer replayed in the same order from the stored
vectors (articles without one are embedded), stories that no longer exist removed, and the stories
whose members changed analysed again. The stored articles themselves are never changed, except
their ``duplicate_of``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from crosswire.group import Features
from crosswire.nlp import Language
from crosswire.run.dossier import Progress, utc_now
from crosswire.run.ingest import IngestResult, analyse_pending, rebuild
from crosswire.settings import Settings
from crosswire.store import Store

SHOWN = 5  # ids named per problem line


@dataclass
class CheckReport:
    articles: int = 0
    stories: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        head = f"articles: {self.articles}; stories: {self.stories}; " + (
            "consistent" if self.ok else f"{len(self.problems)} problems"
        )
        return "\n".join([head, *(f"problem: {p}" for p in self.problems), *(f"note: {n}" for n in self.notes)])


def _ids(ids: list[str]) -> str:
    more = f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
    return ", ".join(ids[:SHOWN]) + more


def check(store: Store) -> CheckReport:
    """The consistency report of a store (reads only)."""
    with store.snapshot():
        r = CheckReport(articles=store.count("articles"), stories=store.count("stories"))
        if orphans := store.orphan_articles():
            r.problems.append(f"{len(orphans)} articles belong to no story: {_ids(orphans)}")
        if empty := store.empty_stories():
            r.problems.append(f"{len(empty)} stories have no articles: {_ids(empty)}")
        if shared := store.shared_articles():
            r.problems.append(f"{len(shared)} articles are in more than one story: {_ids([a for a, _ in shared])}")
        if sizes := store.wrong_sizes():
            shown = [f"{s} (size {n}, {m} articles)" for s, n, m in sizes]
            r.problems.append(f"{len(sizes)} stories have a wrong size: {_ids(shown)}")
        header = store.cluster_header()
        if header is not None:
            _check_clusterer(store, header, r)
        elif r.articles:
            r.notes.append("no clusterer state (written by analyze); the next ingest builds it from the articles")
        if pending := store.pending_stories():
            r.notes.append(f"{len(pending)} stories wait for analysis (the next ingest runs it): {_ids(pending)}")
    return r


def _check_clusterer(store: Store, header: dict, r: CheckReport) -> None:
    if unplaced := store.unplaced_articles():
        r.problems.append(f"{len(unplaced)} articles were never placed by the clusterer: {_ids(unplaced)}")
    if misplaced := store.misplaced_articles():
        shown = [f"{a} (clusterer: {s}, stored: {t or 'none'})" for a, s, t in misplaced]
        r.problems.append(f"{len(misplaced)} articles are not in the story the clusterer put them in: {_ids(shown)}")
    if lost := store.stories_without_centroid():
        r.problems.append(f"{len(lost)} stories have no clusterer centroid: {_ids(lost)}")
    counted = store.counted_articles()
    if header.get("n_docs") != len(counted):
        r.problems.append(
            f"term-count drift: the clusterer counted {header.get('n_docs')} articles, {len(counted)} are stored"
        )
    members = store.counted_members()
    drift = []
    for c in store.cluster_centroids():
        if c.id.startswith("s_") and c.count != members.get(c.id, 0):
            drift.append(f"{c.id} (centroid {c.count}, articles {members.get(c.id, 0)})")
    if drift:
        r.problems.append(f"term-count drift: {len(drift)} story centroids count other articles: {_ids(drift)}")
    words: Counter[str] = Counter()
    names: Counter[str] = Counter()
    arts = store.get_articles(counted, raw=False)
    for aid in counted:
        if aid in arts:
            f = Features.of(arts[aid])
            words.update(f.words.keys())
            names.update(f.names.keys())
    for kind, want in (("words", words), ("names", names)):
        have = store.cluster_df_all(kind)
        off = sorted(t for t in set(have) | set(want) if have.get(t, 0) != want.get(t, 0))
        if off:
            shown = [f"{t!r} ({have.get(t, 0)}, should be {want.get(t, 0)})" for t in off]
            r.problems.append(f"term-count drift: {len(off)} {kind} have a wrong document frequency: {_ids(shown)}")


def repair(
    db: str,
    *,
    settings: Settings | None = None,
    lang: Language | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    keep_going: bool = False,
    on_wait=None,
) -> IngestResult:
    """Rebuild the store's derived state from its articles (see the module docstring)."""
    settings = settings or Settings.load(db=db)
    result = IngestResult()
    with Store(db, writer_wait_s=settings.writer_wait_s) as store, store.writer(on_wait):
        old = {sid: set(s.articles) for sid in store.story_ids() if (s := store.get_story(sid, prefix=False))}
        waiting = set(store.pending_stories())
        sids = rebuild(store, settings, lang, stored_order=True)
        changed = [s for s in sids if s in waiting or set(store.assigned_to(s)) != old.get(s)]
        with store.transaction():
            store.set_pending(changed)
        result.read = store.count("articles")
        result.copies = store.count_copies()
        result.stories_touched = changed
        lang = lang or Language.for_settings(settings)
        analyse_pending(store, settings, lang, result, progress, now=now or utc_now(), keep_going=keep_going)
    return result
