"""Story component: one ``Entity`` per real-world person, organisation, place or group.

How mentions become entities (all spans are into each article's cleaned text):
1. spaCy's named entities of every article of the story, trimmed ("the", possessive "'s",
   titles inside the entity); pieces that cross a line break or glue two names with a hyphen
   ("Scholz-Putin") are dropped and found again by step 4.
2. People are grouped by surname: "Olaf Scholz" and "Scholz" are one entity, whatever label
   spaCy gave the bare surname (it tags "Scholz" as a place); other names by their normalised
   form and acronyms ("US" = "United States").
3. Types are repaired with evidence from the whole story: a full person name, a person's title
   next to any mention ("Chancellor Scholz") make it a PERSON; an organisation noun ("the German
   newspaper Zeit") makes it an ORG; otherwise the majority label, full names counting double.
   A name with no such person evidence is then checked against the text around all its
   mentions (``evidence``): a party ("the far-right AfD", "AfD lawmakers") becomes an ORG, a
   party family ("the Greens") a NORP, a place ("residents of Kyiv", "flew to Kyiv" unless the
   name was tagged an organisation, "in Kyiv" on two mentions and at least half of them, a
   country or capital of the packaged list) a GPE; an honorific or an age ("Jordan, 34, said") makes a name
   tagged as a place or organisation a PERSON. Idioms ("Pandora's box") are no one and are
   dropped, also when step 4 searches the aliases again.
4. Every alias is searched again in every article, so mentions spaCy missed are found.
5. Titles and roles as each source gives them ("German Chancellor", "German Prime Minister",
   "Kremlin spokesperson", appositives "Peskov, the Kremlin spokesman") become ``Role``s with
   the source; a role naming another entity links the two ("Kremlin spokesperson Dmitry Peskov"
   is linked to "Kremlin").
6. Bare role mentions ("the chancellor", "the German leader", "the Russian President", "the head
   of the Russian state") resolve to the one person of the story holding that role (title, plus
   nationality when given); ambiguous ones are left unresolved.

For later components (quotes, claims) this module provides ``ctx.entity_at``:
``callable(article_id, start, end) -> entity id | None``. It returns the entity
  of a mention overlapping the span (people first, then the largest overlap); for a pronoun
  ("he", "she", "his", "her") with no mention it returns the nearest person mentioned before it
  in the same article (within ~600 characters).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from crosswire.analysis.context import StoryContext
from crosswire.analysis.entities import evidence
from crosswire.analysis.entities.places import SPELLINGS
from crosswire.analysis.entities.roles import (
    GENERIC_LEADER,
    HONORIFICS,
    LEADER_TITLES,
    PERSON_TITLES,
    RoleSpan,
    descriptions,
    role_title_and_nats,
    title_after,
    title_before,
)
from crosswire.model import Entity, Mention, Role, Span, stable_id
from crosswire.nlp.titles import ORG_HEADS

KEEP = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}
TYPE_MAP = {"FAC": "LOC"}
PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
_POSS = re.compile(r"(?:'s|’s|'|’)$")
_SUFFIX = re.compile(r"(?:,?\s+(?:Jr|Sr)\.?|\s+(?:II|III|IV))?[:;,]?$")


@dataclass
class _M:
    article: str
    start: int
    end: int
    text: str
    label: str
    kind: str = "name"
    roles: list[RoleSpan] = field(default_factory=list)


@dataclass
class _Cluster:
    key: str
    mentions: list[_M] = field(default_factory=list)
    person_evidence: int = 0
    org_evidence: int = 0
    full_names: Counter = field(default_factory=Counter)
    surname: str | None = None

    def labels(self) -> Counter:
        c: Counter = Counter()
        for m in self.mentions:
            if m.kind == "name":
                c[m.label] += 2 if " " in m.text else 1
        return c


# two or more words in capitals only (a newsletter's or transcript's heading, not a name); one such word
# ("NATO", "OBAMA:") stays a mention
_SHOUTED = re.compile(r"[A-Z][A-Z'’.&-]+(?:\s+[A-Z][A-Z'’.&-]*)+")


def _norm(text: str) -> str:
    t = re.sub(r"\s+", " ", text).strip()
    t = re.sub(r"^(?:the|The)\s+", "", t)
    return _POSS.sub("", t).strip()


def _initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w[:1].isupper())


def _collect(ctx) -> list[_M]:
    out: list[_M] = []
    for art in ctx.articles:
        doc = ctx.doc(art.id)
        for ent in doc.ents:
            if ent.label_ not in KEEP or "\n" in ent.text:
                continue
            s, e = ent.start, ent.end
            while s < e and doc[s].lower_ == "the":
                s += 1
            while e > s and doc[e - 1].text in ("'s", "’s", "'", "’"):
                e -= 1
            inner = s
            while inner < e - 1 and (doc[inner].lower_.strip(".") in PERSON_TITLES or doc[inner].lower_ in HONORIFICS):
                inner += 1
            roles = []
            if inner > s and any(doc[i].lower_.strip(".") in PERSON_TITLES for i in range(s, inner)):
                span = doc[s:inner]
                last = doc[inner - 1].lower_.strip(".")
                roles.append(RoleSpan(span.start_char, span.end_char, span.text, last, "person"))
            s = inner
            if s >= e:
                continue
            span = doc[s:e]
            low = span.text.lower().rstrip(".")
            if low in HONORIFICS or low + "." in HONORIFICS or low in PERSON_TITLES:
                continue  # a title alone ("Sgt") is not a name
            if re.search(r"\w-[A-Z]", span.text):
                continue  # "Scholz-Putin": two names glued; step 4 finds each
            if _SHOUTED.fullmatch(span.text):
                continue  # an all-capitals heading read as a name: "OBAMA GOES OUTSIDE IN ON JOBS" -> "OBAMA GOES"
            before = title_before(doc, s)
            after = title_after(doc, e)
            roles += [r for r in (before, after) if r is not None]
            out.append(_M(art.id, span.start_char, span.end_char, _norm(span.text), ent.label_, "name", roles))
    return out


def _cluster(mentions: list[_M]) -> list[_Cluster]:
    for m in mentions:
        if m.label == "PERSON":  # "Arcade Joseph Comeaux Jr.:" -> "Arcade Joseph Comeaux"
            t = _SUFFIX.sub("", m.text)
            if t and t != m.text:
                m.text, m.end = t, m.start + len(t)
    for m in mentions:  # "Betty Ford Center" is a place or an organisation, not a person
        if m.label == "PERSON" and len(m.text.split()) >= 2 and m.text.split()[-1] in ORG_HEADS:
            m.label = "ORG"
    people = [
        m
        for m in mentions
        if (m.label == "PERSON" or any(r.kind == "person" for r in m.roles)) and len(m.text.split()) >= 2
    ]
    # a headline glued to a name ("Lindsay Lohan Checks Into Rehab"): keep the known name
    names2 = {m.text for m in people if len(m.text.split()) == 2}
    for m in people:
        words = m.text.split()
        if len(words) >= 3 and " ".join(words[:2]) in names2:
            m.text, m.end = " ".join(words[:2]), m.start + len(" ".join(words[:2]))
    by_last: dict[str, set[str]] = defaultdict(set)
    for m in people:
        by_last[m.text.split()[-1]].add(m.text)
    # "Putin Hold" (a headline): the first word is another person's surname, the last word is
    # nobody else's -> the mention is "Putin"
    for m in mentions:
        words = m.text.split()
        if (
            m.label == "PERSON"
            and len(words) == 2
            and by_last.get(words[0], set()) - {m.text}
            and by_last.get(words[1], set()) <= {m.text}
        ):
            m.text, m.end = words[0], m.start + len(words[0])
    people = [m for m in people if len(m.text.split()) >= 2]
    # one person per (first name, surname): "Brian G. Nichols" = "Brian Nichols" != "Deborah Nichols"
    by_surname: dict[str, list[_Cluster]] = defaultdict(list)
    clusters: dict[str, _Cluster] = {}
    for m in people:
        words = m.text.split()
        key = f"P:{words[0]} {words[-1]}"
        c = clusters.get(key)
        if c is None:
            c = clusters[key] = _Cluster(key, surname=words[-1])
            by_surname[words[-1]].append(c)
        c.full_names[m.text] += 1
    first_names: dict[str, list[_Cluster]] = defaultdict(list)
    for cls in by_surname.values():
        for cl in cls:
            first_names[cl.key[2:].split()[0]].append(cl)
    lower_keys: dict[str, _Cluster] = {}
    for m in mentions:
        words = m.text.split()
        if not words:
            continue
        if words[-1] in by_surname:
            exact = clusters.get(f"P:{words[0]} {words[-1]}") if len(words) >= 2 else None
            # a bare surname shared by several people goes to the most named one
            c = exact or max(by_surname[words[-1]], key=lambda cl: sum(cl.full_names.values()))
        elif len(words) == 1 and m.label == "PERSON" and len(first_names.get(words[0], ())) == 1:
            c = first_names[words[0]][0]  # "Olaf" alone, when one person has that first name
        else:
            k = SPELLINGS.get(m.text, m.text).replace(".", "")  # "Kiev" is "Kyiv"
            k = k if k.isupper() else k.lower()  # "US" (U.S.) is not "Us"
            c = lower_keys.get(k)
            if c is None:
                c = lower_keys[k] = clusters[f"N:{k}"] = _Cluster(f"N:{k}")
        c.mentions.append(m)
    # acronyms: "US" / "U.S." joins "United States", "EU" joins "European Union"
    full = {_initials(c.mentions[0].text): c for c in lower_keys.values() if len(c.mentions[0].text.split()) >= 2}
    for k, c in list(lower_keys.items()):
        if " " not in k and k in full and full[k] is not c and clusters.get(f"N:{k}") is c:
            full[k].mentions.extend(c.mentions)
            del clusters[f"N:{k}"]
    for c in clusters.values():
        for m in c.mentions:
            for r in m.roles:
                if r.kind == "person":
                    c.person_evidence += 1
                else:
                    c.org_evidence += 1
    return [c for c in clusters.values() if c.mentions]


def _type(c: _Cluster) -> str:
    if c.key.startswith("P:") or c.person_evidence > c.org_evidence:
        return "PERSON"
    if c.org_evidence:
        return "ORG"
    label = c.labels().most_common(1)[0][0] if c.labels() else "OTHER"
    label = TYPE_MAP.get(label, label)
    return label if label in {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT"} else "OTHER"


def _repair_types(texts: dict[str, str], clusters: list[_Cluster], types: dict[int, str]) -> None:
    """Types from the story's evidence around names that have no person evidence (module doc, 3)."""
    for c in clusters:
        t = types[id(c)]
        names = [m for m in c.mentions if m.kind == "name"]
        if c.key.startswith("P:") or c.person_evidence or not names or t in ("EVENT", "LOC"):
            continue
        if any(evidence.person_evidence(texts[m.article], m.start, m.end) for m in names):
            if t in ("GPE", "ORG", "NORP", "OTHER") and not any(evidence.in_place_list(m.text) for m in names):
                types[id(c)] = "PERSON"  # "Jordan, 34, said": an age or "Mr" is a person's
            continue
        if t in ("PERSON", "OTHER") and any(evidence.party_evidence(texts[m.article], m.start, m.end) for m in names):
            types[id(c)] = "ORG"
            continue
        if t in ("PERSON", "OTHER") and _name(c) in evidence.PARTY_FAMILIES:
            types[id(c)] = "NORP"
            continue
        if t == "GPE":
            continue
        places = [evidence.place_evidence(texts[m.article], m.start, m.end, strict=t in ("NORP", "ORG")) for m in names]
        listed = any(evidence.in_place_list(m.text) for m in names)
        strong = "strong" in places or ("motion" in places and t != "ORG")
        weak = places.count("weak")  # "in X" twice, and on at least half of the mentions
        if listed or strong or (t in ("PERSON", "OTHER") and weak >= 2 and 2 * weak >= len(names)):
            types[id(c)] = "GPE"


def _name(c: _Cluster) -> str:
    if c.full_names:
        return max(c.full_names.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
    return Counter(m.text for m in c.mentions).most_common(1)[0][0]


def _scan_aliases(ctx, clusters: list[_Cluster], types: dict[int, str]) -> None:
    """Find every alias again in every article (mentions spaCy missed or mislabelled).

    One regular expression over all aliases, one pass per article; an alias that two entities
    share (a surname of two people) is not searched."""
    sur_count = Counter(c.surname for c in clusters if c.surname)
    owner: dict[str, _Cluster | None] = {}
    for c in clusters:
        if types[id(c)] == "NORP":
            continue
        aliases = set(c.full_names) | {m.text for m in c.mentions if m.kind == "name"}
        if c.surname and sur_count[c.surname] == 1:
            aliases.add(c.surname)
        for a in aliases:
            if len(a) >= 3:
                owner[a] = c if owner.get(a, c) is c else None
    owner = {a: c for a, c in owner.items() if c is not None}
    if not owner:
        return
    rx = re.compile(
        r"(?<![\w])(?:" + "|".join(re.escape(a) for a in sorted(owner, key=len, reverse=True)) + r")(?![\w])"
    )
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c in clusters:
        for m in c.mentions:
            spans[m.article].append((m.start, m.end))
    for art in ctx.articles:
        mask = bytearray(len(art.text))
        for ms, me in spans[art.id]:
            mask[ms:me] = b"\x01" * (me - ms)
        for mt in rx.finditer(art.text):
            s, e = mt.span()
            if any(mask[s:e]) or evidence.is_idiom(art.text, s, e):
                continue
            mask[s:e] = b"\x01" * (e - s)
            c = owner[mt.group(0)]
            c.mentions.append(_M(art.id, s, e, mt.group(0), "PERSON" if c.key.startswith("P:") else "", "name"))


def _resolve_descriptions(ctx, clusters: list[_Cluster], types: dict[int, str]) -> None:
    people = [c for c in clusters if types[id(c)] == "PERSON"]
    info = []
    for c in people:
        titles = [role_title_and_nats(r.text) for m in c.mentions for r in m.roles if r.kind == "person"]
        info.append((c, titles, len(c.mentions)))
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c in clusters:
        if types[id(c)] in ("NORP", "GPE", "ORG"):
            continue  # "the German leader" may contain the NORP mention "German"
        for m in c.mentions:
            taken[m.article].append((m.start, m.end))
    for art in ctx.articles:
        for d in descriptions(art.text):
            if any(d.start < te and ts < d.end for ts, te in taken[art.id]):
                continue
            cands = []
            for c, titles, n in info:
                for title, nats in titles:
                    if d.title in GENERIC_LEADER or d.title.startswith("head of"):
                        ok = title in LEADER_TITLES and (d.nat is None or d.nat in nats)
                    else:
                        ok = (title == d.title or title.endswith(" " + d.title)) and (d.nat is None or d.nat in nats)
                    if ok:
                        cands.append((n, c))
                        break
            cands.sort(key=lambda x: -x[0])
            if len(cands) == 1 or (len(cands) > 1 and cands[0][0] >= 2 * cands[1][0]):
                cands[0][1].mentions.append(_M(art.id, d.start, d.end, d.text, "PERSON", "description"))
                taken[art.id].append((d.start, d.end))


REQUIRES = ("articles",)
PROVIDES = ("story.entities", "entity_at")


def run(ctx: StoryContext) -> None:
    story = ctx.story
    texts = {a.id: a.text for a in ctx.articles}
    # "Pandora" in "Pandora's box" names no one
    mentions = [m for m in _collect(ctx) if not evidence.is_idiom(texts[m.article], m.start, m.end)]
    clusters = _cluster(mentions)
    types = {id(c): _type(c) for c in clusters}
    _repair_types(texts, clusters, types)
    _scan_aliases(ctx, clusters, types)
    _resolve_descriptions(ctx, clusters, types)
    sources = {a.id: (a.source or a.site_name or a.id) for a in ctx.articles}
    entities: list[Entity] = []
    ids: dict[int, str] = {}
    names = Counter(_name(c) for c in clusters)
    for c in clusters:
        name = _name(c)
        # story id + canonical name; the type joins only when two entities share a name
        eid = stable_id("e_", story.id, name) if names[name] == 1 else stable_id("e_", story.id, name, types[id(c)])
        while eid in ids.values():  # same name and type twice: keep ids unique, still deterministic
            eid = stable_id("e_", eid, c.key)
        ids[id(c)] = eid
    by_name = {
        re.sub(r"[’']s$", "", _name(c)).lower(): ids[id(c)] for c in clusters if types[id(c)] in ("ORG", "GPE", "LOC")
    }
    for c in clusters:
        eid = ids[id(c)]
        name = _name(c)
        ms = sorted(c.mentions, key=lambda m: (m.article, m.start))
        roles: list[Role] = []
        seen_roles: set[tuple[str, str]] = set()
        linked: set[str] = set()
        for m in ms:
            for r in m.roles:
                key = (r.text.lower(), sources[m.article])
                if key not in seen_roles:
                    seen_roles.add(key)
                    roles.append(Role(r.text, sources[m.article], Span(m.article, r.start, r.end)))
                for w in re.sub(r"[’']s\b", "", r.text).split():
                    other = by_name.get(w.lower())
                    if other and other != eid:
                        linked.add(other)
        entities.append(
            Entity(
                id=eid,
                name=name,
                type=types[id(c)],
                aliases=sorted({m.text for m in ms if m.text != name}),
                mentions=[Mention(Span(m.article, m.start, m.end), m.text, m.kind) for m in ms],
                roles=roles,
                linked=sorted(linked),
            )
        )
    by_id = {e.id: e for e in entities}
    for e in entities:  # links go both ways
        for o in e.linked:
            if e.id not in by_id[o].linked:
                by_id[o].linked.append(e.id)
    entities.sort(key=lambda e: (-len(e.mentions), e.name))
    story.entities = entities
    index: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for e in entities:
        for m in e.mentions:
            index[m.span.article].append((m.span.start, m.span.end, e.id, m.kind))
    for v in index.values():
        v.sort()
    ctx.entity_at = make_entity_at(dict(index), {a.id: a.text for a in ctx.articles}, {e.id: e.type for e in entities})


def make_entity_at(index, texts, types):
    """``entity_at(article_id, start, end) -> entity id | None`` over a mention index."""

    def entity_at(article_id: str, start: int, end: int) -> str | None:
        rows = index.get(article_id, [])
        best = None
        for s, e, eid, _kind in rows:
            if s >= end:
                break
            ov = min(e, end) - max(s, start)
            if ov > 0:
                score = (types.get(eid) == "PERSON", ov)
                if best is None or score > best[0]:
                    best = (score, eid)
        if best:
            return best[1]
        text = texts.get(article_id, "")[start:end].strip().lower()
        if text in PRONOUNS:
            for _s, e, eid, _kind in reversed(rows):
                if e <= start and start - e < 600 and types.get(eid) == "PERSON":
                    return eid
        return None

    return entity_at
