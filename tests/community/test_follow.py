"""Members follow commitments, institutions and plans."""

import pytest

from community.models import Follow
from tests.community.conftest import en_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["commitment", "institution", "plan"])
def test_it_follows_and_unfollows(login, commitment, ministry, plan, member, kind):
    target = {"commitment": commitment, "institution": ministry, "plan": plan}[kind]
    client = login(member)
    url = en_url("community:follow_toggle", kind, target.pk)

    followed = client.post(url, {"action": "follow"})
    again = client.post(url, {"action": "follow"})
    assert Follow.objects.filter(user=member, **{kind: target}).count() == 1
    unfollowed = client.post(url, {"action": "unfollow"})

    assert (followed.status_code, again.status_code) == (302, 302)
    assert unfollowed.status_code == 302
    assert not Follow.objects.exists()


def test_it_refuses_a_button_it_does_not_know(login, commitment, member):
    url = en_url("community:follow_toggle", "commitment", commitment.pk)

    response = login(member).post(url, {"action": "evil"})

    assert response.status_code == 400
    assert "nothing was changed" in response.content.decode()
    assert not Follow.objects.exists()


def test_it_refuses_get(login, commitment, member):
    url = en_url("community:follow_toggle", "commitment", commitment.pk)

    response = login(member).get(url)

    assert response.status_code == 405


def test_it_answers_404_for_an_unknown_kind_or_target(login, member):
    client = login(member)

    unknown_kind = client.post(en_url("community:follow_toggle", "user", 1))
    unknown_target = client.post(en_url("community:follow_toggle", "plan", 999999))

    assert unknown_kind.status_code == 404
    assert unknown_target.status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, commitment):
    url = en_url("community:follow_toggle", "commitment", commitment.pk)

    response = client.post(url)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()


def test_it_never_redirects_to_another_site(login, commitment, member):
    url = en_url("community:follow_toggle", "commitment", commitment.pk)

    response = login(member).post(url, {"next": "https://evil.example/"})

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
