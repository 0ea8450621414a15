"""Members created and changed in the back-office."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation

from community.models import User
from tests.commitments.admin_client import form_data

pytestmark = pytest.mark.django_db


def test_an_administrator_opens_the_form_to_add_a_member(login, admin_user):
    response = login(admin_user).get(reverse("admin:community_user_add"))

    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_an_administrator_adds_a_member_who_signs_in_by_e_mail_later(login, admin_user):
    response = login(admin_user).post(
        reverse("admin:community_user_add"),
        {
            "username": "agent",
            "email": "agent@example.org",
            "usable_password": "false",
            "password1": "",
            "password2": "",
        },
    )

    member = User.objects.get(username="agent")
    assert response.status_code == 302
    assert member.email == "agent@example.org"
    assert not member.has_usable_password()


def test_it_refuses_two_different_passwords_in_french(login, admin_user):
    response = login(admin_user).post(
        reverse("admin:community_user_add"),
        {
            "username": "agent",
            "email": "agent@example.org",
            "usable_password": "true",
            "password1": "Un-mot-de-passe-long-1",
            "password2": "Un-autre-mot-de-passe-2",
        },
    )

    assert response.status_code == 400
    assert "Les deux mots de passe ne correspondent pas" in response.content.decode()
    assert not User.objects.filter(username="agent").exists()


def test_its_history_names_the_changed_fields_in_french(login, admin_user):
    member = User.objects.create_user("agent", "agent@example.org", "a-long-password")
    client = login(admin_user)
    url = reverse("admin:community_user_change", args=[member.pk])
    data = form_data(client.get(url))

    client.post(url, {**data, "is_staff": "on", "organisation": "Ministère"})

    entry = LogEntry.objects.get(object_id=str(member.pk))
    with translation.override("fr"):
        message = entry.get_change_message()
    assert "statut équipe" in message.lower()
    assert "Staff status" not in message
