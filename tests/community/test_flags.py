"""Members report comments to the moderators."""

import pytest

from community import services
from community.models import Flag
from tests.community.conftest import en_url, make_comment

pytestmark = pytest.mark.django_db


def test_it_records_a_report(login, commitment, member, citizen):
    comment = make_comment(commitment, citizen, "Spam spam")

    response = login(member).post(
        en_url("community:comment_flag", comment.pk),
        {"reason": "spam", "details": "advert"},
    )

    flag = Flag.objects.get()
    assert response.status_code == 200
    assert "the moderators will look at this comment" in response.content.decode()
    assert (flag.reporter, flag.reason, flag.details) == (member, "spam", "advert")


def test_it_shows_the_report_form(login, commitment, member, citizen):
    comment = make_comment(commitment, citizen, "Spam spam")

    response = login(member).get(en_url("community:comment_flag", comment.pk))

    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()


def test_it_refuses_reporting_twice(login, commitment, member, citizen):
    comment = make_comment(commitment, citizen, "Spam spam")
    client = login(member)
    client.post(en_url("community:comment_flag", comment.pk), {"reason": "spam"})

    response = client.post(
        en_url("community:comment_flag", comment.pk), {"reason": "abuse"}
    )

    assert response.status_code == 400
    assert "already reported this comment" in response.content.decode()
    assert Flag.objects.count() == 1


def test_it_refuses_reporting_ones_own_comment(login, commitment, member):
    comment = make_comment(commitment, member, "Mine")

    response = login(member).post(
        en_url("community:comment_flag", comment.pk), {"reason": "spam"}
    )

    assert response.status_code == 400
    assert not Flag.objects.exists()


def test_it_refuses_an_unknown_reason(login, commitment, member, citizen):
    comment = make_comment(commitment, citizen, "Text")

    response = login(member).post(
        en_url("community:comment_flag", comment.pk), {"reason": "boring"}
    )

    assert response.status_code == 400
    assert not Flag.objects.exists()


def test_it_sends_anonymous_visitors_to_log_in(client, commitment, citizen):
    comment = make_comment(commitment, citizen, "Text")

    response = client.post(
        en_url("community:comment_flag", comment.pk), {"reason": "spam"}
    )

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_closes_reports_when_a_comment_is_hidden(
    commitment, member, citizen, moderator
):
    comment = make_comment(commitment, citizen, "Rude")
    services.flag_comment(comment=comment, reporter=member, reason="abuse")

    services.hide_comment(comment=comment, moderator=moderator, reason="rude")

    flag = Flag.objects.get()
    assert flag.resolved_at is not None
    assert flag.resolved_by == moderator


def test_it_refuses_an_unknown_reason_without_repeating_it(
    login, commitment, member, citizen
):
    comment = make_comment(commitment, citizen, "Spam spam")

    response = login(member).post(
        en_url("community:comment_flag", comment.pk), {"reason": "x" * 100_000}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "That choice is not one of the available choices." in page
    assert "x" * 100 not in page
    assert not Flag.objects.exists()


def test_it_refuses_details_that_force_the_text_s_direction(
    login, commitment, member, citizen
):
    comment = make_comment(commitment, citizen, "Spam spam")

    response = login(member).post(
        en_url("community:comment_flag", comment.pk),
        {"reason": "spam", "details": "see \u202eelpmaxe"},
    )

    assert response.status_code == 400
    assert "Remove the invisible characters" in response.content.decode()
    assert not Flag.objects.exists()
