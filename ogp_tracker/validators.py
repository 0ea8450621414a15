"""Checks shared by the apps' models and forms."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ogp_tracker.formats import long_date

# Dates outside these years are typing mistakes ("0001" for "2001"), pages
# would show them as they are, and the far ends of the calendar cannot be
# converted to UTC at all.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)


def validate_date_in_range(day: datetime.date) -> None:
    """Refuse a date before EARLIEST_DATE or after LATEST_DATE."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s."),
            code="out_of_range",
            params={
                "earliest": long_date(EARLIEST_DATE),
                "latest": long_date(LATEST_DATE),
            },
        )
