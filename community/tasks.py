"""Background tasks of the community: every e-mail leaves from here.

They run on the django-tasks backend configured in TASKS: the database
backend with a ``db_worker`` process in production, the immediate backend in
tests and development. Arguments are primary keys, so a task reads the data
as it is when it runs.
"""

import logging

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from community import notifications

logger = logging.getLogger(__name__)


@task()
def notify_progress_update(update_id: int) -> int:
    """Tell the followers of a commitment about a new progress update."""
    instant = notifications.fan_out_progress_update(update_id)
    for user_id in instant:
        send_notifications.enqueue(user_id)

    return len(instant)


@task()
def notify_comment(comment_id: int) -> int:
    """Tell people of a reply to their comment or of an official answer."""
    instant = notifications.fan_out_comment(comment_id)
    for user_id in instant:
        send_notifications.enqueue(user_id)

    return len(instant)


@task()
def send_notifications(user_id: int) -> int:
    """E-mail one member the notifications waiting for them."""
    return notifications.send_pending(user_id)


@task()
def send_daily_digests() -> int:
    """Send the daily digests (the same as ``manage.py send_digests``)."""
    return notifications.send_digests()


@task()
def send_email(
    subject: str,
    text: str,
    html: str,
    to: list[str],
    from_email: str | None = None,
    headers: dict | None = None,
) -> None:
    """Send an e-mail rendered during a request (account e-mails)."""
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=from_email, to=to, headers=headers
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()

    logger.info("account e-mail sent recipients=%s", len(to))
