"""Dates and numbers in words, as each language writes them."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from ogp_tracker.formats import long_date, number

NEW_YEAR = datetime.date(2022, 1, 1)


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("fr", NEW_YEAR, "1er janvier 2022"),
        ("fr", datetime.date(2022, 1, 2), "2 janvier 2022"),
        ("fr", datetime.date(2022, 1, 11), "11 janvier 2022"),
        ("fr", datetime.date(2022, 3, 21), "21 mars 2022"),
        ("en", NEW_YEAR, "Jan. 1, 2022"),
    ],
)
def test_it_writes_the_first_of_a_month_as_an_ordinal_in_french_only(
    language, day, expected
):
    with translation.override(language):
        assert long_date(day) == expected


def test_it_writes_times_with_the_ordinal_too():
    moment = datetime.datetime(2022, 7, 1, 14, 5)

    with translation.override("fr"):
        assert long_date(moment, "DATETIME_FORMAT") == "1er juillet 2022 14:05"


@pytest.mark.parametrize("value", [None, "", "2022-01-01"])
def test_it_writes_nothing_for_what_is_not_a_date(value):
    with translation.override("fr"):
        assert long_date(value) == ""


def test_its_filter_is_in_every_template_and_uses_local_time(settings):
    settings.TIME_ZONE = "Europe/Paris"
    # 23:30 UTC on 31 December is already New Year's Day in Paris.
    moment = datetime.datetime(2021, 12, 31, 23, 30, tzinfo=datetime.UTC)
    template = Template("{{ moment|long_date }}")

    with translation.override("fr"), timezone.override("Europe/Paris"):
        text = template.render(Context({"moment": moment}))

    assert text == "1er janvier 2022"


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "100\xa0000"), ("en", "100,000")]
)
def test_it_groups_the_thousands_of_a_number_as_each_language_does(language, expected):
    with translation.override(language):
        assert number(100_000) == expected
