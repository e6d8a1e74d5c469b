import datetime as dt

import pytest
import spacy

from newsevents.transforms.extraction.dates import page_date, resolve_date_expression
from newsevents.transforms.extraction.syntax import dateline_length

SAT = dt.date(2022, 5, 14)  # a Saturday


@pytest.mark.parametrize("text, expected", [
    ("on Wednesday", (dt.date(2022, 5, 11), "day")),
    ("Saturday", (dt.date(2022, 5, 14), "day")),
    ("last Saturday", (dt.date(2022, 5, 7), "day")),
    ("next Monday", (dt.date(2022, 5, 16), "day")),
    ("today", (SAT, "day")),
    ("yesterday", (dt.date(2022, 5, 13), "day")),
    ("two days ago", (dt.date(2022, 5, 12), "day")),
    ("March 7", (dt.date(2022, 3, 7), "day")),
    ("7 March", (dt.date(2022, 3, 7), "day")),
    ("December 30", (dt.date(2021, 12, 30), "day")),  # the latest one before publication
    # A day up to a month after publication keeps its year: the next days, never a
    # day of the year before; further ahead it is the year before.
    ("May 15", (dt.date(2022, 5, 15), "day")),
    ("on 2 June", (dt.date(2022, 6, 2), "day")),
    ("June 20", (dt.date(2021, 6, 20), "day")),
    ("January 21, 2019", (dt.date(2019, 1, 21), "day")),
    ("2020-02-03", (dt.date(2020, 2, 3), "day")),
    # A day and a month in figures, day first as the reports that write them do, month
    # first only where that alone is a date; a year of two figures is of this century
    # unless that lies ahead.
    ("on 12/05", (dt.date(2022, 5, 12), "day")),
    ("(1/5)", (dt.date(2022, 5, 1), "day")),
    ("05/13", (dt.date(2022, 5, 13), "day")),  # no 13th month: month first
    ("01/07/2016", (dt.date(2016, 7, 1), "day")),
    ("12/05/98", (dt.date(1998, 5, 12), "day")),
    ("on 5/3 for two days", (dt.date(2022, 3, 5), "day")),
    ("on 5/12", (dt.date(2022, 5, 12), "day")),  # month first, two days before publication
    ("4/1", (dt.date(2022, 1, 4), "day")),
    ("1/6", (dt.date(2022, 1, 6), "day")),  # 1 June lies ahead, 6 January does not
    # ... not a fraction, nor a day named as an event or a phrase.
    ("2-1/2 years", None),
    ("1/2 hour", None),
    ("3/4 of the votes", None),
    ("9/11", None),
    ("24/7", None),
    ("last January", (dt.date(2022, 1, 1), "month")),
    ("in March", (dt.date(2022, 3, 1), "month")),
    ("in March 2019", (dt.date(2019, 3, 1), "month")),
    ("last month", (dt.date(2022, 4, 1), "month")),
    ("last week", (dt.date(2022, 5, 7), "week")),
    ("earlier this year", (dt.date(2022, 1, 1), "year")),
    ("In 2011", (dt.date(2011, 1, 1), "year")),
    # A span of days began on its first ("from 9-11 May", "on 11 - 13 May", "May 3-5").
    ("from 9-11 May", (dt.date(2022, 5, 9), "day")),
    ("on 11 - 13 May", (dt.date(2022, 5, 11), "day")),
    ("May 3-5", (dt.date(2022, 5, 3), "day")),
    ("3rd-5th May 2020", (dt.date(2020, 5, 3), "day")),
    ("recent months", None),
    ("between 2017 and 2019", None),
])
def test_resolve_date_expression(text, expected):
    assert resolve_date_expression(text, SAT) == expected


@pytest.mark.parametrize("text, published, days_ahead, expected", [
    # Across the turn of the year, both ways.
    ("January 2", dt.date(2021, 12, 31), 31, dt.date(2022, 1, 2)),
    ("December 28", dt.date(2022, 1, 3), 31, dt.date(2021, 12, 28)),
    # 31 days ahead keeps the year, 32 do not.
    ("June 14", SAT, 31, dt.date(2022, 6, 14)),
    ("June 15", SAT, 31, dt.date(2021, 6, 15)),
    # A day the caller allows no further ahead (a past event), or a year ahead (a plan).
    ("May 16", SAT, 1, dt.date(2021, 5, 16)),
    ("May 15", SAT, 1, dt.date(2022, 5, 15)),
    ("April 2", SAT, 366, dt.date(2023, 4, 2)),
    # 29 February falls to the last leap year before.
    ("29 February", SAT, 31, dt.date(2020, 2, 29)),
])
def test_days_named_without_their_year(text, published, days_ahead, expected):
    assert resolve_date_expression(text, published, days_ahead) == (expected, "day")


@pytest.mark.parametrize("text, length", [
    ("Thu Feb 1 2024 Soldiers shot two smugglers", 4),
    ("Sun 3 Mar 2024 Rebels attacked", 4),
    ("Wed Mar 6 2024 18 Militants Killed", 5),  # "Wed" is split in two, as "we'd" is
    ("Tuesday 5 Mar 2024 Airstrikes kill nine", 4),
    ("30-11-2023 50 Fighters Killed", 5),  # tokenized as five pieces
    ("24.08.2023 State media accused", 1),
    ("12 November 2023 Three civilians killed", 3),
    ("Oct 2023 Islamic State jihadists attacked", 2),
    ("March 25 rebels shelled the town", 2),
    # a count after a weekday stays a count; no month or year, no dateline
    ("Monday 57 civilians were killed", 0),
    ("57 Civilians Killed in Shelling", 0),
    ("12-3 was the final score", 0),
    ("May protesters marched", 0),
])
def test_dateline_length(text, length):
    doc = spacy.blank("en")(text)
    assert dateline_length(doc[:]) == length


@pytest.mark.parametrize("text, expected", [
    # A page's date in figures is day first, as the outlets that print it so write it.
    ("13-08-2013", dt.date(2013, 8, 13)),
    ("01-06-2016", dt.date(2016, 6, 1)),
    ("24.09.2014", dt.date(2014, 9, 24)),
    ("2016-06-01", dt.date(2016, 6, 1)),
    ("Sat Nov 12 2016", dt.date(2016, 11, 12)),
    ("Wednesday 1 Oct 2014", dt.date(2014, 10, 1)),
    ("26 October 2016", dt.date(2016, 10, 26)),
    # Only a whole date: a day, a month and a year.
    ("Monday 5 January", None),
    ("Jun 062016", None),
    ("31-02-2016", None),
    ("13/08/2013", dt.date(2013, 8, 13)),
])
def test_page_date(text, expected):
    assert page_date(text, SAT) == expected


@pytest.mark.parametrize("text, published, expected", [
    # Day first, unless the other order agrees with the publication date.
    ("11-06-2016", dt.date(2016, 11, 6), dt.date(2016, 11, 6)),
    ("11-06-2016", dt.date(2016, 2, 1), dt.date(2016, 6, 11)),
])
def test_page_date_in_figures(text, published, expected):
    assert page_date(text, published) == expected
