"""Dates known only to the day, the month, the season or the year.

Action plans often give "December 2021" or "summer 2023" rather than a day. Such a
date is stored as the first day of its period plus a precision, so that it sorts
and filters in the database, and its last day can be derived for deadlines.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    SEASON = "season", _("season")
    YEAR = "year", _("year")


# Seasons as plans write them, with the month each one starts in. Northern
# hemisphere meteorological seasons; winter belongs to the year it starts in.
SEASONS = {
    "printemps": 3,
    "spring": 3,
    "été": 6,
    "ete": 6,
    "summer": 6,
    "automne": 9,
    "autumn": 9,
    "fall": 9,
    "hiver": 12,
    "winter": 12,
}
SEASON_LABELS = {
    3: pgettext_lazy("season", "spring"),
    6: pgettext_lazy("season", "summer"),
    9: pgettext_lazy("season", "autumn"),
    12: pgettext_lazy("season", "winter"),
}
SEASON_CODES = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_SEASON = re.compile(r"^(\d{4})\s*(?:\((\w+)\)|-(\w+))$")


class PartialDateError(ValueError):
    """The text is not a date this module understands."""


@dataclass(frozen=True)
class PartialDate:
    first_day: datetime.date
    precision: str

    @property
    def last_day(self) -> datetime.date:
        return last_day(self.first_day, self.precision)

    def iso(self) -> str:
        """Return the machine form used in files: 2021-12-01, 2021-12, 2023-summer."""
        return iso(self.first_day, self.precision)


def parse(text) -> PartialDate | None:
    """Read "2021-05-20", "2021-12", "2021", "2023 (été)" or "2023-summer"."""
    if text is None or text == "":
        return None
    if isinstance(text, datetime.datetime):
        return PartialDate(text.date(), Precision.DAY)
    if isinstance(text, datetime.date):
        return PartialDate(text, Precision.DAY)
    text = str(text).strip()
    try:
        if match := _DAY.match(text):
            year, month, day = (int(part) for part in match.groups())
            return PartialDate(datetime.date(year, month, day), Precision.DAY)
        if match := _MONTH.match(text):
            year, month = (int(part) for part in match.groups())
            return PartialDate(datetime.date(year, month, 1), Precision.MONTH)
        if match := _YEAR.match(text):
            return PartialDate(datetime.date(int(text), 1, 1), Precision.YEAR)
    except ValueError as error:
        raise PartialDateError(text) from error
    if match := _SEASON.match(text):
        season = (match.group(2) or match.group(3)).lower()
        if season in SEASONS:
            first = datetime.date(int(match.group(1)), SEASONS[season], 1)
            return PartialDate(first, Precision.SEASON)
    raise PartialDateError(text)


def season_start(day: datetime.date) -> datetime.date:
    """Return the first day of the season day falls in (winter starts in December).

    A season is stored as its first day, but a date typed in the back-office
    with the season precision may fall anywhere in it.
    """
    if day.month < 3:
        return datetime.date(day.year - 1, 12, 1)
    return datetime.date(day.year, day.month - day.month % 3, 1)


def last_day(first_day: datetime.date, precision: str) -> datetime.date:
    """Return the last day of the period that starts on first_day."""
    if precision == Precision.MONTH:
        days = calendar.monthrange(first_day.year, first_day.month)[1]
        return first_day.replace(day=days)
    if precision == Precision.SEASON:
        first_day = season_start(first_day)
        month = first_day.month + 2
        year = first_day.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    if precision == Precision.YEAR:
        return first_day.replace(month=12, day=31)
    return first_day


def iso(first_day: datetime.date | None, precision: str) -> str:
    if first_day is None:
        return ""
    if precision == Precision.MONTH:
        return first_day.strftime("%Y-%m")
    if precision == Precision.SEASON:
        season = season_start(first_day)
        return f"{season.year}-{SEASON_CODES[season.month]}"
    if precision == Precision.YEAR:
        return str(first_day.year)
    return first_day.isoformat()


def label(first_day: datetime.date | None, precision: str) -> str:
    """Return the date for people, as precise as it is known: "décembre 2021"."""
    from django.utils.formats import date_format

    from ogp_tracker.formats import long_date

    if first_day is None:
        return ""
    if precision == Precision.MONTH:
        return date_format(first_day, "YEAR_MONTH_FORMAT")
    if precision == Precision.SEASON:
        season = season_start(first_day)
        return f"{SEASON_LABELS[season.month]} {season.year}"
    if precision == Precision.YEAR:
        return str(first_day.year)
    return long_date(first_day)
