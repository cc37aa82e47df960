"""The rules under the conflict finders: quantities and what they count, titles, parties, denials."""

from __future__ import annotations

import pytest

from crosswire.analysis.compare import conflict_numbers as cn
from crosswire.analysis.compare import number_phrases as nq
from crosswire.analysis.compare import number_values as nv
from crosswire.analysis.compare import parties, titles
from crosswire.analysis.compare.conflict_accounts import predicate
from crosswire.model import Span


def _quantities(lang, text):
    doc = lang.parse(text)
    return nq.quantities(doc, 0, len(text))


def _one(lang, text):
    qs = _quantities(lang, text)
    assert len(qs) == 1, [(q.written, q.unit) for q in qs]
    return qs[0]


def test_a_count_knows_what_it_counts(lang):
    q = _one(lang, "Relatives of the 150 Chinese passengers clashed with police in Beijing.")
    assert (q.lo, q.hi, q.unit, set(q.mods)) == (150, 150, "passenger", {"chinese"})
    block = _one(lang, "Tavin Price was at a car wash in the 3000 block of West Florence Avenue.")
    assert block.unit == "block" and block.of == "west florence avenue"
    pileup = _one(lang, "Blinding snow is blamed for a 30-car pileup near Fort Dodge.")
    assert (pileup.unit, pileup.of) == ("car", "pileup")


def test_ages_belong_to_the_named_person(lang):
    qs = _quantities(lang, "Dwight Smith, 30, and Kevin Johnson, 25, were arrested on suspicion of murder.")
    assert {(q.of, q.lo) for q in qs if q.unit == "age"} == {("Dwight Smith", 30), ("Kevin Johnson", 25)}
    q = _one(lang, "The teacher, identified as 29-year-old Geraldine Alcorn, was arrested.")
    assert (q.unit, q.of, q.lo) == ("age", "Geraldine Alcorn", 29)


def test_an_age_after_a_surname_the_tagger_missed(lang):
    text = "Pasztor shot her neighbor, Frank Macomber. Macomber, 65, was found fatally shot in a wooded area."
    doc = lang.parse(text)
    qs = nq.quantities(doc, text.index("Macomber,"), len(text))
    assert [(q.unit, q.of, q.lo) for q in qs] == [("age", "Macomber", 65)]
    # a bare surname the article never gives as a person's, or a place, has no age
    assert _quantities(lang, "Macomber, 65, was found fatally shot in a wooded area.") == []
    assert _quantities(lang, "In Boston, 65, people came to the vigil.") == []


def test_ranges_hedges_and_rates(lang):
    r = _one(lang, "The objects were between 2 meters and 16 meters in size.")
    assert (r.unit, r.lo, r.hi) == ("meter", 2, 16)
    money = _one(lang, "The scholarships are worth about $76,000 per academic year.")
    assert money.unit == "dollar per year" and money.lo == 75_500 and money.hi == 76_500


def test_dates_times_ordinals_and_years_are_not_quantities(lang):
    assert _quantities(lang, "He was shot on May 29 at 10:30 a.m. on the 23rd floor in 2013.") == []


def test_what_the_words_allow():
    def q(lo, hi):
        return nq.Quantity(lo, hi, "", "person", 0, 0)

    about_140 = q(*nv.interval(140, "about", nv.step("140", None), False))
    assert about_140.fits(q(139.1, 139.1))
    at_least_3 = q(*nv.interval(3, "at_least", 0.5, False))
    assert not at_least_3.fits(q(2, 2))
    rounded = q(*nv.interval(3.4e6, None, nv.step("3.4", "million"), True))
    assert rounded.fits(q(3.44e6, 3.44e6))
    nearly_13 = q(*nv.interval(13, "nearly", nv.step("13", None), False))
    assert nearly_13.fits(q(12, 12)) and not nearly_13.fits(q(11, 11))
    assert not q(*nv.interval(19, "over", 0.5, False)).fits(q(15.2, 15.2))
    assert not q(150, 150).fits(q(153, 153)) and q(35.7, 35.7).fits(q(35.7, 35.7))


def test_one_quantity_means_one_thing():
    a = nq.Quantity(150, 150, "150", "passenger", 0, 3, mods=frozenset({"chinese"}))
    b = nq.Quantity(239, 239, "239", "passenger", 0, 3)
    assert not cn.same_quantity(a, b)
    assert cn.same_person("Kevin Deon Johnson", "Kevin Johnson") and cn.same_person("Johnson", "Kevin Johnson")
    assert not cn.same_person("Dwight Smith", "Kevin Smith")


def _use(office, outlet, title=None, person="kanan"):
    return titles.TitleUse(person, "Matthew Kanan", title or office, office, outlet, Span(outlet, 0, 5))


@pytest.mark.parametrize(
    "a, b, conflict",
    [
        ("assistant professor", "associate professor", True),
        ("prime minister", "chancellor", True),
        ("senator", "senate majority leader", False),  # two true offices
        ("rnc chairman", "republican national committee chairman", False),  # an abbreviation
        ("spokesman", "spokesman", False),  # "the spokesman" vs "a spokesman"
        ("professor", "associate professor", False),  # one is the other, less precise
    ],
)
def test_titles_conflict_only_when_one_person_cannot_hold_both(a, b, conflict):
    found = titles.title_conflicts([_use(a, "x"), _use(b, "y")])
    assert bool(found) is conflict


def test_a_former_office_is_not_a_conflict():
    texts = {"x": "said former Chancellor Olaf Scholz", "y": "said Prime Minister Olaf Scholz"}
    uses = [
        titles.TitleUse("scholz", "Olaf Scholz", "Chancellor", "chancellor", "x", Span("x", 12, 22)),
        titles.TitleUse("scholz", "Olaf Scholz", "Prime Minister", "prime minister", "y", Span("y", 5, 19)),
    ]
    assert titles.title_conflicts(uses) and not titles.title_conflicts(uses, lambda aid: texts[aid])


@pytest.mark.parametrize(
    "name, ok",
    [
        ("Dmitry Peskov", True),
        ("police", True),
        ("Syrian state television", True),
        ("Any comments?", False),
        ("court documents", False),
        ("the indictment", False),
        ("The New York Times", False),
        ("mn121-outlet0", False),
        ("he", False),
    ],
)
def test_a_party_is_a_person_or_body(name, ok):
    assert parties.is_party(name, {"mn121-outlet0"}) is ok


def test_the_predicate_of_a_denial(lang):
    doc = lang.parse("Northwestern said that its athletes are not employees.")
    comp = next(t for t in doc if t.dep_ == "ccomp")
    pred, subj = predicate(comp)
    assert pred.lemma_ == "employee" and subj.lemma_ == "athlete"
    doc = lang.parse("An official said there was no evidence that the pilot had tried to make a call.")
    comp = next(t for t in doc if t.dep_ == "ccomp")
    pred, subj = predicate(comp)
    assert pred.lemma_ == "try" and subj.lower_ == "pilot"


def test_a_negated_opinion_verb_negates_what_it_governs(lang):
    # "I don't think they're better off" says they are not: it asserts nothing a denial could answer
    from crosswire.analysis.compare.conflict_accounts import _clause_of, _negated

    def clause_negated(text: str, word: str) -> bool:
        doc = lang.parse(text)
        return _negated(_clause_of(next(t for t in doc if t.text == word)))

    assert clause_negated("Well, I don't think they're better off than they were four years ago.", "better")
    assert clause_negated("The American people are not better off than they were.", "better")
    assert not clause_negated("I think they are better off than they were.", "better")


def test_counted_things_in_other_words_are_one_quantity(lang):
    car = _one(lang, "Blinding snow is blamed for a 30-car pileup on Interstate 35.")
    vehicle = _one(lang, "State police said a 25-vehicle pileup happened on Interstate 35.")
    assert cn.same_quantity(car, vehicle) and car.disagrees(vehicle)
    gunmen = _one(lang, "The forces killed two gunmen in the fighting.")
    terrorists = _one(lang, "State television said three terrorists were killed in the fighting.")
    assert cn.same_quantity(gunmen, terrorists) and cn.point_of(gunmen) == "the number of gunmen"


def test_a_name_without_letters_is_nobody():
    # an age read beside a "name" with no words in it ("(2)") crashed the grouping of a whole story
    assert not cn.same_person("", "Kevin Johnson")
    assert not cn.same_person("Kevin Johnson", "  ")
    assert cn.same_person("Kevin Deon Johnson", "Kevin Johnson")


def test_where_a_count_happened_keeps_two_places_apart(lang):
    homs = _one(lang, "In all, 104 people were killed Monday in Homs, according to the activists.")
    syria = _one(lang, "As many as 125 people died across Syria on Monday, the activists said.")
    assert homs.where == {"homs"} and syria.where == {"syria"}
    assert homs.disagrees(syria) and cn.same_quantity(homs, syria)
    assert cn._elsewhere(homs, syria)
    nowhere = _one(lang, "Police said 125 people died on Monday.")
    assert not cn._elsewhere(homs, nowhere)  # a count that names no place may be the same count


@pytest.mark.parametrize(
    "name, unnamed",
    [("Blinding snow", True), ("Heavy rain", True), ("Tom Reed", False), ("police", False), ("Peskov", False)],
)
def test_a_capital_at_the_start_alone_names_no_party(name, unnamed):
    from crosswire.analysis.compare.parties import _named_party

    assert _named_party(name, None, ()) is not unnamed
    assert _named_party(name, "e_1", ()) is True  # a story entity stands behind it


def test_a_plural_party_says_in_the_plural():
    from types import SimpleNamespace

    from crosswire.analysis.compare.conflict_sides import says
    from crosswire.model import Entity

    ents = [
        Entity(id="e1", name="Republicans", type="NORP"),
        Entity(id="e2", name="Bernie Sanders", type="PERSON"),
        Entity(id="e3", name="Kremlin", type="ORG"),
    ]
    ctx = SimpleNamespace(story=SimpleNamespace(entities=ents))
    assert says(ctx, "Republicans") == "say"
    assert says(ctx, "police") == "say" and says(ctx, "federal prosecutors") == "say"
    assert says(ctx, "Bernie Sanders") == "says" and says(ctx, "Kremlin") == "says"
    assert says(ctx, "Olaf Scholz") == "says" and says(ctx, None) == "says"


def test_counts_of_one_charge_said_longer_are_one_quantity(lang):
    five = _one(lang, "He was charged with five counts of fifth degree criminal mischief.")
    six = _one(lang, "He faces six counts of criminal mischief.")
    assert cn.same_quantity(five, six) and cn.clash(five, six)
    other = _one(lang, "He faces six counts of reckless driving.")
    assert not cn.same_quantity(five, other)
