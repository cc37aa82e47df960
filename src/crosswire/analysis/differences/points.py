"""The difference points, each kind found apart and scored for ranking (higher first).

Scores put a disagreement or an outlet that tells another story first, then what an outlet leads with
that the others do not, then the most important omissions, then the shape of the coverage (fullest
account, short brief, a fact only one outlet reports), then wording. They order kinds by what careful
readers named first in the development gold's ``main_difference``; they are not fitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from crosswire.analysis.context import SentenceMatches, StoryContext
from crosswire.analysis.differences.texts import (
    SAME_FACT,
    OutletText,
    cut,
    is_whole_statement,
    join_names,
    relabel,
)
from crosswire.model import ClaimGroup, Conflict, Difference, OutletLead, Span, Story

Scored = tuple[float, Difference]

LATE = 0.5  # a statement in the second half of an article (and not among its first two) comes late
TOP_FACTS = 5  # an omission counts when it is one of the story's few most important shared facts
FEW_SHARED = 0.1  # an outlet whose sentences match the others' at most this often tells another story
FULLEST = 1.5  # the fullest account is at least this many times longer than any other
BRIEF = 0.4  # a brief is at most this share of the other outlets' median length
KIND_WEIGHT = {"number": 1.0, "date": 1.0, "attribution": 0.97, "negation": 0.95, "account": 0.93, "title": 0.9}


def _names(outlets: list[str], labels: dict[str, str]) -> str:
    return join_names([labels.get(o, o) for o in outlets])


# ------------------------------------------------------------------ conflicts
def conflict_sentence(x: Conflict, labels: dict[str, str]) -> str:
    """A conflict in one sentence: the disputed words by outlet for a number, a date or a title (the
    conflict's ``what``), else each side's party (or outlets) and its own words."""
    point = x.point or ""
    sides = x.sides[:2]
    if x.kind in ("number", "date", "title") or len(sides) < 2:
        what = relabel(x.what, labels).rstrip(".")
        if not what:
            return ""
        return f"The outlets disagree on {what}." if point and what.startswith(point) else f"Sources differ: {what}."
    a, b = sides
    where_a, where_b = _names(a.outlets, labels), _names(b.outlets, labels)
    about = f"On {point}, " if point else ""
    if a.party and b.party and a.party != b.party:
        text = f"{about}{a.party} says “{cut(a.text)}” ({where_a}); {b.party} says “{cut(b.text)}” ({where_b})."
    else:
        text = (
            f"{about}{where_a or 'one outlet'} reports “{cut(a.text)}”; {where_b or 'another'} reports “{cut(b.text)}”."
        )
    return text[:1].upper() + text[1:]


def conflict_points(conflicts: list[Conflict], labels: dict[str, str]) -> list[Scored]:
    """The verified conflicts, in the comparison's order, as sentences; none is made up here."""
    out: list[Scored] = []
    for k, x in enumerate(conflicts):
        text = conflict_sentence(x, labels)
        if not text:
            continue
        outlets = list(dict.fromkeys(o for s in x.sides[:2] for o in s.outlets))
        score = 0.9 * KIND_WEIGHT.get(x.kind, 0.9) - 0.02 * k
        out.append((score, Difference("conflict", text, outlets, list(x.citations))))
    return out


# ------------------------------------------------------------------ who reports a statement
@dataclass
class Reach:
    """Whether another outlet reports a statement, from the best evidence the analysis has:

    1. the comparison grouped one of that outlet's claims with the statement's claim;
    2. the comparison's same-fact model over every sentence of the story (``ctx.sentence_matches``):
       said when one of its sentences reaches the grouping's ``group`` threshold, left out when none
       reaches its ``single`` threshold (the whole text checked), unsure between the two;
    3. without it, the model over claims (``ctx.same_fact``) for "said", then the sentence embeddings
       and words (``OutletText.reports`` / ``leaves_out``)."""

    ctx: StoryContext
    texts: list[OutletText]
    emb: np.ndarray  # one row per story claim
    row: dict[str, int] = field(default_factory=dict)
    group_of: dict[str, ClaimGroup] = field(default_factory=dict)
    rows_of: dict[str, list[int]] = field(default_factory=dict)  # outlet -> its claims' rows
    same: np.ndarray | None = None
    matches: SentenceMatches | None = None
    cols_of: dict[str, list[int]] = field(default_factory=dict)  # outlet -> its sentences in ``matches``

    def __post_init__(self) -> None:
        claims = self.ctx.story.claims
        self.row = {c.id: k for k, c in enumerate(claims)}
        self.group_of = {cid: g for g in self.ctx.story.claim_groups for cid in g.claims}
        for k, c in enumerate(claims):
            self.rows_of.setdefault(self.ctx.counted_outlet(c.span.article), []).append(k)
        same = self.ctx.same_fact
        if same is not None and same.shape == (len(claims), len(claims)):
            self.same = np.asarray(same)
        m = self.ctx.sentence_matches
        if m is not None and m.P.shape == (len(m.spans), len(m.spans)) and {"group", "single"} <= set(m.thresholds):
            self.matches = m
            outlet_of = {a.id: self.ctx.counted_outlet(a.id) for a in self.ctx.articles}
            for k, (aid, _, _) in enumerate(m.spans):
                self.cols_of.setdefault(outlet_of.get(aid, aid), []).append(k)

    def sentences(self, spans: list[Span]) -> list[int]:
        """The ``matches`` sentences that the spans overlap."""
        if self.matches is None:
            return []
        return [
            k
            for k, (aid, st, en) in enumerate(self.matches.spans)
            if any(s.article == aid and s.start < en and st < s.end for s in spans)
        ]

    def verdict(self, t: OutletText, spans: list[Span], text: str, vec: np.ndarray) -> tuple[str, int]:
        """("said", the number of its sentence that says it), ("absent", -1) or ("unsure", -1) for ``t``."""
        claims = self.ctx.story.claims
        ks = [k for k, c in enumerate(claims) if any(_overlap(c.span, s) for s in spans)]
        groups = [g for k in ks if (g := self.group_of.get(claims[k].id)) is not None]
        for g in groups:
            for cid in g.claims:
                j = self.row.get(cid)
                if j is not None and self.ctx.counted_outlet(claims[j].span.article) == t.outlet:
                    return "said", t.locate(claims[j].span)
        if self.matches is not None:
            rows, cols = self.sentences(spans), self.cols_of.get(t.outlet, [])
            if not rows or not cols:
                return "unsure", -1
            block = self.matches.P[np.ix_(rows, cols)]
            best = float(block.max())
            if best >= self.matches.thresholds["group"]:
                aid, st, en = self.matches.spans[cols[int(np.argmax(block.max(axis=0)))]]
                return "said", t.locate(Span(aid, st, en))
            return ("absent", -1) if best < self.matches.thresholds["single"] else ("unsure", -1)
        own = self.rows_of.get(t.outlet, [])
        if self.same is not None and ks and own:
            block = self.same[np.ix_(ks, own)]
            if float(block.max()) >= SAME_FACT:
                return "said", t.locate(claims[own[int(np.argmax(block.max(axis=0)))]].span)
        said, i = t.reports(vec, text)
        if said:
            return "said", i
        if groups and any(g.status == "partial" for g in groups):
            return "unsure", -1
        return ("absent", -1) if t.leaves_out(vec, text) else ("unsure", -1)

    def sentence_verdicts(self, t: OutletText) -> list[str]:
        """For each sentence of ``t``: "said" when another outlet says it, "absent" when no other outlet's
        text comes close, else "unsure"."""
        out = []
        for i, span in enumerate(t.spans):
            found = [self.verdict(o, [span], t.texts[i], t.emb[i])[0] for o in self.texts if o is not t]
            out.append("said" if "said" in found else "absent" if found and set(found) == {"absent"} else "unsure")
        return out


def _overlap(a: Span, b: Span) -> bool:
    return a.article == b.article and a.start < b.end and b.start < a.end


def _late(t: OutletText, i: int) -> bool:
    return i >= 0 and t.position[i] >= LATE and t.index[i] >= 2


# ------------------------------------------------------------------ leads
def lead_points(reach: Reach, leads: list[OutletLead]) -> list[Scored]:
    """An outlet that leads with what no other outlet reports, or what the others report only late."""
    if not leads:
        return []
    texts = reach.texts
    label = {t.outlet: t.label for t in texts}
    vecs = reach.ctx.embed([ld.lead for ld in leads])
    out: list[Scored] = []
    for ld, v in zip(leads, vecs):
        late: list[tuple[OutletText, int]] = []
        absent: list[OutletText] = []
        settled = True
        for t in texts:
            if t.outlet == ld.outlet:
                continue
            what, i = reach.verdict(t, list(ld.citations), ld.lead, v)
            if what == "said" and _late(t, i):
                late.append((t, i))
            elif what == "absent":
                absent.append(t)
            else:
                settled = False  # another outlet says it early too, or it is unclear: say nothing
                break
        if not settled or not (late or absent):
            continue
        me = label.get(ld.outlet, ld.outlet)
        cites = list(ld.citations) + [t.spans[i] for t, i in late]
        if not late:
            text = f"{me} leads with something no other outlet reports: “{cut(ld.lead)}”."
            score = 0.8
        else:
            parts = [f"{t.label} reports it only late (sentence {t.index[i] + 1})" for t, i in late]
            if absent:
                parts.append(f"{join_names([t.label for t in absent])} not at all")
            text = f"{me} leads with “{cut(ld.lead)}”; {join_names(parts)}."
            score = 0.75
        out.append((score, Difference("lead", text, [ld.outlet] + [t.outlet for t, _ in late], cites)))
    return out


# ------------------------------------------------------------------ the shape of the coverage
def scope_points(reach: Reach, leads: list[OutletLead]) -> tuple[list[Scored], set[str]]:
    """An outlet that tells a different story; the fullest account, else a short report. Also returns
    the outlets that tell a different story (their omissions go without saying)."""
    texts = reach.texts
    out: list[Scored] = []
    lead_of = {ld.outlet: ld for ld in leads}

    def opening(t: OutletText) -> list[Span]:
        """What a scope point about an outlet cites: its lead, else its first sentence."""
        return list(lead_of[t.outlet].citations) if t.outlet in lead_of else t.spans[:1]

    verdicts = {t.outlet: reach.sentence_verdicts(t) for t in texts}
    share = {o: (v.count("said") / len(v) if v else 0.0) for o, v in verdicts.items()}
    apart: set[str] = set()
    low = [t for t in texts if share[t.outlet] <= FEW_SHARED]
    scattered = len(texts) >= 2 and len(low) >= max(2, (len(texts) + 1) // 2)
    if scattered:
        # most outlets share almost nothing: different angles, or several events grouped as one story
        shares = ", ".join(f"{t.label} {round(100 * share[t.outlet])} %" for t in low)
        text = (
            f"The outlets have few statements in common: at most one sentence in ten of "
            f"{'each of ' if len(low) > 2 else ''}{join_names([t.label for t in low])} says what another outlet "
            f"says ({shares}). They tell different angles, or different events grouped as one story."
        )
        cites = [c for t in low for c in opening(t)]
        out.append((0.96, Difference("emphasis", text, [t.outlet for t in low], cites)))
    if len(texts) >= 3 and not scattered:
        for t in texts:
            others = [share[o.outlet] for o in texts if o is not t]
            if share[t.outlet] <= FEW_SHARED and min(others) >= 2 * share[t.outlet] + 0.1:
                apart.add(t.outlet)
                k = verdicts[t.outlet].count("said")
                cites = opening(t)
                some = "none" if k == 0 else f"only {k}"
                text = (
                    f"{t.label} tells a different story from the others: {some} of its {len(t.spans)} "
                    f"sentences {'says' if k == 1 else 'say'} what one of theirs says."
                )
                out.append((0.95, Difference("emphasis", text, [t.outlet], cites)))
    ranked = sorted(texts, key=lambda t: -t.length)
    if len(ranked) >= 2 and ranked[0].length >= FULLEST * ranked[1].length:
        t = ranked[0]
        alone = [i for i, v in enumerate(verdicts[t.outlet]) if v == "absent"]
        example = next((i for i in alone if is_whole_statement(t.texts[i])), None)
        if example is not None and len(alone) >= 3:
            rest = join_names([f"{o.label} {o.length}" for o in ranked[1:]])
            text = (
                f"{t.label} gives the fullest account ({t.length} words; {rest}), with facts no other outlet "
                f"reports, such as “{cut(t.texts[example])}”."
            )
            return out + [(0.55, Difference("emphasis", text, [t.outlet], [t.spans[example]]))], apart
    for t in texts:
        others = sorted(o.length for o in texts if o is not t)
        median = int(np.median(others))
        if t.length <= BRIEF * median and t.outlet in lead_of and t.outlet not in apart:
            whom = "the other outlet" if len(others) == 1 else "the other outlets' median"
            text = f"{t.label} is a short report: {t.length} words, against {median} for {whom}."
            out.append((0.5, Difference("emphasis", text, [t.outlet], list(lead_of[t.outlet].citations))))
    return out, apart


def exclusive_points(reach: Reach, imp: dict[str, float]) -> list[Scored]:
    """A fact one outlet alone reports that matters, once the comparison ranks groups by importance
    (``ClaimGroup.importance``): the most important ``single`` group of an outlet, if no other outlet's
    text reports it. Without the comparison's importance, nothing (position alone picks trivia)."""
    story = reach.ctx.story
    if not any(g.importance for g in story.claim_groups):
        return []
    top = max(imp.values(), default=1.0) or 1.0
    out: list[Scored] = []
    done: set[str] = set()
    for g in sorted((g for g in story.claim_groups if g.status == "single"), key=lambda g: -imp.get(g.id, 0.0)):
        ks = [reach.row[cid] for cid in g.claims if cid in reach.row]
        if not ks:
            continue
        c = story.claims[ks[0]]
        outlet = reach.ctx.counted_outlet(c.span.article)
        if outlet in done or not is_whole_statement(c.text):
            continue
        others = [t for t in reach.texts if t.outlet != outlet]
        if not others or any(reach.verdict(t, [c.span], c.text, reach.emb[ks[0]])[0] != "absent" for t in others):
            continue
        done.add(outlet)
        name = next((t.label for t in reach.texts if t.outlet == outlet), outlet)
        text = f"Only {name} reports that “{cut(c.text)}”."
        out.append((0.45 + 0.1 * imp.get(g.id, 0.0) / top, Difference("emphasis", text, [outlet], [c.span])))
        if len(out) >= 2:
            break
    return out


# ------------------------------------------------------------------ omissions
def omission_points(reach: Reach, imp: dict[str, float], skip: set[str]) -> list[Scored]:
    """Per outlet, the most important shared fact it leaves out, checked against its whole text."""
    story = reach.ctx.story
    top = sorted((g for g in story.claim_groups if g.status == "consensus"), key=lambda g: -imp.get(g.id, 0.0))
    out: list[Scored] = []
    for t in reach.texts:
        if t.outlet in skip:
            continue
        for rank_, g in enumerate(top[:TOP_FACTS]):
            who = {reach.ctx.counted_outlet(s.article) for s in g.citations}
            if t.outlet in who or len(who) < 2:
                continue
            ks = [reach.row[cid] for cid in g.claims if cid in reach.row]
            if not ks:
                continue
            if any(
                reach.verdict(t, [story.claims[k].span], story.claims[k].text, reach.emb[k])[0] != "absent" for k in ks
            ):
                continue
            names = join_names([next((o.label for o in reach.texts if o.outlet == w), w) for w in sorted(who)])
            text = f"{t.label} leaves out what {names} report: “{cut(_quotable(g, story))}”."
            score = 0.6 + 0.15 * (1 - rank_ / TOP_FACTS)
            out.append((score, Difference("omission", text, [t.outlet], list(g.citations))))
            break
    return out


def _quotable(g: ClaimGroup, story: Story) -> str:
    """The group's words to quote: its label when that is a whole statement, else its shortest claim that is."""
    if is_whole_statement(g.label):
        return g.label
    texts = [c.text for c in story.claims if c.id in set(g.claims) and is_whole_statement(c.text)]
    return min(texts, key=len) if texts else g.label


# ------------------------------------------------------------------ wording
def wording_points(story: Story, labels: dict[str, str]) -> list[Scored]:
    """Clear cases only: a name spelled differently (same first and last letter, length within one: "Kiev"
    and "Kyiv", not "France" and "French"), a title (unless a conflict already says it), one word for
    another name for the same thing in the same statement (``_clear_words``)."""
    titled = " ".join(x.what for x in story.conflicts if x.kind == "title")
    seen: set[frozenset[str]] = set()
    out: list[Scored] = []
    entries = [(o, w) for o, ws in story.coverage.wording.items() for w in ws]
    for outlet, w in entries:
        term, other = str(w.get("term", "")), str(w.get("others_use", w.get("others", "")))
        kind = str(w.get("kind", "wording"))
        cites = [Span(c["article"], c["start"], c["end"]) for c in w.get("citations", []) if isinstance(c, dict)]
        key = frozenset((term.lower(), other.lower()))
        if not term or not other or not cites or key in seen:
            continue
        if kind == "title" and (term in titled or other in titled):
            continue
        if kind == "spelling" and not _variant(term, other):
            continue
        if kind == "wording" and not _clear_words(term, other):
            continue
        seen.add(key)
        mirror = [
            Span(c["article"], c["start"], c["end"])
            for _o, w2 in entries
            if w2.get("term") == other and w2.get("others_use", w2.get("others")) == term
            for c in w2.get("citations", [])
            if isinstance(c, dict)
        ]
        others = [o for o in w.get("other_outlets", []) if isinstance(o, str)]
        verb = "writes" if len(others) == 1 else "write"
        text = f"{labels.get(outlet, outlet)} writes “{term}” where {_names(others, labels)} {verb} “{other}”."
        score = {"spelling": 0.35, "title": 0.4}.get(kind, 0.3)
        out.append((score, Difference("wording", text, [outlet, *others], cites[:3] + mirror[:3])))
    return out


def _variant(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a[:1] == b[:1] and a[-1:] == b[-1:] and abs(len(a) - len(b)) <= 1 and a != b


def _clear_words(a: str, b: str) -> bool:
    """Two names for one thing ("Daesh" / "Islamic State"): capitalised on both sides, at most three words,
    neither a form of the other. Common words aligned across two sentences ("court" / "trial") too often
    belong to two different statements to be shown."""
    wa, wb = a.split(), b.split()
    if not (0 < len(wa) <= 3 and 0 < len(wb) <= 3) or not all(w[:1].isupper() and w.isalpha() for w in wa + wb):
        return False
    return a.lower()[:4] != b.lower()[:4]
