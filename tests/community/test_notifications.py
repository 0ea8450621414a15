"""Followers hear of progress, status changes, official answers and replies."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from community import services
from community.models import Follow, Notification, User
from tests.community.conftest import make_comment
from tests.factories import ProgressUpdateFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_update(django_capture_on_commit_callbacks, ministry):
    def record(commitment, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return ProgressUpdateFactory(
                commitment=commitment, author_institution=ministry, **fields
            )

    return record


def follower(target_field, target, **fields):
    user = UserFactory(**fields)
    Follow.objects.create(user=user, **{target_field: target})
    return user


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_it_tells_followers_of_the_commitment_institution_and_plan_once(
    record_update, mailoutbox, commitment, ministry, plan, other_commitment
):
    by_commitment = follower("commitment", commitment, username="a")
    by_institution = follower("institution", ministry, username="b")
    by_plan = follower("plan", plan, username="c")
    both = follower("commitment", commitment, username="d")
    Follow.objects.create(user=both, plan=plan)
    follower("commitment", other_commitment, username="e")

    record_update(commitment)

    assert recipients(mailoutbox) == sorted(
        user.email for user in (by_commitment, by_institution, by_plan, both)
    )


def test_its_text_part_reads_markdown_as_words(record_update, mailoutbox, commitment):
    follower("commitment", commitment, language="en")

    record_update(
        commitment, achievements="**Opened** the [data](https://example.org) & more."
    )

    body = mailoutbox[0].body
    assert "Opened the data & more." in body
    assert "**" not in body and "](" not in body


def test_it_writes_text_and_html_with_an_unsubscribe_link(
    record_update, mailoutbox, commitment
):
    follower("commitment", commitment, language="en")

    record_update(commitment, achievements="Opened the data.")

    message = mailoutbox[0]
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert "Opened the data." in message.body
    assert "Opened the data." in html
    assert "/en/unsubscribe/" in message.body
    assert "/en/unsubscribe/" in html
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )


def test_it_writes_in_each_members_language(record_update, mailoutbox, commitment):
    follower("commitment", commitment, username="en-reader", language="en")
    follower("commitment", commitment, username="fr-reader", language="fr")

    record_update(commitment)

    by_address = {message.to[0]: message for message in mailoutbox}
    english = by_address["en-reader@example.org"]
    french = by_address["fr-reader@example.org"]
    assert "/en/profile/" in english.body
    assert "/fr/profile/" in french.body
    assert english.subject == "Commitment 38 changed status"


def test_it_tells_a_status_change_from_a_plain_update(
    record_update, commitment, mailoutbox
):
    user = follower("commitment", commitment, language="en")

    record_update(commitment, status="in_progress", percentage=10)
    record_update(commitment, status="in_progress", percentage=40)

    kinds = list(
        Notification.objects.filter(user=user)
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == ["status_change", "progress_update"]
    assert mailoutbox[1].subject == "New progress update on commitment 38"


def test_it_tells_nobody_who_turned_e_mails_off_and_waits_for_digest_readers(
    record_update, commitment, mailoutbox
):
    follower("commitment", commitment, notification_frequency=User.Frequency.NEVER)
    daily = follower(
        "commitment", commitment, notification_frequency=User.Frequency.DAILY
    )

    record_update(commitment)

    assert mailoutbox == []
    assert Notification.objects.get().user == daily


def test_it_sends_one_digest_with_everything_waiting(
    record_update, commitment, mailoutbox
):
    daily = follower(
        "commitment",
        commitment,
        notification_frequency=User.Frequency.DAILY,
        language="en",
    )
    record_update(commitment, achievements="First step.")
    record_update(commitment, achievements="Second step.")
    out = StringIO()

    call_command("send_digests", stdout=out)
    call_command("send_digests", stdout=StringIO())

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [daily.email]
    assert mailoutbox[0].subject == "2 pieces of news about what you follow"
    assert "First step." in mailoutbox[0].body
    assert "Second step." in mailoutbox[0].body
    assert "digests sent: 1" in out.getvalue()
    assert not Notification.objects.filter(sent_at=None).exists()


def test_it_tells_the_author_of_a_comment_of_a_reply(
    django_capture_on_commit_callbacks, mailoutbox, commitment, member, citizen
):
    member.language = "en"
    member.save()
    question = make_comment(commitment, member, "Question")

    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(
            commitment=commitment, author=citizen, body="My reply", parent=question
        )

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]
    assert mailoutbox[0].subject == "Reply to your comment on commitment 38"
    assert "“My reply”" in mailoutbox[0].body
    assert "/en/comments/" in mailoutbox[0].body


def test_it_quotes_a_reply_as_readers_of_the_e_mails_language_do(
    django_capture_on_commit_callbacks, mailoutbox, commitment, member, citizen
):
    member.language = "fr"
    member.save()
    question = make_comment(commitment, member, "Question")

    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(
            commitment=commitment, author=citizen, body="Ma réponse", parent=question
        )

    assert "«\u00a0Ma réponse\u00a0»" in mailoutbox[0].body


def test_it_respects_the_reply_preference_and_never_tells_oneself(
    django_capture_on_commit_callbacks, mailoutbox, commitment, member, citizen
):
    citizen.notify_replies = False
    citizen.save()
    question = make_comment(commitment, citizen, "Question")
    mine = make_comment(commitment, member, "Mine")

    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(
            commitment=commitment, author=member, body="Reply", parent=question
        )
        services.post_comment(
            commitment=commitment, author=member, body="Self reply", parent=mine
        )

    assert mailoutbox == []


def test_it_tells_followers_of_an_official_answer(
    django_capture_on_commit_callbacks,
    mailoutbox,
    commitment,
    member,
    editor,
    ministry,
):
    reader = follower("commitment", commitment, language="en")
    question = make_comment(commitment, member, "When?")

    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(
            commitment=commitment,
            author=editor,
            body="In May.",
            parent=question,
            official_institution=ministry,
        )

    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {reader.email, member.email}
    assert by_address[reader.email].subject == "Official answer on commitment 38"
    assert ministry.name_en in by_address[reader.email].body


def test_it_drops_news_of_comments_hidden_before_the_digest(
    django_capture_on_commit_callbacks, mailoutbox, commitment, member, citizen
):
    member.notification_frequency = User.Frequency.DAILY
    member.save()
    question = make_comment(commitment, member, "Question")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.post_comment(
            commitment=commitment, author=citizen, body="Rude reply", parent=question
        )
    services.hide_comment(comment=reply, moderator=citizen, reason="rude")

    call_command("send_digests", stdout=StringIO())

    assert mailoutbox == []
    assert not Notification.objects.filter(sent_at=None).exists()


def test_it_retries_instant_e_mails_that_failed(
    record_update, commitment, mailoutbox, settings
):
    settings.EMAIL_BACKEND = "tests.community.broken_mail.Backend"
    user = follower("commitment", commitment)
    record_update(commitment)
    assert Notification.objects.get(user=user).sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    later = timezone.now() + datetime.timedelta(minutes=20)
    with time_machine.travel(later):
        call_command("send_digests", stdout=StringIO())

    assert len(mailoutbox) == 1
    assert Notification.objects.get(user=user).sent_at is not None


def test_it_can_hand_digests_to_the_worker(commitment, mailoutbox):
    out = StringIO()

    call_command("send_digests", "--enqueue", stdout=out)

    assert "enqueued" in out.getvalue()


def test_it_gives_the_percentage_as_the_site_does(
    record_update, mailoutbox, commitment
):
    follower("commitment", commitment, username="fr-reader", language="fr")

    record_update(commitment, percentage=Decimal("62.5"))

    message = mailoutbox[0]
    html = message.alternatives[0][0]
    assert "réalisé à 62,5\u00a0%" in message.body
    assert "62,5" in html
