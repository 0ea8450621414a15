"""Paris wall-clock times: daylight-saving gaps and overlaps are refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from workshops import times
from workshops.forms import LocalDateTimeField, LocalSplitDateTimeField

pytestmark = pytest.mark.usefixtures("in_english")


def test_it_reads_a_winter_time_as_utc_plus_one():
    aware = times.localize(datetime.datetime(2025, 1, 15, 14, 0))

    assert aware.utcoffset() == datetime.timedelta(hours=1)


def test_it_reads_a_summer_time_as_utc_plus_two():
    aware = times.localize(datetime.datetime(2025, 7, 15, 14, 0))

    assert aware.utcoffset() == datetime.timedelta(hours=2)


def test_it_refuses_a_time_skipped_when_clocks_go_forward():
    with pytest.raises(ValidationError) as error:
        times.localize(datetime.datetime(2025, 3, 30, 2, 30))

    assert error.value.code == "nonexistent_time"
    assert "does not exist" in error.value.messages[0]


def test_it_refuses_a_time_that_happens_twice_when_clocks_go_back():
    with pytest.raises(ValidationError) as error:
        times.localize(datetime.datetime(2025, 10, 26, 2, 30))

    assert error.value.code == "ambiguous_time"
    assert "happens twice" in error.value.messages[0]


def test_it_accepts_the_hours_around_a_change():
    before = times.localize(datetime.datetime(2025, 3, 30, 1, 59))
    after = times.localize(datetime.datetime(2025, 3, 30, 3, 0))

    elapsed = after.astimezone(datetime.UTC) - before.astimezone(datetime.UTC)
    assert elapsed == datetime.timedelta(minutes=1)


def test_the_form_field_refuses_a_skipped_time():
    field = LocalDateTimeField()

    with pytest.raises(ValidationError) as error:
        field.clean("2025-03-30T02:15")

    assert error.value.code == "nonexistent_time"


def test_the_form_field_reads_the_browser_format_in_paris_time():
    value = LocalDateTimeField().clean("2025-06-01T09:30")

    assert value == datetime.datetime(2025, 6, 1, 7, 30, tzinfo=datetime.UTC)


def test_the_form_field_refuses_garbage():
    with pytest.raises(ValidationError) as error:
        LocalDateTimeField().clean("next tuesday")

    assert error.value.code == "invalid"


def test_the_admin_field_refuses_a_doubled_time():
    field = LocalSplitDateTimeField()

    with pytest.raises(ValidationError) as error:
        field.clean(["2025-10-26", "02:30"])

    assert "happens twice" in error.value.messages[0]


def test_the_admin_field_shows_a_stored_time_in_paris_time():
    stored = datetime.datetime(2025, 6, 1, 7, 30, tzinfo=datetime.UTC)

    shown = LocalSplitDateTimeField().prepare_value(stored)

    assert shown == datetime.datetime(2025, 6, 1, 9, 30)
