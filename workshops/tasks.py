"""Background tasks of the workshops: the e-mails about submitted reports.

They run on the django-tasks backend configured in TASKS (a worker in
production), never inside the request that took the decision. Arguments are
primary keys, so the e-mail says what is true when it leaves.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from workshops.models import Workshop

logger = logging.getLogger(__name__)

TEMPLATES = {
    Workshop.Submission.PUBLISHED: "workshops/email/submission_published",
    Workshop.Submission.RETURNED: "workshops/email/submission_returned",
}


def _language_of(user) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in known else settings.LANGUAGE_CODE


def _absolute(path: str) -> str:
    site = getattr(settings, "OGP_SITE_URL", "http://127.0.0.1:8000")
    return site.rstrip("/") + path


@task()
def send_submission_decision(workshop_id: int, decision: str) -> bool:
    """E-mail the submitter that their report was published or returned."""
    workshop = (
        Workshop.objects.select_related("submitted_by").filter(pk=workshop_id).first()
    )
    if workshop is None or workshop.submission != decision:
        # Deleted, or decided otherwise since: that later decision has its own e-mail.
        logger.info("submission e-mail skipped workshop=%s", workshop_id)
        return False
    user = workshop.submitted_by
    if user is None or not user.email or not user.is_active:
        logger.info("submission e-mail without recipient workshop=%s", workshop_id)
        return False

    with translation.override(_language_of(user)):
        context = {
            "user": user,
            "workshop": workshop,
            "workshop_url": _absolute(workshop.get_absolute_url()),
            "submissions_url": _absolute(reverse("workshops:submission_list")),
        }
        prefix = TEMPLATES[decision]
        subject = render_to_string(f"{prefix}_subject.txt", context)
        body = render_to_string(f"{prefix}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])

    logger.info("submission e-mail sent workshop=%s decision=%s", workshop_id, decision)
    return True
