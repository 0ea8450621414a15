"""The public list of workshops: upcoming and past, filters, bad input, query count."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CommitmentFactory, InstitutionFactory
from tests.workshops.factories import WorkshopFactory, paris
from tests.workshops.querycount import own_queries
from workshops.models import Workshop

NOW = paris(2030, 3, 1, 12, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def url(**params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("workshops:workshop_list") + (f"?{query}" if query else "")


def make_workshops(count, *, commitment=None, organiser=None):
    for index in range(count):
        days = index + 1
        WorkshopFactory(
            title=f"À venir {index}",
            starts_at=NOW + datetime.timedelta(days=days),
            ends_at=NOW + datetime.timedelta(days=days, hours=2),
            organisers=[organiser or InstitutionFactory()],
            commitments=[commitment or CommitmentFactory()],
        )
        WorkshopFactory(
            title=f"Passé {index}",
            starts_at=NOW - datetime.timedelta(days=days),
            ends_at=NOW - datetime.timedelta(days=days, hours=-2),
            organisers=[organiser or InstitutionFactory()],
            commitments=[commitment or CommitmentFactory()],
        )


def test_it_lists_upcoming_and_past_workshops(client, db):
    make_workshops(2)

    response = client.get(url())

    assert response.status_code == 200
    assert [w.title for w in response.context["upcoming"]] == ["À venir 0", "À venir 1"]
    assert [w.title for w in response.context["past"]] == ["Passé 0", "Passé 1"]
    assert "À venir 0" in response.content.decode()


def test_it_hides_unpublished_workshops(client, db):
    WorkshopFactory(title="Brouillon secret", is_published=False)

    response = client.get(url())

    assert "Brouillon secret" not in response.content.decode()


def test_it_filters_by_commitment_organiser_kind_and_status(client, db, ministry):
    commitment = CommitmentFactory()
    wanted = WorkshopFactory(
        title="Voulu",
        kind=Workshop.Kind.HACKATHON,
        organisers=[ministry],
        commitments=[commitment],
    )
    WorkshopFactory(title="Autre commitment", organisers=[ministry])
    WorkshopFactory(
        title="Autre sorte", kind=Workshop.Kind.FORUM, commitments=[commitment]
    )

    response = client.get(
        url(commitment=commitment.pk, organiser=ministry.slug, kind="hackathon")
    )

    assert response.status_code == 200
    assert response.context["upcoming"] == [wanted]


def test_it_filters_by_a_date_range_in_paris_time(client, db):
    # 23:30 in Paris on 20 March is 22:30 UTC: still the 20th for a visitor.
    late = WorkshopFactory(
        title="Tard",
        starts_at=paris(2030, 3, 20, 23, 30),
        ends_at=paris(2030, 3, 21, 1),
    )
    WorkshopFactory(title="Le lendemain", starts_at=paris(2030, 3, 21, 10))

    response = client.get(url(date_from="2030-03-20", date_to="2030-03-20"))

    assert response.context["upcoming"] == [late]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "party"},
        {"status": "maybe"},
        {"commitment": "abc"},
        {"commitment": "999999"},
        {"organiser": "nobody"},
        {"date_from": "2030-13-45"},
        {"date_from": "2030-03-20", "date_to": "2030-03-01"},
        {"date_from": "0001-01-01"},
        {"date_to": "9999-12-31"},
        {"page": "0"},
        {"page": "x"},
    ],
)
def test_it_answers_bad_filters_with_a_400_and_a_message(client, db, params):
    response = client.get(url(**params))

    assert response.status_code == 400
    assert "fr-alert--error" in response.content.decode()


def test_it_marks_no_field_when_only_the_page_number_is_wrong(client, db):
    response = client.get(url(page="-1"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Le numéro de page n’est pas valide." in page
    assert "Corrigez les champs indiqués" not in page


def test_it_explains_a_reversed_period_in_french(client, db):
    response = client.get(url(date_from="2030-03-20", date_to="2030-03-01"))

    assert "date_to" in response.context["filter"].errors


def test_it_pages_past_workshops(client, db):
    make_workshops(25)

    first = client.get(url())
    second = client.get(url(page=2))

    assert len(first.context["past"]) == 20
    assert first.context["next_page"] == 2
    assert [w.title for w in second.context["past"]][0] == "Passé 20"
    assert second.context["next_page"] is None


def test_it_refuses_other_methods(client, db):
    response = client.post(url())

    assert response.status_code == 405


def test_it_sets_no_cookie_for_anonymous_visitors(client, db):
    make_workshops(1)

    response = client.get(url())

    assert response.cookies == {}


@pytest.mark.parametrize("scale", [1, 10])
def test_it_costs_the_same_queries_at_ten_times_the_data(client, db, scale):
    make_workshops(3 * scale)

    # Commitment choices, organiser choices, upcoming, past, and one prefetch
    # each for organisers and commitments.
    with own_queries(url(), 6):
        response = client.get(url())

    assert response.status_code == 200


def test_it_renders_in_english(client, db):
    make_workshops(1)

    response = client.get(url().replace("/fr/", "/en/"))

    assert response.status_code == 200
    assert "Upcoming workshops" in response.content.decode()


def test_anonymous_visitors_get_the_stored_list_until_a_workshop_changes(client, db):
    make_workshops(1)
    client.get(url())
    with CaptureQueriesContext(connection) as stored:
        again = client.get(url())

    WorkshopFactory(
        title="Ajouté ensuite",
        starts_at=NOW + datetime.timedelta(days=3),
        ends_at=NOW + datetime.timedelta(days=3, hours=2),
    )
    fresh = client.get(url())

    assert len(stored) == 0
    assert again["ETag"]
    assert "Ajouté ensuite" in fresh.content.decode()
