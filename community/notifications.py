"""Who hears of what, and the e-mails that tell them.

Events become ``Notification`` rows, one per member and event; members who
chose "instant" get an e-mail from a background task straight away, the others
in the daily digest (``manage.py send_digests``). Every e-mail is written in
the member's language, as plain text and HTML, and carries a signed one-click
unsubscribe link that needs no login.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commitments.models import ProgressUpdate
from community import links
from community.models import Comment, Notification, User

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "community.unsubscribe"
# An instant e-mail that failed is retried by the next digest run once it is
# this old, so a mail server outage loses nothing.
INSTANT_RETRY_AFTER = timedelta(minutes=15)


# Who is told ----------------------------------------------------------------


def followers_of(commitment) -> QuerySet:
    """Return active members who follow commitment, a lead institution or its plan."""
    lead_ids = commitment.lead_institutions.values("pk")
    followed = (
        Q(follows__commitment=commitment)
        | Q(follows__institution__in=lead_ids)
        | Q(follows__plan=commitment.plan_id)
    )

    return (
        User.objects.filter(followed, is_active=True)
        .exclude(notification_frequency=User.Frequency.NEVER)
        .exclude(email="")
        .distinct()
    )


def fan_out_progress_update(update_id: int) -> list[int]:
    """Record a notification for each follower; return those to e-mail now."""
    update = ProgressUpdate.objects.select_related("commitment").get(pk=update_id)
    commitment = update.commitment
    earlier = (
        ProgressUpdate.objects.filter(commitment=commitment)
        .filter(
            Q(recorded_at__lt=update.recorded_at)
            | Q(recorded_at=update.recorded_at, pk__lt=update.pk)
        )
        .order_by("-recorded_at", "-id")
        .values_list("status", flat=True)
        .first()
    )
    previous_status = earlier if earlier is not None else commitment.status
    kind = (
        Notification.Kind.STATUS_CHANGE
        if update.status != previous_status
        else Notification.Kind.PROGRESS_UPDATE
    )

    followers = followers_of(commitment)
    recipients = dict(followers.values_list("pk", "notification_frequency"))
    if update.author_id in recipients:
        del recipients[update.author_id]
    rows = [
        Notification(user_id=pk, kind=kind, commitment=commitment, update=update)
        for pk in recipients
    ]

    return _record(rows, recipients)


def fan_out_comment(comment_id: int) -> list[int]:
    """Tell the parent's author of a reply, and followers of an official answer."""
    comment = Comment.objects.select_related("commitment", "parent__author").get(
        pk=comment_id
    )
    if not comment.is_visible or comment.parent_id is None:
        return []

    recipients: dict[int, str] = {}
    kinds: dict[int, str] = {}
    if comment.is_official:
        followers = followers_of(comment.commitment).values_list(
            "pk", "notification_frequency"
        )
        for pk, frequency in followers:
            recipients[pk] = frequency
            kinds[pk] = Notification.Kind.OFFICIAL_ANSWER
    parent_author = comment.parent.author
    if (
        parent_author is not None
        and parent_author.is_active
        and parent_author.notify_replies
        and parent_author.email
        and parent_author.notification_frequency != User.Frequency.NEVER
    ):
        recipients[parent_author.pk] = parent_author.notification_frequency
        kinds[parent_author.pk] = Notification.Kind.REPLY
    recipients.pop(comment.author_id, None)

    rows = [
        Notification(
            user_id=pk,
            kind=kinds[pk],
            commitment_id=comment.commitment_id,
            comment=comment,
        )
        for pk in recipients
    ]
    return _record(rows, recipients)


def _record(rows: list[Notification], recipients: dict[int, str]) -> list[int]:
    # A retried task must not tell anyone twice: the unique constraints
    # (member, update) and (member, comment) drop the repeats.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    instant = [
        pk
        for pk, frequency in recipients.items()
        if frequency == User.Frequency.INSTANT
    ]
    logger.info("notifications recorded count=%s instant=%s", len(rows), len(instant))

    return instant


# Sending --------------------------------------------------------------------


def send_pending(user_id: int) -> int:
    """E-mail user the notifications not sent yet; return how many were sent."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0

    with transaction.atomic():
        pending = list(
            Notification.objects.filter(user=user, sent_at=None)
            .select_related(
                "commitment__plan",
                "update",
                "comment__author",
                "comment__official_institution",
            )
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("created_at", "id")
        )
        if not pending:
            return 0
        # Comments hidden or deleted since the event are no longer news.
        items = [n for n in pending if n.comment is None or n.comment.is_visible]
        if items and user.notification_frequency != User.Frequency.NEVER:
            build_message(user, items).send()
        sent_ids = [n.pk for n in pending]
        Notification.objects.filter(pk__in=sent_ids).update(sent_at=timezone.now())

    logger.info("notifications sent user=%s count=%s", user.pk, len(items))
    return len(items)


def users_due_a_digest(now=None) -> list[int]:
    """Return members with news waiting for the daily digest (or a retry)."""
    now = now or timezone.now()
    due = Notification.objects.filter(sent_at=None).filter(
        Q(user__notification_frequency=User.Frequency.DAILY)
        | Q(
            user__notification_frequency=User.Frequency.INSTANT,
            created_at__lt=now - INSTANT_RETRY_AFTER,
        )
    )

    return sorted(set(due.values_list("user_id", flat=True)))


def send_digests(now=None) -> int:
    """Send every due digest; return how many e-mails went out."""
    sent = 0
    for user_id in users_due_a_digest(now):
        try:
            if send_pending(user_id):
                sent += 1
        except Exception:
            # One bad address or template must not stop everyone's digest.
            logger.exception("digest failed user=%s", user_id)

    logger.info("digests sent count=%s", sent)
    return sent


# The e-mail itself ----------------------------------------------------------


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> int:
    """Return the member id in token; raise signing errors if forged or expired."""
    max_age = timedelta(days=settings.OGP_UNSUBSCRIBE_LINK_DAYS)
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("unexpected payload")

    return data["u"]


def _subject(items: list[Notification]) -> str:
    if len(items) > 1:
        return ngettext(
            "%(count)s piece of news about what you follow",
            "%(count)s pieces of news about what you follow",
            len(items),
        ) % {"count": len(items)}
    item = items[0]
    reference = item.commitment.reference
    subjects = {
        Notification.Kind.PROGRESS_UPDATE: _(
            "New progress update on commitment %(ref)s"
        ),
        Notification.Kind.STATUS_CHANGE: _("Commitment %(ref)s changed status"),
        Notification.Kind.OFFICIAL_ANSWER: _("Official answer on commitment %(ref)s"),
        Notification.Kind.REPLY: _("Reply to your comment on commitment %(ref)s"),
    }

    return subjects[item.kind] % {"ref": reference}


def _entry(item: Notification) -> dict:
    """Return what the templates need to show one notification."""
    entry = {
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "commitment": item.commitment,
        "url": links.absolute(links.commitment_url(item.commitment)),
        "update": item.update,
        "comment": item.comment,
    }
    if item.comment is not None:
        path = reverse("community:comment_detail", args=[item.comment.pk])
        entry["url"] = links.absolute(path)
    return entry


def build_message(user: User, items: list[Notification]) -> EmailMultiAlternatives:
    """Return the e-mail telling user of items, in user's language."""
    with translation.override(user.email_language):
        token = unsubscribe_token(user)
        unsubscribe = links.absolute(reverse("community:unsubscribe", args=[token]))
        context = {
            "user": user,
            "entries": [_entry(item) for item in items],
            "is_digest": user.notification_frequency == User.Frequency.DAILY,
            "profile_url": links.absolute(reverse("community:profile")),
            "unsubscribe_url": unsubscribe,
            "site_url": settings.OGP_SITE_URL,
            "language": user.email_language,
        }
        subject = _subject(items)
        text = render_to_string("community/emails/notification.txt", context)
        html = render_to_string("community/emails/notification.html", context)

    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        headers={
            # RFC 8058: mail clients offer their own one-click button.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")

    return message
