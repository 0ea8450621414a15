"""Calendar files: Paris times with their VTIMEZONE, cancellations, links back."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.factories import CommitmentFactory
from tests.workshops.factories import WorkshopFactory, paris
from workshops.models import Workshop


def parse(response) -> Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict:
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_it_gives_paris_times_with_their_time_zone_on_both_sides_of_dst(client, db):
    WorkshopFactory(title="Hiver", starts_at=paris(2030, 1, 15, 14, 0))
    WorkshopFactory(title="Été", starts_at=paris(2030, 7, 15, 14, 0))

    calendar = parse(client.get(reverse("workshops:calendar_feed")))

    found = events(calendar)
    for title in ("Hiver", "Été"):
        start = found[title]["dtstart"]
        assert start.params["TZID"] == "Europe/Paris"
        assert start.dt.hour == 14
    winter_utc = found["Hiver"]["dtstart"].dt.astimezone(datetime.UTC)
    summer_utc = found["Été"]["dtstart"].dt.astimezone(datetime.UTC)
    assert (winter_utc.hour, summer_utc.hour) == (13, 12)
    zones = calendar.walk("VTIMEZONE")
    assert [str(zone["tzid"]) for zone in zones] == ["Europe/Paris"]
    assert zones[0].walk("DAYLIGHT") and zones[0].walk("STANDARD")


def test_it_marks_cancelled_workshops(client, db):
    WorkshopFactory(
        title="Annulé",
        status=Workshop.Status.CANCELLED,
        cancellation_reason="Salle indisponible",
    )

    calendar = parse(client.get(reverse("workshops:calendar_feed")))

    event = events(calendar)["Annulé"]
    assert event["status"] == "CANCELLED"
    assert "Salle indisponible" in str(event["description"])


def test_it_links_back_to_the_workshop_page(client, db):
    workshop = WorkshopFactory(title="Lien")

    calendar = parse(client.get(reverse("workshops:calendar_feed")))

    event = events(calendar)["Lien"]
    expected = f"http://testserver/fr/workshops/{workshop.pk}/"
    assert str(event["url"]) == expected
    assert expected in str(event["description"])
    assert str(event["uid"]) == f"workshop-{workshop.pk}@testserver"


def test_it_applies_the_list_filters_and_leaves_out_unpublished(client, db):
    commitment = CommitmentFactory()
    WorkshopFactory(title="Voulu", commitments=[commitment])
    WorkshopFactory(title="Autre")
    WorkshopFactory(title="Caché", commitments=[commitment], is_published=False)

    response = client.get(
        reverse("workshops:calendar_feed") + f"?commitment={commitment.pk}"
    )

    assert list(events(parse(response))) == ["Voulu"]


@pytest.mark.parametrize(
    ("query", "label"),
    [("kind=party", "Type\u00a0:"), ("date_to=9999-12-31", "Au\u00a0:")],
)
def test_it_answers_a_bad_filter_with_a_400_naming_the_field(client, db, query, label):
    response = client.get(reverse("workshops:calendar_feed") + "?" + query)

    text = response.content.decode()
    assert response.status_code == 400
    assert text.startswith("Filtre non valide.")
    assert label in text
    assert query.split("=")[0] + ":" not in text


def test_it_gives_one_workshop_as_a_file(client, db):
    workshop = WorkshopFactory(title="Seul", online_url="https://visio.example.org/x")

    response = client.get(reverse("workshops:workshop_calendar", args=[workshop.pk]))

    event = events(parse(response))["Seul"]
    assert "attachment" not in response["Content-Disposition"]
    assert event["dtend"].dt - event["dtstart"].dt == datetime.timedelta(hours=2)
    assert str(event["location"]) == "Paris, 20 avenue de Ségur"


def test_it_bumps_the_sequence_when_the_time_changes(db):
    workshop = WorkshopFactory()
    workshop.description = "Précisions"
    workshop.save()
    unchanged = workshop.sequence

    workshop.starts_at += datetime.timedelta(hours=1)
    workshop.ends_at += datetime.timedelta(hours=1)
    workshop.save()

    assert unchanged == 0
    assert Workshop.objects.get(pk=workshop.pk).sequence == 1


@pytest.mark.parametrize("pk", ["999999"])
def test_it_answers_404_for_an_unknown_or_unpublished_workshop(client, db, pk):
    hidden = WorkshopFactory(is_published=False)

    unknown = client.get(f"/fr/workshops/{pk}/calendar.ics")
    unpublished = client.get(f"/fr/workshops/{hidden.pk}/calendar.ics")

    assert (unknown.status_code, unpublished.status_code) == (404, 404)


def test_it_sets_no_cookie(client, db):
    WorkshopFactory()

    response = client.get(reverse("workshops:calendar_feed"))

    assert response.cookies == {}
