"""The member's profile, data export and account deletion."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import translation

from community import services
from community.models import Comment, Flag, Follow, User
from tests.community.conftest import en_url, make_comment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_saves_the_public_profile_and_preferences(login, member):
    response = login(member).post(
        en_url("community:profile"),
        {
            "display_name": "Jeanne",
            "organisation": "Association X",
            "language": "en",
            "notification_frequency": "daily",
            "notify_replies": "",
        },
    )

    member.refresh_from_db()
    assert response.status_code == 302
    assert member.display_name == "Jeanne"
    assert member.notification_frequency == "daily"
    assert member.notify_replies is False


def test_it_refuses_an_unknown_language(login, member):
    response = login(member).post(
        en_url("community:profile"),
        {"display_name": "J", "language": "xx", "notification_frequency": "daily"},
    )

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.language != "xx"


def test_it_shows_the_profile_and_follows(login, member, commitment):
    Follow.objects.create(user=member, commitment=commitment)

    response = login(member).get(en_url("community:profile"))

    assert response.status_code == 200
    assert commitment.title in response.content.decode()


def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get(en_url("community:profile"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_exports_all_the_members_data(login, member, citizen, commitment):
    comment = make_comment(commitment, member, "My words")
    other = make_comment(commitment, citizen, "Other words")
    services.flag_comment(comment=other, reporter=member, reason="spam")
    Follow.objects.create(user=member, commitment=commitment)
    EmailAddress.objects.create(user=member, email=member.email, verified=True)

    response = login(member).get(en_url("community:profile_export"))

    data = json.loads(response.content)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert data["account"]["email"] == member.email
    assert [item["text"] for item in data["comments"]] == ["My words"]
    assert data["comments"][0]["id"] == comment.pk
    assert data["reports"][0]["comment"] == other.pk
    assert data["follows"][0]["kind"] == "commitment"
    assert data["email_addresses"][0]["verified"] is True
    assert "Other words" not in response.content.decode()


def test_it_deletes_the_account_and_keeps_its_comments_unsigned(
    login, rf, member, citizen, commitment
):
    comment = make_comment(commitment, member, "Stays readable")
    services.flag_comment(
        comment=make_comment(commitment, citizen, "x"), reporter=member, reason="spam"
    )
    client = login(member)

    response = client.post(
        en_url("community:profile_delete"), {"password": "a-long-test-password"}
    )

    comment.refresh_from_db()
    assert response.status_code == 200
    assert not User.objects.filter(username="member").exists()
    assert comment.author is None
    assert comment.body == "Stays readable"
    assert Flag.objects.get().reporter is None
    assert "_auth_user_id" not in client.session


def test_it_signs_comments_of_deleted_accounts_as_such(login, rf, member, commitment):
    make_comment(commitment, member, "Stays readable")
    login(member).post(
        en_url("community:profile_delete"), {"password": "a-long-test-password"}
    )
    from tests.community.test_comment_section import render_section

    _request, html = render_section(rf, commitment)

    assert "Stays readable" in html
    assert "deleted account" in html or "compte supprimé" in html


def test_it_asks_for_the_password_before_deleting(login, member):
    response = login(member).post(
        en_url("community:profile_delete"), {"password": "wrong"}
    )

    assert response.status_code == 400
    assert User.objects.filter(pk=member.pk).exists()


def test_it_leaves_staff_accounts_to_coordinators(login, editor):
    response = login(editor).post(
        en_url("community:profile_delete"), {"password": "a-long-test-password"}
    )

    assert response.status_code == 403
    assert User.objects.filter(pk=editor.pk).exists()


def test_it_keeps_comment_counts_after_a_deletion(login, member, commitment):
    make_comment(commitment, member, "Question")

    login(member).post(
        en_url("community:profile_delete"), {"password": "a-long-test-password"}
    )

    assert Comment.objects.count() == 1
    assert services.awaiting_answer_count(commitment=commitment) == 1


@pytest.mark.parametrize(
    "name", ["Jea\u202enne", "Jeanne\u200b", "Jeanne\x07", "Jeanne\u2028Dupont"]
)
def test_it_refuses_names_with_hidden_characters(login, member, name):
    response = login(member).post(
        en_url("community:profile"),
        {"display_name": name, "language": "en", "notification_frequency": "daily"},
    )

    member.refresh_from_db()
    assert response.status_code == 400
    assert "invisible or control characters" in response.content.decode()
    assert member.display_name != name


@pytest.mark.parametrize(
    "look_alike",
    [
        "élodie martin ",
        "ÉLODIE MARTIN",
        "Élodie  Martin",
        "\uff25\u0301lodie Martin",
        "E\u0301lodie Martin",
    ],
)
def test_it_refuses_the_name_another_member_shows(login, member, citizen, look_alike):
    citizen.display_name = "Élodie Martin"
    citizen.save()

    response = login(member).post(
        en_url("community:profile"),
        {
            "display_name": look_alike,
            "language": "en",
            "notification_frequency": "daily",
        },
    )

    member.refresh_from_db()
    assert response.status_code == 400
    assert "Another member already uses this name" in response.content.decode()
    assert member.display_name != "Élodie Martin"


def test_it_keeps_a_name_in_its_plain_form_with_single_spaces(login, member):
    login(member).post(
        en_url("community:profile"),
        {
            "display_name": " \uff2a\uff45anne   Du\u0070ont ",
            "language": "en",
            "notification_frequency": "daily",
        },
    )

    member.refresh_from_db()
    assert member.display_name == "Jeanne Dupont"


def test_it_lets_members_keep_their_own_name(login, member):
    member.display_name = "Jeanne"
    member.save()

    response = login(member).post(
        en_url("community:profile"),
        {"display_name": "Jeanne", "language": "en", "notification_frequency": "daily"},
    )

    assert response.status_code == 302


def save_name(client, name):
    return client.post(
        en_url("community:profile"),
        {"display_name": name, "language": "en", "notification_frequency": "daily"},
    )


@pytest.mark.parametrize("spelling", ["coord", "COORD", "Coord"])
def test_it_refuses_the_account_name_an_unnamed_account_is_known_by(
    login, member, spelling
):
    UserFactory(username="coord", is_staff=True)
    client = login(member)

    response = save_name(client, spelling)

    member.refresh_from_db()
    assert response.status_code == 400
    assert "Another member already uses this name" in response.content.decode()
    assert member.display_name == ""


def test_it_lets_a_member_take_the_hidden_account_name_of_a_named_member(login, member):
    UserFactory(username="jeanne.dupont", display_name="Jeanne")
    client = login(member)

    response = save_name(client, "jeanne.dupont")

    member.refresh_from_db()
    assert response.status_code == 302
    assert member.display_name == "jeanne.dupont"


@pytest.mark.parametrize(
    "label",
    [
        "deleted account",
        "Deleted Account",
        "DELETED-ACCOUNT.",
        "Compte supprimé",
        "COMPTE SUPPRIME",
        "unnamed member",
    ],
)
def test_it_refuses_the_labels_the_site_shows_for_accounts(login, member, label):
    client = login(member)

    response = save_name(client, label)

    member.refresh_from_db()
    assert response.status_code == 400
    assert "in place of deleted or unnamed accounts" in response.content.decode()
    assert member.display_name == ""


@pytest.mark.parametrize("name", ["\u3164", "Jeanne\u2800"])
def test_it_refuses_names_with_blank_letters(login, member, name):
    response = save_name(login(member), name)

    member.refresh_from_db()
    assert response.status_code == 400
    assert "invisible or control characters" in response.content.decode()
    assert member.display_name == ""


def test_it_signs_comments_of_unnamed_accounts_without_their_login(
    rf, commitment, member
):
    coordinator = UserFactory(username="coord", is_staff=True)
    member.display_name = "Jeanne"
    member.save()
    make_comment(commitment, coordinator, "Answer from the coordination")
    make_comment(commitment, member, "Question from Jeanne")
    from tests.community.test_comment_section import render_section

    with translation.override("en"):
        _request, html = render_section(rf, commitment)

    signatures = re.findall(r"<strong>\s*([^<]*?)\s*</strong>", html)
    assert "Answer from the coordination" in html
    assert "unnamed member" in signatures
    assert "Jeanne" in signatures
    assert "coord" not in signatures


@pytest.mark.parametrize("field", ["language", "notification_frequency"])
def test_it_refuses_an_unknown_choice_without_repeating_it(login, member, field):
    posted = {"display_name": "J", "language": "en", "notification_frequency": "daily"}

    response = login(member).post(
        en_url("community:profile"), {**posted, field: "x" * 100_000}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "That choice is not one of the available choices." in page
    assert "x" * 100 not in page
