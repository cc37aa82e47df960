"""How the outlets differ (analysis/differences): the rules on hand-made data, then the component on small
stories (tests/fixtures/compare/storm_*.txt and articles written here)."""

from __future__ import annotations

import re

import pytest

from crosswire.analysis.differences import rank
from crosswire.analysis.differences.points import conflict_points, conflict_sentence, wording_points
from crosswire.analysis.differences.texts import cut, is_whole_statement, relabel, short_label
from crosswire.analysis.differences.title import clean_headline, is_neutral
from crosswire.model import Conflict, Coverage, Difference, Side, Span, Story
from difference_helpers import FLOOD, analyse, check_cited, story_context


# ------------------------------------------------------------------ rules on hand-made data
@pytest.mark.parametrize(
    "text, whole",
    [
        ("The storm killed 12 people in the coastal town of Marlow on Tuesday.", True),
        ("“It was frustrating,” Scholz told RTL, according to the dpa news agency.", False),  # referent elsewhere
        ("He urged Putin to cease hostilities and withdraw troops.", False),
        ("calling for the withdrawal of Russian troops from Ukraine.", False),
        ("and every day sends another signal in favor of war and destruction.", False),
        ('A German government spokesperson said Scholz would talk to Putin "when the time comes.', False),
        ("Kremlin spokesperson Dmitry Peskov told the news agency Interfax on Oct.", False),  # cut at "Oct."
        ("First, I had to find a pressure sensor that was thin and flexible.", False),  # the writer's own voice
        ("Will the town recover after the storm this winter?", False),
        ('Peskov said "we have said repeatedly that Putin remains open to contact."', True),
        ("Germany is the largest donor after the U.S. In an interview in September, Scholz urged peace.", False),
        # a sentence that points back to the one before it
        ("Another prospective juror said she could not be fair to the defendant in the case.", False),
        ("The same day, the police arrested a second man near the station in the town.", False),
        ("However, the council said the bridge would stay closed until the spring.", False),
        ("Then-President Barack Obama signed the bill into law in the White House.", True),
    ],
)
def test_whole_statement(text, whole):
    assert is_whole_statement(text) is whole


def test_short_labels_replace_file_names():
    assert short_label("unknown (004_f599b5dff95cfd99.txt)", 5) == "article 5"
    assert short_label("Reuters", 2) == "Reuters"
    labels = {"unknown (004_f599b5dff95cfd99.txt)": "article 5", "Reuters": "Reuters"}
    text = 'title: "Prime Minister" (unknown (004_f599b5dff95cfd99.txt)) vs "Chancellor" (Reuters)'
    assert relabel(text, labels) == 'title: "Prime Minister" (article 5) vs "Chancellor" (Reuters)'


def test_cut_keeps_words_and_drops_outer_quotes():
    assert cut('"We have said repeatedly that Putin remains open to contact."') == (
        "We have said repeatedly that Putin remains open to contact"
    )
    assert cut(" ".join(["word"] * 30), words=5) == "word word word word word …"


def _side(party, text, outlet, start):
    return Side(party=party, party_entity=None, text=text, outlets=[outlet], citations=[Span(outlet, start, start + 5)])


def test_conflict_sentence_names_the_point_the_parties_and_the_outlets():
    labels = {"unknown (a.txt)": "article 1", "BBC": "BBC"}
    x = Conflict(
        id="x1",
        groups=["g1", "g2"],
        kind="account",
        what="",
        point="who asked for the call",
        sides=[
            _side("the Kremlin", "Russian media report that the call was initiated by Germany.", "unknown (a.txt)", 0),
            _side("Berlin", "The chancellor's office said Moscow had asked for the call.", "BBC", 10),
        ],
    )
    text = conflict_sentence(x, labels)
    assert text.startswith("On who asked for the call, the Kremlin says “Russian media report")
    assert "(article 1)" in text and "Berlin says" in text and "(BBC)" in text and "unknown (" not in text
    number = Conflict(
        id="x2",
        groups=["g3", "g4"],
        kind="number",
        what='the number of dead: "12" (unknown (a.txt)) vs "15" (BBC)',
        point="the number of dead",
    )
    expected = 'The outlets disagree on the number of dead: "12" (article 1) vs "15" (BBC).'
    assert conflict_sentence(number, labels) == expected


def test_conflict_points_come_only_from_the_story_conflicts():
    assert conflict_points([], {}) == []
    x = Conflict(id="x", groups=["a", "b"], kind="date", what="the day: Tuesday (A) vs Thursday (B)", point="the day")
    (score, point), *rest = conflict_points([x], {})
    assert not rest and point.kind == "conflict" and "Tuesday" in point.text and "Thursday" in point.text


def _wording(term, others_use, kind, outlet="A", other="B", start=0):
    return {
        "term": term,
        "others_use": others_use,
        "other_outlets": [other],
        "citations": [{"article": outlet.lower(), "start": start, "end": start + len(term)}],
        "kind": kind,
    }


def test_wording_points_keep_clear_cases_only():
    story = Story(id="s", title="t")
    story.coverage = Coverage(
        outlets=["A", "B"],
        wording={
            "A": [
                _wording("Kiev", "Kyiv", "spelling"),
                _wording("France", "French", "spelling"),  # another word, not another spelling
                _wording("by phone", "to push", "wording"),  # two different statements aligned
                _wording("hostile", "unfriendly", "wording"),  # common words: too often two statements
                _wording("Daesh", "Islamic State", "wording"),  # two names for one thing
                _wording("Democrat", "Democratic", "spelling"),
            ],
            "B": [_wording("Kyiv", "Kiev", "spelling", "B", "A", 40)],  # the mirror of the first: one point
        },
    )
    texts = [d.text for _, d in wording_points(story, {"A": "A", "B": "B"})]
    assert texts == ["A writes “Kiev” where B writes “Kyiv”.", "A writes “Daesh” where B writes “Islamic State”."]
    kiev = wording_points(story, {})[0][1]
    assert {c.article for c in kiev.citations} == {"a", "b"}  # both spellings cited


def test_rank_orders_by_score_drops_repeats_and_caps():
    def d(kind, start):
        return Difference(kind, f"{kind} {start}", ["A"], [Span("a", start, start + 3)])

    found = [(0.3, d("wording", 1)), (0.9, d("conflict", 1)), (0.6, d("omission", 1)), (0.7, d("lead", 2))]
    found += [(0.1 + k / 100, d("emphasis", 10 + k)) for k in range(10)]
    out = rank(found)
    assert [p.kind for p in out[:2]] == ["conflict", "lead"]
    assert all(p.kind not in ("omission", "wording") for p in out)  # they cite only what the conflict cites
    assert len(out) == 8


@pytest.mark.parametrize(
    "headline, cleaned, neutral",
    [
        ("Scholz and Putin Hold First Phone Conversation in Two Years: Key Takeaways", None, True),
        ("Russia hasn't received request for Scholz-Putin call, Kremlin claims", None, False),
        ("North Korean troops in Ukraine ‘serious escalation’, Scholz tells Putin", None, False),
        ("Analysis: Why the central bank will cut rates again this year", None, False),
        ("Storm kills twelve people in the coastal town of Marlow - Reuters", None, True),
        ("Storm hits coast", None, False),
    ],
)
def test_headline_neutrality(headline, cleaned, neutral):
    h = clean_headline(headline)
    assert "Key Takeaways" not in h and "Reuters" not in h and not h.startswith("Analysis")
    assert is_neutral(h) is neutral


# ------------------------------------------------------------------ the component on small stories
@pytest.fixture(scope="module")
def storm(lang):
    from compare_helpers import fixture_context

    ctx = fixture_context(lang)
    analyse(ctx)
    return ctx


def test_storm_leads_one_per_outlet_cited(storm):
    leads = storm.story.differences.leads
    assert [ld.outlet for ld in leads] == ["storm_a", "storm_b", "storm_c", "storm_d"]
    for ld in leads:
        c = ld.citations[0]
        assert " ".join(storm.article(c.article).text[c.start : c.end].split()) == ld.lead
    assert leads[0].lead.startswith("The storm killed 12 people")  # the heading line is not the lead


def test_storm_points_are_the_verified_conflicts_and_cited(storm):
    story = storm.story
    conflicts = [p for p in story.differences.points if p.kind == "conflict"]
    assert 0 < len(conflicts) <= min(3, len(story.conflicts))
    assert any("12" in p.text and "15" in p.text for p in conflicts)
    check_cited(storm, story.differences.points)


def test_no_conflict_point_without_a_conflict(lang):
    from compare_helpers import fixture_context
    from crosswire.analysis import claims, compare, differences

    ctx = fixture_context(lang)
    claims.run(ctx)
    compare.run(ctx)
    ctx.story.conflicts = []
    differences.run(ctx)
    assert not [p for p in ctx.story.differences.points if p.kind == "conflict"]


@pytest.fixture(scope="module")
def flood(lang):
    ctx = story_context(lang, FLOOD)
    analyse(ctx)
    return ctx


def test_omission_of_the_main_shared_fact(flood):
    points = flood.story.differences.points
    check_cited(flood, points)
    omitted = [p for p in points if p.kind == "omission"]
    assert len(omitted) == 1 and omitted[0].outlets == ["Daily C"]
    assert "Elbe burst its banks" in omitted[0].text and "Daily A and Daily B" in omitted[0].text
    # A and B report what C reports late (the evacuation): neither is said to leave it out
    assert not any(p.kind == "omission" and p.outlets != ["Daily C"] for p in points)


def test_lead_no_other_outlet_reports(flood):
    leads = [p for p in flood.story.differences.points if p.kind == "lead"]
    assert [p.outlets for p in leads] == [["Daily C"]]
    assert "city council met on Tuesday" in leads[0].text


def test_outlet_telling_another_story(lang):
    texts = dict(FLOOD)
    texts["Daily C"] = (
        "The city council approved a new budget for public libraries on Thursday. The plan adds two reading "
        "rooms and longer opening hours. Librarians welcomed the decision after years of cuts."
    )
    ctx = story_context(lang, texts)
    analyse(ctx)
    apart = [p for p in ctx.story.differences.points if "tells a different story" in p.text]
    assert [p.outlets for p in apart] == [["Daily C"]]
    assert not [p for p in ctx.story.differences.points if p.kind == "omission" and p.outlets == ["Daily C"]]


# ------------------------------------------------------------------ the title
def _words(title: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'’-]*", title))


def test_title_is_the_core_of_the_lead_two_outlets_report(flood):
    title = flood.story.title
    assert title != "placeholder" and 5 <= _words(title) <= 18
    assert is_neutral(title)
    # two outlets open with the flood itself; the evacuation, which all three report, is a detail of it
    assert "burst its banks" in title and "evacuated" not in title


def test_title_prefers_a_neutral_headline(lang):
    titles = {
        "Daily A": "Shocking scenes as Dresden drowns: who is to blame?",
        "Daily B": "Elbe bursts its banks and floods the old town of Dresden",
    }
    ctx = story_context(lang, FLOOD, titles)
    analyse(ctx)
    assert ctx.story.title == "Elbe bursts its banks and floods the old town of Dresden"


def test_title_of_a_one_article_story(lang):
    from compare_helpers import fixture_context

    ctx = fixture_context(lang, names=("storm_a",))
    analyse(ctx)
    assert ctx.story.title == "The storm killed 12 people in the coastal town of Marlow on Tuesday"
    assert not ctx.story.differences.points and len(ctx.story.differences.leads) == 1


@pytest.mark.parametrize(
    "sentence, title",
    [
        (
            "German Chancellor Olaf Scholz and Russian President Vladimir Putin held a phone conversation on "
            "November 15, marking their first direct communication in over two years.",
            "Olaf Scholz and Vladimir Putin held a phone conversation on November 15",
        ),
        (
            "BALTIMORE (WJZ) — A Baltimore attorney defending a man accused of rape is now out of jail after "
            "authorities say they caught him trying to bribe the victim and a witness in the case.",
            "A Baltimore attorney is out of jail",
        ),
        (
            "WASHINGTON — Two former staff members of a delegate to Congress from the U.S. Virgin Islands were "
            "indicted Thursday for allegedly circulating nude pictures.",
            "Two former staff members were indicted for allegedly circulating nude pictures",
        ),
        (
            "Nevada rancher Cliven Bundy is at the center of a dispute with the Bureau of Land Management.",
            # the name whole or not at all: never "with the Bureau"
            "Nevada rancher Cliven Bundy is at the center of a dispute with the Bureau of Land Management",
        ),
        ("He urged Putin to cease hostilities and withdraw troops.", None),  # whose words: no title
        # a second verb that holds the object the first lacks; a particle that is part of the verb
        (
            "A Coast Guard helicopter crew found and rescued a person from the water Tuesday off Crane Beach.",
            "A Coast Guard helicopter crew found and rescued a person from the water off Crane Beach",
        ),
        (
            "Holt said officer Collin Rose, of St. Clair Shores, passed away at 5:35 p.m. Wednesday.",
            "Holt says Collin Rose of St. Clair Shores passed away at 5:35 p.m.",
        ),
        # a writer's or speaker's own voice, a pronoun of the speaker's that is not the speaker, a verb whose
        # content is cut, a reporting verb with no content: no title
        ("Raffaele expressed his frustration to me on the phone yesterday.", None),
        ("Obama said they're not better than anyone else.", None),
        ("Rare documents showed on Wednesday that Eichmann had asked for clemency.", None),
        ("The family is telling friends about the wedding.", None),
        # never stop right before the phrase that carries the clause ("is accused [of ...]")
        (
            "A former Pittsburgh Public School elementary school teacher is accused of trying to lure a 10-year-old "
            "student away from her school in the Garfield neighborhood of the city last week.",
            None,
        ),
        (
            "The 52-46 vote on the non-binding budget resolution put Congress on a path toward a balanced budget "
            "within ten years for the first time since 2001.",
            "The 52-46 vote put Congress on a path toward a balanced budget within ten years",
        ),
        # nor before the clause a definite noun or a verb waits for ("the moment [when ...]", "caught on
        # tape [telling ...]")
        (
            "New surveillance video appears to show the moment when a Massachusetts police officer was struck by a "
            "fire truck.",
            None,
        ),
        (
            "A Baltimore defense attorney was caught on tape telling a rape victim that she could be deported.",
            None,
        ),
        # a named speaker's words go on in lower case
        (
            "The leaders of both parties have reached an agreement, President Barack Obama said in a statement.",
            "Barack Obama says the leaders of both parties have reached an agreement",
        ),
    ],
)
def test_core_clause_who_did_what(lang, sentence, title):
    from crosswire.analysis.differences.title import _DATELINE, core_clause

    assert core_clause(lang.parse(_DATELINE.sub("", sentence))) == title
