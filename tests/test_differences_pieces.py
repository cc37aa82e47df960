"""How the outlets differ, on small stories written here: the kind of piece each outlet is (first person,
transcript, release, paper), whose own words only one outlet gives, what an outlet opens with when a photo
caption or credit stands first, and outlets that have few statements in common."""

from __future__ import annotations

import pytest

from difference_helpers import FLOOD, analyse, check_cited, points_saying, story_context

VOICES = {
    "Daily A": (
        "A bridge over the Elbe collapsed in Dresden on Monday, injuring four people. "
        '"We will rebuild the bridge within a year," Mayor Jane Holt said on Tuesday. '
        "Engineers had warned about cracks in its supports last spring. "
        '"Nobody should have been on that bridge after the warning," Holt told reporters.'
    ),
    "Daily B": (
        "The old Elbe bridge in Dresden collapsed on Monday and four people were hurt. "
        "Mayor Jane Holt visited the site on Tuesday morning. "
        "Engineers had found cracks in the bridge's supports last spring."
    ),
    "Daily C": (
        "Four people were injured when a bridge in Dresden collapsed into the Elbe on Monday. "
        "Police closed the roads along the river for the day."
    ),
}


def _full(ctx):
    from crosswire.analysis import claims, compare, differences, entities, quotes

    for m in (entities, quotes, claims, compare, differences):
        m.run(ctx)
    return ctx.story


def test_a_voice_only_one_outlet_gives(lang):
    ctx = story_context(lang, VOICES)
    points = [p for p in _full(ctx).differences.points if "own words" in p.text or "a voice" in p.text]
    assert [(p.outlets, p.kind) for p in points] == [(["Daily A"], "emphasis")], points
    assert (
        "Jane Holt's own words (2 quotes" in points[0].text and "Daily B names Jane Holt without them" in points[0].text
    )
    check_cited(ctx, points)
    cited = {ctx.article(c.article).text[c.start : c.end] for c in points[0].citations}
    assert any("rebuild the bridge" in t for t in cited)


def test_no_voice_point_when_another_outlet_gives_the_words_too(lang):
    texts = dict(VOICES)
    texts["Daily B"] = texts["Daily B"].replace(
        "Mayor Jane Holt visited the site on Tuesday morning.", "Mayor Jane Holt said the city would rebuild it."
    )
    ctx = story_context(lang, texts)
    assert not [p for p in _full(ctx).differences.points if "own words" in p.text or "a voice" in p.text]


# ------------------------------------------------------------------ the kind of piece
def test_quotation_marks_hide_the_first_person():
    from crosswire.analysis.differences.kinds import quoted_mask

    text = "“I was there,” he said. The company’s ‘we care’ line.\n“We will rebuild\nit,” she said."
    mask = quoted_mask(text)
    inside = "".join(ch for ch, q in zip(text, mask) if q)
    assert "I was there" in inside and "we care" in inside and "We will rebuild" in inside
    assert "he said" not in inside and "company" not in inside
    assert "it," not in inside  # a paragraph break ends an unclosed quotation


OWN_VOICE = (
    "I flew to Dresden on Monday to see the flood for myself. The Elbe burst its banks and my old school "
    "was under water. We waded through the old town with the rescue teams. I have never seen the river this "
    "high. Our street was closed by the police. The mayor said the damage would cost millions of euros."
)


def test_an_outlet_written_in_the_first_person(lang):
    texts = dict(FLOOD)
    texts["Daily C"] = OWN_VOICE
    ctx, kinds = points_saying(lang, texts, "first person")
    assert [p.outlets for p in kinds] == [["Daily C"]]
    assert "Daily A and Daily B report in the third person" in kinds[0].text
    check_cited(ctx, kinds)
    # the same words inside quotation marks are a witness quoted by a report: no such point
    texts["Daily C"] = " ".join(f"“{s}” said one resident." for s in OWN_VOICE.split(". ")[:5])
    assert not points_saying(lang, texts, "first person")[1]


def test_an_outlet_that_is_a_transcript(lang):
    texts = dict(FLOOD)
    texts["Daily C"] = "\n".join(
        [
            "Q: What did you see when the Elbe burst its banks in Dresden on Monday?",
            "MAYOR: The water reached the old town within an hour of the first warning.",
            "Q: How many residents were evacuated from the riverside?",
            "MAYOR: About 300 residents, all of them safe tonight in the schools.",
            "Q: What will the damage cost the city and its insurers?",
            "MAYOR: Millions of euros, and we will need help from the state.",
        ]
    )
    ctx, kinds = points_saying(lang, texts, "transcript")
    assert [p.outlets for p in kinds] == [["Daily C"]] and "6 of its 6 paragraphs" in kinds[0].text
    check_cited(ctx, kinds)


@pytest.mark.parametrize(
    "sentence, caption",
    [
        ("House Minority Leader Nancy Pelosi speaks during a news conference at the U.S. Capitol last week.", True),
        ("The Bluefin-21 underwater vehicle is hoisted back aboard the Australian ship Ocean Shield.", True),
        ("This photo released by the Syrian news agency shows rescue teams at the scene in Aleppo.", True),
        ("WASHINGTON, DC - JUNE 18: Former Congresswoman Gabby Giffords throws out the first pitch.", True),
        ("Former Congresswoman Gabby Giffords threw out the first pitch at the game on Thursday.", False),
        ("Mr. Trump seldom speaks of his brother, who died of alcoholism in 1981.", False),
        ("Nevada rancher Cliven Bundy is at the center of a dispute with the Bureau of Land Management.", False),
        ("The teacher is accused of sending the girl thousands of messages.", False),
    ],
)
def test_a_photo_caption(lang, sentence, caption):
    from crosswire.analysis.claims import is_caption

    assert is_caption(next(iter(lang.parse(sentence).sents))) is caption


def test_a_caption_is_no_lead_and_a_credit_is_cut(lang):
    texts = dict(FLOOD)
    texts["Daily C"] = (
        "Rescue workers carry sandbags along the river Elbe in Dresden on Monday, June 3, 2013. " + texts["Daily C"]
    )
    texts["Daily B"] = "Jens Meyer/AP " + texts["Daily B"]
    ctx = story_context(lang, texts)
    analyse(ctx)
    leads = {ld.outlet: ld.lead for ld in ctx.story.differences.leads}
    assert leads["Daily C"].startswith("The city council met on Tuesday")
    assert leads["Daily B"].startswith("On Monday the Elbe burst its banks")


def test_an_outlet_that_is_a_release_or_a_paper(lang):
    texts = dict(FLOOD)
    texts["Daily C"] = (
        "By Anna Berg, Dresden City Public Affairs\n" + texts["Daily C"] + "\nFor more information, visit dresden.de."
    )
    ctx, kinds = points_saying(lang, texts, "own release")
    assert [p.outlets for p in kinds] == [["Daily C"]] and "Public Affairs" in kinds[0].text
    check_cited(ctx, kinds)
    texts["Daily C"] = (
        "Flood waves on the Elbe were modelled before12,13 and after the dam failures14 (Fig. 2). "
        "The discharge at Dresden exceeded earlier estimates15, and the old town was flooded on Monday."
    )
    ctx, kinds = points_saying(lang, texts, "scientific paper")
    assert [p.outlets for p in kinds] == [["Daily C"]]
    # a report that says an agency "said in a press release" is still a report
    texts["Daily C"] = FLOOD["Daily C"] + " The city said in a press release that schools would reopen on Friday."
    assert not points_saying(lang, texts, "own release")[1]


def test_outlets_with_few_statements_in_common(lang):
    texts = {
        "Daily A": FLOOD["Daily A"],
        "Daily B": "The city council approved a new budget for public libraries on Thursday. The plan adds two reading "
        "rooms and longer opening hours. Librarians welcomed the decision after years of cuts.",
        "Daily C": "A local football club won the regional cup final on Saturday evening. Its captain scored twice "
        "in the second half. Fans celebrated in the market square until midnight.",
    }
    ctx, few = points_saying(lang, texts, "few statements in common")
    assert len(few) == 1 and len(few[0].outlets) >= 2, ctx.story.differences.points
    assert not [p for p in ctx.story.differences.points if "tells a different story" in p.text]
    check_cited(ctx, few)
    # the flood story, told by three outlets that share its facts, has no such point
    ctx = story_context(lang, FLOOD)
    analyse(ctx)
    assert not [p for p in ctx.story.differences.points if "few statements in common" in p.text]
