"""Speaker resolution on PolNeAR dev: do pronoun and title sources resolve to the right person?

The extra ``speaker_resolution`` key of ``crosswire bench quotes``. The gold
(``crosswire/data/polnear_dev_speakers.json``, its ``protocol`` field says how it was made) gives,
for every pronoun or title source of the first annotator file of each dev article ("he",
"the Indiana governor"), the named person or body it refers to, read by hand in the article, or
null when the article names nobody it could be.

Each article is analysed as a one-article story: the entities component, the tagger's
attributions with their linking (the CRF by default, as in the story component), and the quotes
component's speaker resolution over every attribution in text order. A gold source is *found*
when a crosswire source overlaps it; it is *right* when the entity crosswire resolves that source
to carries the referent's name (``names_match``). Figures: right over found (resolution
accuracy) and right over all cases (end to end, tagger misses counted wrong). Baseline in the same
run: the nearest person named before the source (spaCy's PERSON mentions), on the same cases.
Anonymous sources ("a source", "two officials", "officials", by a fixed pattern over the gold
source words) are scored apart: crosswire should leave them unresolved and typed anonymous.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parent.parent / "data" / "polnear_dev_speakers.json"
_ANON = re.compile(
    r"^(?:(?:a|an|one|two|three|four|several|some|many|other|another|senior|unnamed|anonymous)\s+)+"
    r"(?:[\w.’'-]+\s+){0,4}(?:officials?|sources?|aides?|insiders?|people|persons?|spokesm[ae]n|spokeswom[ae]n|"
    r"spokespersons?|diplomats?|staffers?|members?|advisers?|advisors?)$"
    r"|^(?:[A-Z][\w.’'-]*\s+){0,3}(?:officials|sources)$|^(?:officials|sources)$",
    re.IGNORECASE,
)


def names_match(referent: str, names: set[str]) -> bool:
    """A referent written as the article names it matches one of an entity's names: the same words,
    the same first and last word, the referent's words inside the name, or, for a one-word referent,
    one word of the name ("Trump" ~ "Donald J. Trump")."""
    r = referent.lower().replace("’s", "").split()
    for n in names:
        w = re.sub(r"[’']s\b", "", n.lower()).split()
        if not w:
            continue
        if len(r) == 1:
            if r[0] in w:
                return True
        elif r == w or (r[0] == w[0] and r[-1] == w[-1]) or f" {' '.join(r)} " in f" {' '.join(w)} ":
            return True
    return False


def _entity_names(entity) -> set[str]:
    return {entity.name, *entity.aliases, *(m.text for m in entity.mentions if m.kind == "name")}


def _nearest_person(doc, start: int) -> str | None:
    best = None
    for ent in doc.ents:
        if ent.end_char > start:
            break
        if ent.label_ == "PERSON":
            best = ent.text
    return best


def _found_at(record: list, s: int, e: int):
    """The speaker of the crosswire source that overlaps s..e most, or None."""
    hits = [(min(e, b) - max(s, a), sp) for (a, b), sp in record if a < e and s < b]
    return max(hits, key=lambda h: h[0])[1] if hits else None


def load_gold(path: Path = GOLD) -> dict[str, list[dict]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"{path}: cannot read the speaker gold ({e})") from e
    out: dict[str, list[dict]] = {}
    for item in data["items"]:
        out.setdefault(item["article"], []).append(item)
    return out


def _resolve_article(name: str, text: str, doc, attrs, lang) -> tuple[list, dict]:
    """(source span, Speaker) of every attribution crosswire finds, and the story's entities by id."""
    from crosswire.analysis import entities
    from crosswire.analysis.context import StoryContext
    from crosswire.analysis.entities.speakers import SpeakerResolver
    from crosswire.analysis.quotes.component import article_quotes
    from crosswire.model import Article, Story
    from crosswire.settings import Settings

    article = Article(id=name, text=text)
    story = Story(id="s_" + name, title=name, articles=[name])
    ctx = StoryContext(story, [article], lang, Settings(), today=dt.date(2016, 12, 31), docs={name: doc})
    entities.run(ctx)
    resolver = SpeakerResolver(story, ctx.entity_at)
    record: list = []
    article_quotes(article, doc, resolver, "crf", [replace(a) for a in attrs], record=record)
    return record, {e.id: e for e in story.entities}


def score(pdocs, parsed, attrs_per_doc, lang, gold_path: Path = GOLD) -> dict[str, Any]:
    from crosswire.analysis.entities import parties

    gold = load_gold(gold_path)
    counts: dict[str, dict[str, int]] = {k: {"cases": 0, "found": 0, "right": 0, "baseline": 0} for k in ("all",)}
    anon = {"cases": 0, "found": 0, "kept": 0}
    errors: list[dict] = []
    for pdoc, doc, attrs in zip(pdocs, parsed, attrs_per_doc):
        items = gold.get(pdoc.name, [])
        ann = sorted(pdoc.annotations)[0] if pdoc.annotations else None
        anon_spans = []
        for g in pdoc.annotations.get(ann, []) if ann else []:
            if g.source:
                s, e = g.source[0][0], g.source[-1][1]
                if _ANON.match(pdoc.text[s:e].strip()):
                    anon_spans.append((s, e))
        if not items and not anon_spans:
            continue
        for it in items:
            if pdoc.text[it["start"] : it["end"]].strip() != it["source"]:
                raise SystemExit(f"{gold_path}: {pdoc.name} {it['start']}-{it['end']} is not {it['source']!r}")
        record, ents = _resolve_article(pdoc.name, pdoc.text, doc, attrs, lang)

        for it in items:
            if not it["referent"]:
                continue
            for key in ("all", it["kind"]):
                c = counts.setdefault(key, {"cases": 0, "found": 0, "right": 0, "baseline": 0})
                c["cases"] += 1
            near = _nearest_person(doc, it["start"])
            base_ok = near is not None and any(names_match(r, {near}) for r in it["referent"])
            sp = _found_at(record, it["start"], it["end"])
            ent = ents.get(sp.entity or "") if sp is not None else None
            ok = ent is not None and any(names_match(r, _entity_names(ent)) for r in it["referent"])
            for key in ("all", it["kind"]):
                counts[key]["found"] += sp is not None
                counts[key]["right"] += ok
                counts[key]["baseline"] += base_ok and sp is not None
            if sp is not None and not ok and len(errors) < 60:
                errors.append(
                    {
                        "article": pdoc.name,
                        "source": it["source"],
                        "start": it["start"],
                        "referent": it["referent"][0],
                        "crosswire": ent.name if ent else None,
                    }
                )
        for s, e in anon_spans:
            anon["cases"] += 1
            sp = _found_at(record, s, e)
            if sp is not None:
                anon["found"] += 1
                anon["kept"] += sp.entity is None and sp.kind == parties.ANONYMOUS

    def figures(c: dict[str, int]) -> dict[str, Any]:
        return {
            **c,
            "accuracy_found": round(c["right"] / c["found"], 4) if c["found"] else None,
            "accuracy_all": round(c["right"] / c["cases"], 4) if c["cases"] else None,
            "baseline_accuracy_found": round(c["baseline"] / c["found"], 4) if c["found"] else None,
        }

    return {
        "protocol": "gold: crosswire/data/polnear_dev_speakers.json (pronoun and title sources of the first "
        "annotator file, referent read by hand); tagger: CRF + linking; found = a crosswire source overlaps "
        "the gold source; right = its resolved entity carries the referent's name; baseline = nearest "
        "PERSON named before the source (spaCy), on the found cases",
        **figures(counts.pop("all")),
        "by_kind": {k: figures(v) for k, v in sorted(counts.items())},
        "anonymous": {
            **anon,
            "kept_rate": round(anon["kept"] / anon["found"], 4) if anon["found"] else None,
        },
        "errors": errors,
    }
