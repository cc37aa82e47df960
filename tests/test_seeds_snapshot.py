"""The verdicts on the five sample articles, compared with a reviewed snapshot.

A change that moves any verdict on the seeds (a claim group, a conflict, a summary sentence, a difference
point, a quote's speaker, an entity's type, a timeline date) fails here until the snapshot is regenerated on purpose:

    CROSSWIRE_UPDATE_SNAPSHOT=1 .venv/bin/python -m pytest tests/test_seeds_snapshot.py

and the diff of tests/fixtures/seeds_digest.json is reviewed with the change.
"""

from __future__ import annotations

import json
import os

from conftest import FIXTURES

SNAPSHOT = FIXTURES / "seeds_digest.json"


def digest(dossier) -> dict:
    """What a reader sees of each story, as plain data, with spans as quoted text."""
    arts = {a.id: a for a in dossier.articles}

    def cite(span) -> str:
        a = arts[span.article]
        return f"{a.outlet}: {a.text[span.start : span.end]}"

    stories = []
    for s in dossier.stories:
        stories.append(
            {
                "title": s.title,
                "articles": [arts[a].outlet for a in s.articles],
                "entities": sorted(f"{e.type} {e.name}" for e in s.entities),
                "timeline": [f"{t.date} {t.text}" for t in s.timeline],
                "quotes": [f"{q.speaker} | {q.content}" for q in s.quotes],
                "groups": [
                    {"status": g.status, "claims": [cite(c) for c in g.citations]}
                    for g in s.claim_groups
                    if g.status != "single"
                ],
                "single": sorted(cite(c) for g in s.claim_groups if g.status == "single" for c in g.citations),
                "conflicts": [
                    {"kind": x.kind, "what": x.what, "citations": [cite(c) for c in x.citations]} for x in s.conflicts
                ],
                "summary": [f"[{x.kind}] {x.text}" for x in s.summary],
                "differences": [f"[{p.kind}] {p.text}" for p in s.differences.points],
            }
        )
    return {"stories": stories, "warnings": [w.to_dict() for w in dossier.warnings]}


def test_seed_verdicts_match_the_reviewed_snapshot(seed_dossier):
    got = digest(seed_dossier)
    if os.environ.get("CROSSWIRE_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert got == want, "seed verdicts changed: review, then regenerate (see this module's docstring)"
