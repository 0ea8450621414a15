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
