"""Whole public pages are stored for anonymous visitors and retired on any change."""

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment
from ogp_tracker import pagecache
from tests.commitments.public_data import NOW, build_plan
from tests.commitments.test_commitment_detail import url as commitment_url
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/fr/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def queries(client, url: str, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return len(captured), response


def test_a_second_anonymous_visit_is_served_without_the_database(client):
    build_plan()
    first_count, first = queries(client, DASHBOARD)

    count, again = queries(client, DASHBOARD)

    assert first_count > 0
    assert count == 0
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Security-Policy"]


def test_a_stored_page_still_answers_not_modified(client):
    build_plan()
    etag = client.get(DASHBOARD)["ETag"]

    response = client.get(DASHBOARD, headers={"if-none-match": etag})

    assert response.status_code == 304


def test_any_change_retires_the_stored_pages(client):
    data = build_plan()
    commitment = Commitment.objects.filter(plan=data.plan).first()
    client.get(DASHBOARD)

    MilestoneFactory(commitment=commitment, title_fr="Jalon tout neuf")
    count, response = queries(client, DASHBOARD)

    assert count > 0
    assert response.status_code == 200


def test_a_new_milestone_shows_at_once_on_the_commitment_page(client):
    data = build_plan()
    commitment = Commitment.objects.filter(plan=data.plan).first()
    url = commitment_url(commitment)
    assert "Jalon tout neuf" not in client.get(url).content.decode()

    MilestoneFactory(commitment=commitment, title_fr="Jalon tout neuf")

    assert "Jalon tout neuf" in client.get(url).content.decode()


def test_the_next_day_renders_afresh(client):
    build_plan()
    client.get(DASHBOARD)

    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        count, _response = queries(client, DASHBOARD)

    assert count > 0


def test_signed_in_visitors_always_get_their_own_page(client, member):
    build_plan()
    client.get(DASHBOARD)
    client.force_login(member)

    count, response = queries(client, DASHBOARD)

    assert count > 0
    assert "private" in response["Cache-Control"]


def test_other_addresses_and_languages_are_stored_apart(client):
    build_plan()
    french = client.get(DASHBOARD)

    english = client.get("/en/")
    filtered = client.get("/fr/?status=completed")

    assert english.content != french.content
    assert filtered.status_code == 200


def test_errors_are_not_stored(client):
    build_plan()
    client.get("/fr/plans/no-such-plan/")

    count, response = queries(client, "/fr/plans/no-such-plan/")

    assert response.status_code == 404
    assert count > 0


def test_it_can_be_turned_off(client, settings):
    settings.OGP_PAGE_CACHE_SECONDS = 0
    build_plan()
    client.get(DASHBOARD)

    count, _response = queries(client, DASHBOARD)

    assert count > 0


def test_rows_no_page_shows_leave_the_stored_pages(client, member):
    build_plan()
    client.get(DASHBOARD)

    # A visitor signing in writes a session row: the public pages stay.
    client.force_login(member)
    client.logout()
    client.cookies.clear()
    count, _response = queries(client, DASHBOARD)

    assert count == 0


def test_a_transaction_retires_the_pages_again_once_at_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        MilestoneFactory()
        MilestoneFactory()

    assert callbacks.count(pagecache.retire_pages) == 1


def test_a_stored_page_still_sends_plain_http_visitors_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    build_plan()
    client.get(DASHBOARD, secure=True)

    response = client.get(DASHBOARD)

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_switching_the_branding_renders_afresh(client, settings):
    build_plan()
    settings.OGP_OFFICIAL_BRANDING = False
    neutral = client.get(DASHBOARD)

    settings.OGP_OFFICIAL_BRANDING = True
    count, official = queries(client, DASHBOARD)

    assert count > 0
    assert official.content != neutral.content
