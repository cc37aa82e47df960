"""Date patterns news writers use, on sentences written for these tests (not from AQUAINT):
weekdays against the publication date, "earlier this month", ranges, fiscal and season phrases,
anaphoric dates, and no value where neither the text nor the reference date supports one."""

from __future__ import annotations

import datetime as dt

import pytest

from crosswire.analysis.dates import Ref, time_refs

THU = Ref(dt.date(2024, 11, 21))  # published on a Thursday


def refs(text: str, ref: Ref | None = THU) -> dict[str, tuple[str | None, str | None, str | None]]:
    """surface -> (value, range_start, range_end); a surface seen twice keeps the last one."""
    return {r.text: (r.value, r.range_start, r.range_end) for r in time_refs("a", text, ref)}


def value(text: str, surface: str, ref: Ref | None = THU) -> str | None:
    return refs(text, ref)[surface][0]


@pytest.mark.parametrize(
    ("text", "surface", "want"),
    [
        ("The minister resigned on Tuesday.", "Tuesday", "2024-11-19"),  # earlier in the same week
        ("Ministers met Thursday to discuss the budget.", "Thursday", "2024-11-21"),  # the day itself
        ("The strike began on Friday.", "Friday", "2024-11-15"),  # the Friday before
        ("The council will vote on Tuesday.", "Tuesday", "2024-11-26"),
        ("On Tuesday, the council plans to vote on the budget.", "Tuesday", "2024-11-26"),
        ("On Tuesday, the council voted on the budget and plans to meet again.", "Tuesday", "2024-11-19"),
        ("Fans gathered ahead of Saturday's final.", "Saturday", "2024-11-23"),
        ("With a vote taking place in February, pressure grows.", "February", "2025-02"),
        ("The mayor spoke last Thursday.", "last Thursday", "2024-11-14"),
        ("The league meets next Monday.", "next Monday", "2024-11-25"),
    ],
)
def test_weekdays_against_the_publication_date(text, surface, want):
    assert value(text, surface) == want


def test_parts_of_this_month_and_last_year():
    got = refs("Prices rose earlier this month, exports fell late last year, and later this week the board meets.")
    assert got["earlier this month"][0] == "2024-11"
    assert got["late last year"][0] == "2023"
    assert got["later this week"][0] == "2024-W47"
    got = refs("The vote took place in early October this year; the next one is due in April next year.")
    assert got["early October this year"][0] == "2024-10"
    assert got["April next year"][0] == "2025-04"


def test_ranges():
    got = refs("The festival runs from March 3 to 5, and the fair ran 12-14 June 2023.")
    assert got["March 3 to 5"] == ("2024-03-03", "2024-03-03", "2024-03-05")
    assert got["12-14 June 2023"] == ("2023-06-12", "2023-06-12", "2023-06-14")
    got = refs("The summit was held between June 3 and 5.")
    assert got["June 3 and 5"] == ("2024-06-03", "2024-06-03", "2024-06-05")
    got = refs("The exhibition ran from March 3 to April 5.")
    assert got["March 3"] == ("2024-03-03", "2024-03-03", "2024-04-05")
    assert got["April 5"] == ("2024-04-05", "2024-04-05", "2024-04-05")
    # the first end takes the year of the second when only the second names one
    got = refs("Talks ran from December 28 to January 3, 2024.")
    assert got["December 28"] == ("2023-12-28", "2023-12-28", "2024-01-03")
    got = refs("Output grew between 2019 and 2021.")
    assert got["2019"] == ("2019", "2019-01-01", "2021-12-31") and got["2021"][0] == "2021"


def test_two_dates_are_not_a_range_without_a_range_word():
    got = refs("She visited on March 3 and April 5. Exports rose 3% in 2019 to 2021 levels.")
    assert got["March 3"] == ("2024-03-03", "2024-03-03", "2024-03-03")
    assert got["2019"] == ("2019", "2019-01-01", "2019-12-31")


def test_fiscal_years_and_quarters():
    got = refs("Revenue in fiscal 2024 beat FY2023; FY24 guidance was raised for the 2025 fiscal year.")
    assert [got[s][0] for s in ("fiscal 2024", "FY2023", "FY24", "2025 fiscal year")] == [
        "FY2024",
        "FY2023",
        "FY2024",
        "FY2025",
    ]
    assert got["FY2023"][1:] == (None, None)  # when a fiscal year starts is the company's choice
    got = refs("Results for Q3 2024 and Q2 FY25 were published.")
    assert got["Q3 2024"][0] == "2024-Q3" and got["Q2 FY25"][0] == "FY2025-Q2"
    # "this fiscal year" depends on the organisation's calendar: no value
    assert value("The company expects growth this fiscal year.", "this fiscal year") is None


def test_past_tense_and_named_weekday_choose_the_year():
    nov = Ref(dt.date(2024, 11, 21))
    # a past-tense verb right before: a date ahead of the reference is last year's
    assert value("Talks resumed on Dec. 12 after a pause.", "Dec. 12", nov) == "2023-12-12"
    # a present or future passive is not a past tense
    assert value("The album is released on Dec. 12.", "Dec. 12", nov) == "2024-12-12"
    # a weekday named with the day settles the year: 8 March 2024 was a Friday, 2025's a Saturday
    feb = Ref(dt.date(2025, 2, 27))
    assert value("The album was recorded on Friday 8 March.", "Friday 8 March", feb) == "2024-03-08"
    assert value("The album is out on Saturday 8 March.", "Saturday 8 March", feb) == "2025-03-08"


@pytest.mark.parametrize(
    ("text", "surface", "published", "want"),
    [
        ("Tourism was strong this summer.", "this summer", dt.date(2024, 11, 21), "2024-SU"),
        ("Tourism was weak last winter.", "last winter", dt.date(2024, 11, 21), "2023-WI"),
        ("Tourism was weak last winter.", "last winter", dt.date(2024, 1, 10), "2022-WI"),  # not the current one
        ("Tourism was strong last summer.", "last summer", dt.date(2024, 7, 10), "2023-SU"),
        ("Tourism was strong last summer.", "last summer", dt.date(2024, 9, 10), "2024-SU"),
        ("Heating costs are high this winter.", "this winter", dt.date(2024, 1, 10), "2023-WI"),
        ("Next spring may be better.", "Next spring", dt.date(2024, 11, 21), "2025-SP"),
        ("The plant was built in the summer.", "summer", dt.date(2024, 11, 21), "2024-SU"),
        ("The plant was built in the summer.", "summer", dt.date(2024, 2, 10), "2023-SU"),
        ("The school will reopen in the autumn.", "autumn", dt.date(2024, 4, 10), "2024-FA"),
        ("Flights were cut over the winter.", "winter", dt.date(2024, 4, 10), "2023-WI"),
        ("Flu spreads in winter.", "winter", dt.date(2024, 4, 10), "XXXX-WI"),  # generic: no year
    ],
)
def test_seasons(text, surface, published, want):
    assert value(text, surface, Ref(published)) == want


def test_winter_spans_the_new_year():
    got = refs("Heating costs rose last winter.")
    assert got["last winter"] == ("2023-WI", "2023-12-01", "2024-02-29")


def test_anaphoric_dates_count_from_the_date_the_text_named():
    got = refs("He was arrested on May 3, 2021. The next day he was released, and later that year he fled.")
    assert got["The next day"][0] == "2021-05-04"
    assert got["later that year"][0] == "2021"
    got = refs("The vote was on Sunday. That night, crowds gathered; the following week talks began.")
    assert got["That night"][0] == "2024-11-17TNI"
    assert got["the following week"][0] == "2024-W47"  # Sunday 17 November closes ISO week 46
    got = refs("The day before last Tuesday's hearing, the lawyers met.")
    assert got["The day before"][0] == "2024-11-18"


def test_no_value_without_evidence():
    # no date before them in the text: anaphoric expressions keep no value
    assert value("Talks collapsed. The next day nobody called.", "The next day") is None
    assert value("That year was hard, she said.", "That year") is None
    # "the day after the election": anchored at an event the text does not date
    assert value("On Monday he won. The day after the election, he left.", "The day after") is None
    # without a reference date, nothing relative is resolved
    assert value("The minister resigned on Tuesday.", "Tuesday", None) == "XXXX-WXX-2"
    assert value("The plant was built in the summer.", "summer", None) == "XXXX-SU"
    assert value("Prices rose earlier this month.", "earlier this month", None) is None
    # a reference known only to the month gives no weekday
    assert value("The minister resigned on Tuesday.", "Tuesday", Ref(dt.date(2024, 11, 15), "month")) == "XXXX-WXX-2"


def test_event_names_and_idioms_are_not_dates():
    got = refs("Thousands joined the March for Life and watched High Noon at the March of the Mothers.")
    assert "March" not in got and "Noon" not in got
