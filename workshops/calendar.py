"""Workshops as iCalendar files (RFC 5545) that calendar applications import.

Times carry TZID=Europe/Paris together with the zone's VTIMEZONE definition,
so a workshop at 14:00 stays at 14:00 local time on either side of a
daylight-saving change, whatever the reader's own time zone.
"""

import datetime
import functools
from collections.abc import Callable, Iterable

from django.utils.text import Truncator
from icalendar import Calendar, Event, Timezone

from workshops import times
from workshops.models import Workshop

PRODUCT_ID = "-//ogp-tracker//workshops//EN"
DESCRIPTION_CHARS = 1500


def _description(workshop: Workshop, link: str) -> str:
    parts = []
    if workshop.is_cancelled:
        parts.append(workshop.cancellation_reason)
    if workshop.description:
        parts.append(Truncator(workshop.description).chars(DESCRIPTION_CHARS))
    if workshop.online_url:
        parts.append(workshop.online_url)
    parts.append(link)

    return "\n\n".join(part for part in parts if part)


def event_for(workshop: Workshop, *, link: str, host: str) -> Event:
    """Return the VEVENT of one workshop; link is its absolute page address."""
    event = Event()
    event.add("uid", f"workshop-{workshop.pk}@{host}")
    event.add("dtstamp", workshop.updated_at.astimezone(datetime.UTC))
    event.add("last-modified", workshop.updated_at.astimezone(datetime.UTC))
    event.add("created", workshop.created_at.astimezone(datetime.UTC))
    event.add("sequence", workshop.sequence)
    event.add("dtstart", times.to_local(workshop.starts_at))
    event.add("dtend", times.to_local(workshop.ends_at))
    event.add("summary", workshop.title)
    event.add("description", _description(workshop, link))
    event.add("url", link)
    location = workshop.place or workshop.online_url
    if location:
        event.add("location", location)
    event.add("categories", [str(workshop.get_kind_display())])
    event.add("status", "CANCELLED" if workshop.is_cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if workshop.is_cancelled else "OPAQUE")

    return event


@functools.lru_cache(maxsize=16)
def paris_timezone(first_year: int, last_year: int) -> Timezone:
    """Return the VTIMEZONE of Europe/Paris for those years (slow to build: cached)."""
    return Timezone.from_tzinfo(
        times.WORKSHOP_TIME_ZONE,
        tzid=times.WORKSHOP_TIME_ZONE_NAME,
        first_date=datetime.date(first_year, 1, 1),
        last_date=datetime.date(last_year + 1, 1, 1),
    )


def build(
    workshops: Iterable[Workshop],
    *,
    name: str,
    link_for: Callable[[Workshop], str],
    host: str,
) -> bytes:
    """Return a calendar file holding one event per workshop."""
    workshops = list(workshops)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", times.WORKSHOP_TIME_ZONE_NAME)
    if workshops:
        # The zone's rules from a year before the first workshop to a year
        # after the last, enough for every event and far shorter than all of
        # the zone's history.
        years = [w.starts_at.year for w in workshops] + [
            w.ends_at.year for w in workshops
        ]
        calendar.add_component(paris_timezone(min(years) - 1, max(years) + 1))
    for workshop in workshops:
        calendar.add_component(event_for(workshop, link=link_for(workshop), host=host))

    return calendar.to_ical()
