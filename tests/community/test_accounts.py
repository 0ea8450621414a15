"""Sign-up, login and the admin login, through django-allauth."""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail

from community.models import User
from tests.community.conftest import en_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new@example.org",
    "password1": "a-long-new-password-42",
    "password2": "a-long-new-password-42",
    "display_name": "Nouvelle",
    "organisation": "Association Y",
}


def signup(client, **changes):
    return client.post(en_url("account_signup"), {**SIGNUP, **changes})


def verified_member(**fields):
    user = UserFactory(**fields)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def test_it_signs_up_and_asks_to_confirm_the_e_mail_address(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)

    user = User.objects.get(email="new@example.org")
    assert response.status_code == 302
    assert (user.display_name, user.organisation, user.language) == (
        "Nouvelle",
        "Association Y",
        "en",
    )
    assert len(mail.outbox) == 1
    assert "/en/accounts/confirm-email/" in mail.outbox[0].body
    assert not EmailAddress.objects.get(user=user).verified


def test_it_refuses_login_before_the_address_is_confirmed(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    client.logout()

    response = client.post(
        en_url("account_login"),
        {"login": "new@example.org", "password": SIGNUP["password1"]},
    )

    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_it_logs_in_by_e_mail(client):
    user = verified_member(username="verified")

    response = client.post(
        en_url("account_login"),
        {"login": user.email, "password": "a-long-test-password"},
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_never_redirects_to_another_site_after_login(client):
    user = verified_member(username="verified")

    response = client.post(
        en_url("account_login") + "?next=https://evil.example/steal",
        {"login": user.email, "password": "a-long-test-password"},
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_it_does_not_tell_whether_an_address_has_an_account(
    client, django_capture_on_commit_callbacks
):
    verified_member(username="known", email="known@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            en_url("account_reset_password"), {"email": "known@example.org"}
        )
        unknown = client.post(
            en_url("account_reset_password"), {"email": "nobody@example.org"}
        )
        taken = signup(client, email="known@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert taken.status_code == 302
    assert User.objects.filter(email="known@example.org").count() == 1


def test_it_locks_an_address_after_failed_logins(client):
    user = verified_member(username="target")
    for _attempt in range(5):
        client.post(en_url("account_login"), {"login": user.email, "password": "wrong"})

    response = client.post(
        en_url("account_login"),
        {"login": user.email, "password": "a-long-test-password"},
    )

    assert response.status_code == 400
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_limits_logins_per_address_with_a_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [
        client.post(
            en_url("account_login"), {"login": f"x{n}@example.org", "password": "no"}
        ).status_code
        for n in range(4)
    ]

    response = client.post(
        en_url("account_login"), {"login": "y@example.org", "password": "no"}
    )

    assert statuses[:3] == [400, 400, 400]
    assert response.status_code == 429
    assert response["Retry-After"]
    assert "too often" in response.content.decode()


def test_it_limits_sign_ups(client):
    statuses = [
        signup(client, email=f"new{n}@example.org", display_name=f"N{n}").status_code
        for n in range(6)
    ]

    assert statuses[-1] == 429
    assert User.objects.count() == 5


def test_it_silently_drops_bot_sign_ups(client):
    response = signup(client, website="http://spam.example")

    assert response.status_code == 302
    assert not User.objects.exists()


def test_it_sends_the_admin_login_through_the_accounts_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_sends_the_admin_to_anonymous_visitors_through_the_login(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].split("?")[0].endswith("/accounts/login/")


def test_it_refuses_the_admin_to_members_without_staff_status(login, member):
    response = login(member).get("/admin/login/")

    assert response.status_code == 403


def test_it_refuses_a_sign_up_under_another_members_name(client):
    UserFactory(display_name="Nouvelle")

    response = signup(client, email="other@example.org")

    assert response.status_code == 400
    assert "Another member already uses this name" in response.content.decode()
    assert not User.objects.filter(email="other@example.org").exists()


def test_it_refuses_a_sign_up_with_a_reversed_organisation_name(client):
    response = signup(client, organisation="Asso\u202eciation")

    assert "invisible or control characters" in response.content.decode()
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_it_writes_account_e_mails_in_french_with_the_sites_name(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/accounts/signup/", SIGNUP)

    message = mail.outbox[0]
    assert message.subject.startswith("[Suivi PGO] ")
    assert "Suivi du gouvernement ouvert" in message.body
    assert "testserver !" not in message.body


def test_it_greets_a_member_by_public_name_after_login(client):
    verified_member(email="known@example.org", password="a-long-pass-42!")
    member = User.objects.get(email="known@example.org")
    member.display_name = "Jeanne"
    member.save()

    response = client.post(
        en_url("account_login"),
        {"login": "known@example.org", "password": "a-long-pass-42!"},
        follow=True,
    )

    assert "Jeanne" in response.content.decode()
    assert member.username not in response.content.decode()


def test_it_refuses_a_sign_up_under_a_label_of_the_site(client):
    response = signup(client, display_name="COMPTE SUPPRIMÉ")

    assert response.status_code == 400
    assert "in place of deleted or unnamed accounts" in response.content.decode()
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_it_refuses_a_sign_up_under_the_account_name_of_an_unnamed_account(client):
    UserFactory(username="coord", is_staff=True)

    response = signup(client, display_name="Coord")

    assert response.status_code == 400
    assert "Another member already uses this name" in response.content.decode()
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


FORGED_CONFIRMATION = "MQ:1xZWoH:forged"


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_with_a_way_on_for_a_bad_confirmation_link(client, method):
    url = en_url("account_confirm_email", FORGED_CONFIRMATION)

    response = getattr(client, method)(url)

    page = response.content.decode()
    assert response.status_code == 404
    assert "This e-mail confirmation link has expired" in page
    assert "logging in sends a new confirmation e-mail" in page
    assert f'href="{en_url("account_login")}"' in page


def test_it_sends_a_logged_in_member_to_their_addresses_for_a_new_link(login, member):
    url = en_url("account_confirm_email", FORGED_CONFIRMATION)

    response = login(member).get(url)

    assert response.status_code == 404
    assert f'href="{en_url("account_email")}"' in response.content.decode()


def test_it_still_confirms_an_address_with_a_good_link(client):
    user = UserFactory(email="new@example.org")
    address = EmailAddress.objects.create(
        user=user, email=user.email, verified=False, primary=True
    )
    key = EmailConfirmationHMAC(address).key
    url = en_url("account_confirm_email", key)

    asked = client.get(url)
    confirmed = client.post(url)

    address.refresh_from_db()
    assert asked.status_code == 200
    assert confirmed.status_code == 302
    assert address.verified


@pytest.mark.parametrize("method", ["head", "options", "put", "delete", "patch"])
def test_looking_at_the_sign_up_page_uses_none_of_its_limit(client, method):
    statuses = {
        getattr(client, method)(en_url("account_signup")).status_code for _n in range(6)
    }

    response = signup(client)

    assert statuses == ({200} if method == "head" else {405})
    assert response.status_code == 302
    assert User.objects.filter(email="new@example.org").exists()


def test_it_tells_which_methods_an_account_page_takes(client):
    response = client.options(en_url("account_login"))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("a" * 250 + "@example.org", "An e-mail address has at most 254 characters"),
        ("x@\u202eexample.org", "The domain of this address (after the @) cannot"),
    ],
)
def test_it_refuses_an_address_it_could_not_keep_whole_or_mail(client, email, message):
    response = signup(client, email=email)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()
