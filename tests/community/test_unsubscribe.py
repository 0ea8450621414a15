"""The one-click unsubscribe link in every e-mail."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from community.models import User
from community.notifications import unsubscribe_token
from tests.community.conftest import en_url

pytestmark = pytest.mark.django_db


def test_opening_the_link_asks_before_unsubscribing(client, member):
    url = en_url("community:unsubscribe", unsubscribe_token(member))

    response = client.get(url)

    member.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 200
    assert "Stop notification e-mails?" in page
    assert '<form method="post">' in page
    assert member.notification_frequency == User.Frequency.INSTANT


def test_it_unsubscribes_in_one_click_without_login(client, member):
    url = en_url("community:unsubscribe", unsubscribe_token(member))

    response = client.post(url)

    member.refresh_from_db()
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert member.notification_frequency == User.Frequency.NEVER
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def test_opening_the_link_when_already_unsubscribed_offers_to_turn_back_on(
    client, member
):
    member.notification_frequency = User.Frequency.NEVER
    member.save()
    url = en_url("community:unsubscribe", unsubscribe_token(member))

    page = client.get(url).content.decode()
    response = client.post(url, {"action": "resubscribe"})

    member.refresh_from_db()
    assert "already turned off" in page
    assert 'value="resubscribe"' in page
    assert response.status_code == 200
    assert member.notification_frequency == User.Frequency.INSTANT


def test_it_asks_in_french(client, member):
    with translation.override("fr"):
        url = reverse("community:unsubscribe", args=[unsubscribe_token(member)])

    page = client.get(url).content.decode()

    assert "Arrêter les courriels" in page


def test_it_accepts_the_mail_clients_one_click_post(client, member):
    url = en_url("community:unsubscribe", unsubscribe_token(member))

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    member.refresh_from_db()
    assert response.status_code == 200
    assert member.notification_frequency == User.Frequency.NEVER


def test_it_undoes_a_mistaken_click(client, member):
    url = en_url("community:unsubscribe", unsubscribe_token(member))
    client.post(url)

    response = client.post(url, {"action": "resubscribe"})

    member.refresh_from_db()
    assert response.status_code == 200
    assert member.notification_frequency == User.Frequency.INSTANT


def test_its_undo_brings_back_the_daily_digest_chosen_before(client, member):
    member.notification_frequency = User.Frequency.DAILY
    member.save()
    url = en_url("community:unsubscribe", unsubscribe_token(member))
    form = client.post(url).content.decode()
    assert 'name="frequency" value="daily"' in form

    response = client.post(url, {"action": "resubscribe", "frequency": "daily"})

    member.refresh_from_db()
    assert member.notification_frequency == User.Frequency.DAILY
    assert "daily digest" in response.content.decode()


@pytest.mark.parametrize("frequency", ["never", "hourly", ""])
def test_its_undo_falls_back_to_instant_e_mails(client, member, frequency):
    url = en_url("community:unsubscribe", unsubscribe_token(member))

    client.post(url, {"action": "resubscribe", "frequency": frequency})

    member.refresh_from_db()
    assert member.notification_frequency == User.Frequency.INSTANT


def test_it_refuses_a_forged_link(client, member):
    forged = signing.dumps({"u": member.pk}, salt="another-salt")

    response = client.post(en_url("community:unsubscribe", forged))
    cut = client.post(en_url("community:unsubscribe", unsubscribe_token(member)[:-4]))

    member.refresh_from_db()
    assert response.status_code == 400
    assert cut.status_code == 400
    assert "not valid" in response.content.decode()
    assert member.notification_frequency == User.Frequency.INSTANT


def test_it_refuses_an_expired_link(client, settings, member):
    settings.OGP_UNSUBSCRIBE_LINK_DAYS = 30
    url = en_url("community:unsubscribe", unsubscribe_token(member))

    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        response = client.post(url)

    member.refresh_from_db()
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert member.notification_frequency == User.Frequency.INSTANT


def test_it_answers_404_for_a_deleted_account(client, member):
    url = en_url("community:unsubscribe", unsubscribe_token(member))
    member.delete()

    response = client.get(url)

    assert response.status_code == 404


def test_it_refuses_an_action_it_does_not_know_and_changes_nothing(client, member):
    url = en_url("community:unsubscribe", unsubscribe_token(member))

    response = client.post(url, {"action": "delete-everything"})

    member.refresh_from_db()
    assert response.status_code == 400
    assert "your e-mails are unchanged" in response.content.decode()
    assert member.notification_frequency == User.Frequency.INSTANT
