"""Wall-clock times of workshops, which always happen in Paris time.

Organisers type local times ("14:00"). Twice a year a local time is either
missing (clocks go forward, 2:00 to 3:00 does not exist) or happens twice
(clocks go back, 2:00 to 3:00 happens twice). Guessing would silently move a
workshop by an hour, so such a time is refused with an explanation instead.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ogp_tracker.formats import long_date
from ogp_tracker.validators import validate_date_in_range

WORKSHOP_TIME_ZONE_NAME = "Europe/Paris"
WORKSHOP_TIME_ZONE = ZoneInfo(WORKSHOP_TIME_ZONE_NAME)


def localize(naive: datetime.datetime) -> datetime.datetime:
    """Return the Paris time that naive names, or refuse a missing or doubled one."""
    validate_date_in_range(naive.date())
    first = naive.replace(tzinfo=WORKSHOP_TIME_ZONE, fold=0)
    second = naive.replace(tzinfo=WORKSHOP_TIME_ZONE, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first

    shown = long_date(naive, "DATETIME_FORMAT")
    round_trip = first.astimezone(datetime.UTC).astimezone(WORKSHOP_TIME_ZONE)
    if round_trip.replace(tzinfo=None) != naive:
        raise ValidationError(
            _(
                "%(time)s does not exist in Paris time: the clocks go forward "
                "by one hour that night. Please choose another time."
            ),
            code="nonexistent_time",
            params={"time": shown},
        )
    raise ValidationError(
        _(
            "%(time)s happens twice in Paris time: the clocks go back by one "
            "hour that night. Please choose a time outside that hour."
        ),
        code="ambiguous_time",
        params={"time": shown},
    )


def to_local(value: datetime.datetime | None) -> datetime.datetime | None:
    """Return an aware datetime as Paris time (None stays None)."""
    if value is None:
        return None
    return value.astimezone(WORKSHOP_TIME_ZONE)


def day_start(day: datetime.date) -> datetime.datetime:
    """Return midnight of day in Paris (midnight always exists there)."""
    return datetime.datetime.combine(day, datetime.time.min, WORKSHOP_TIME_ZONE)
