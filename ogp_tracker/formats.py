"""Dates and numbers written out as each of the site's languages writes them."""

import datetime

from django.utils import formats, translation


def long_date(value: datetime.date | None, format_name: str = "DATE_FORMAT") -> str:
    """Return value in the active language's format_name, as Django's date filter.

    French writes the first day of a month as an ordinal, "1er janvier 2022",
    and every other day as a number, "2 janvier 2022"; a Django format string
    cannot say so, hence this step after it.
    """
    if value is None or value == "":
        return ""
    try:
        text = formats.date_format(value, format_name)
    except (AttributeError, TypeError):
        return ""
    if value.day == 1 and text.startswith("1 ") and _in_french():
        return "1er " + text[2:]
    return text


def _in_french() -> bool:
    return (translation.get_language() or "").split("-")[0] == "fr"


def number(value: int) -> str:
    """Return a whole number with the active language's thousands separator."""
    return formats.number_format(value, force_grouping=True)
