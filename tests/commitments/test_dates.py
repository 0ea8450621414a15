import datetime

import pytest

from commitments import dates


@pytest.mark.parametrize(
    ("text", "first", "precision", "last"),
    [
        ("2021-05-20", datetime.date(2021, 5, 20), "day", datetime.date(2021, 5, 20)),
        ("2021-12", datetime.date(2021, 12, 1), "month", datetime.date(2021, 12, 31)),
        ("2024", datetime.date(2024, 1, 1), "year", datetime.date(2024, 12, 31)),
        ("2023 (été)", datetime.date(2023, 6, 1), "season", datetime.date(2023, 8, 31)),
        (
            "2021-winter",
            datetime.date(2021, 12, 1),
            "season",
            datetime.date(2022, 2, 28),
        ),
    ],
)
def test_it_reads_dates_of_every_precision(text, first, precision, last):
    parsed = dates.parse(text)

    assert parsed.first_day == first
    assert parsed.precision == precision
    assert parsed.last_day == last


@pytest.mark.parametrize("text", ["2021-13", "2022-02-30", "yesterday", "2023 (noël)"])
def test_it_refuses_impossible_dates(text):
    with pytest.raises(dates.PartialDateError):
        dates.parse(text)


def test_it_writes_back_what_it_read():
    for text in ["2021-05-20", "2021-12", "2024", "2023-summer"]:
        assert dates.parse(text).iso() == text


@pytest.mark.parametrize(
    ("day", "iso", "label", "last"),
    [
        (
            datetime.date(2024, 1, 15),
            "2023-winter",
            "winter 2023",
            datetime.date(2024, 2, 29),
        ),
        (
            datetime.date(2024, 2, 1),
            "2023-winter",
            "winter 2023",
            datetime.date(2024, 2, 29),
        ),
        (
            datetime.date(2024, 5, 31),
            "2024-spring",
            "spring 2024",
            datetime.date(2024, 5, 31),
        ),
        (
            datetime.date(2024, 11, 2),
            "2024-autumn",
            "autumn 2024",
            datetime.date(2024, 11, 30),
        ),
        (
            datetime.date(2024, 12, 25),
            "2024-winter",
            "winter 2024",
            datetime.date(2025, 2, 28),
        ),
    ],
)
def test_a_season_typed_as_any_day_of_it_is_that_season(
    in_english, day, iso, label, last
):
    assert dates.iso(day, "season") == iso
    assert dates.label(day, "season") == label
    assert dates.last_day(day, "season") == last
