"""The whole conversation on one commitment, as people live it."""

import re

import pytest
from django.core import mail

from community.links import commitment_url
from community.models import Comment, Follow
from tests.community.conftest import en_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/confirm-email/\S+/)", message.body)[1]


def test_it_walks_from_sign_up_to_a_hidden_comment_with_its_reply_kept(
    client,
    django_capture_on_commit_callbacks,
    commitment,
    ministry,
    editor,
    moderator,
    member,
):
    follower = UserFactory(username="follower", language="en")
    Follow.objects.create(user=follower, commitment=commitment)
    signup = {
        "email": "visitor@example.org",
        "password1": "a-long-new-password-42",
        "password2": "a-long-new-password-42",
        "display_name": "Visitor",
    }

    with django_capture_on_commit_callbacks(execute=True):
        client.post(en_url("account_signup"), signup)
    link = confirmation_link(mail.outbox[-1])
    client.post(link)
    client.post(
        en_url("account_login"),
        {"login": "visitor@example.org", "password": signup["password1"]},
    )
    client.post(
        en_url("community:comment_create", commitment.pk),
        {"body": "Where is the tool?"},
    )
    question = Comment.objects.get(parent=None)

    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            en_url("community:comment_reply", question.pk), {"body": "I ask too."}
        )
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            en_url("community:comment_reply", question.pk),
            {"body": "It ships in May.", "official_institution": ministry.pk},
        )
    client.force_login(moderator)
    client.post(
        "/admin/community/comment/",
        {
            "action": "hide_selected",
            "_selected_action": [question.pk],
            "reason": "off topic",
        },
    )
    client.logout()
    page = client.get(commitment_url(commitment)).content.decode()

    assert "Where is the tool?" not in page
    assert "off topic" in page
    assert "I ask too." in page
    assert "It ships in May." in page
    subjects = {(m.to[0], m.subject) for m in mail.outbox[1:]}
    assert ("follower@example.org", "Official answer on commitment 38") in subjects
    assert any(to == "visitor@example.org" for to, _subject in subjects)
