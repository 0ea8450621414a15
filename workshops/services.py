"""The business rules of workshops: civil-society submissions and their review.

Views, the admin and commands all go through these functions, so a report is
stored whole or not at all, and its submitter always hears of the decision.
"""

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from commitments.models import Commitment, Institution
from commitments.versioning import one_version, record_version
from workshops.models import Document, Workshop

logger = logging.getLogger(__name__)


# Reasons kept in the history, in English; the history pages translate them.
SUBMITTED = gettext_noop("submitted")
DECIDED = {
    Workshop.Submission.PUBLISHED: gettext_noop("submission published"),
    Workshop.Submission.RETURNED: gettext_noop("submission returned"),
}


def civil_society_organisations(user):
    """Return the civil-society organisations user belongs to."""
    if not user.is_authenticated:
        return Institution.objects.none()
    return Institution.objects.filter(
        kind=Institution.Kind.CIVIL_SOCIETY, members=user
    ).order_by("name_fr", "name_en", "pk")


def submit_workshop(
    *,
    submitter,
    organisation: Institution,
    workshop: Workshop,
    commitments: Iterable[Commitment],
    documents: Iterable[Document],
) -> Workshop:
    """Store a civil-society workshop report and its documents, private until review.

    The workshop and documents arrive validated but unsaved. Files already
    written to storage are removed again if the database refuses the rest.
    """
    if not civil_society_organisations(submitter).filter(pk=organisation.pk).exists():
        raise ValidationError(
            _("You can only submit for a civil-society organisation you belong to.")
        )
    documents = list(documents)
    try:
        with transaction.atomic():
            workshop.submission = Workshop.Submission.PENDING
            workshop.is_published = False
            workshop.submitted_by = submitter
            workshop.submitted_at = timezone.now()
            with one_version(workshop, user=submitter, reason=SUBMITTED):
                workshop.save()
                workshop.organisers.set([organisation])
                workshop.commitments.set(commitments)

            for document in documents:
                document.workshop = workshop
                document.producer = organisation
                document.is_published = False
                with one_version(document, user=submitter, reason=SUBMITTED):
                    document.save()
                    document.commitments.set(commitments)
    except Exception:
        _delete_stored_files(documents)
        raise

    logger.info(
        "workshop submitted workshop=%s organisation=%s documents=%s",
        workshop.pk,
        organisation.pk,
        len(documents),
    )
    return workshop


def _delete_stored_files(documents: list[Document]) -> None:
    """Remove the files that reached storage before the database said no."""
    for document in documents:
        if document.file and document.file._committed:
            document.file.storage.delete(document.file.name)


def publish_submission(*, workshop: Workshop, reviewer) -> None:
    """Publish a submitted report with its documents and tell the submitter."""
    _decide(
        workshop=workshop,
        reviewer=reviewer,
        state=Workshop.Submission.PUBLISHED,
        reason="",
    )


def return_submission(*, workshop: Workshop, reviewer, reason: str) -> None:
    """Keep a submitted report private, say why, and tell the submitter."""
    if not reason.strip():
        raise ValidationError(
            _("Say why the report is returned: the submitter will read it.")
        )
    _decide(
        workshop=workshop,
        reviewer=reviewer,
        state=Workshop.Submission.RETURNED,
        reason=reason.strip(),
    )


def _decide(*, workshop, reviewer, state, reason) -> None:
    if not workshop.is_submission:
        raise ValidationError(_("This workshop was not submitted for review."))
    if workshop.submission == state:
        raise ValidationError(_("This decision has already been taken."))
    published = state == Workshop.Submission.PUBLISHED

    with transaction.atomic():
        workshop.submission = state
        workshop.is_published = published
        workshop.return_reason = reason
        workshop.reviewed_by = reviewer
        workshop.reviewed_at = timezone.now()
        workshop.save_without_historical_record()
        record_version(workshop, user=reviewer, reason=DECIDED[state])
        for document in workshop.documents.all():
            if document.is_published != published:
                document.is_published = published
                document.save_without_historical_record()
                record_version(document, user=reviewer, reason=DECIDED[state])
        # The e-mail leaves from a background task once the decision is
        # committed, so a slow mail server never holds the admin page; a queue
        # that cannot be reached is logged rather than undoing the decision.
        transaction.on_commit(
            lambda: _enqueue_decision(workshop.pk, state), robust=True
        )

    logger.info("submission reviewed workshop=%s decision=%s", workshop.pk, state)


def _enqueue_decision(workshop_id: int, state: str) -> None:
    from workshops.tasks import send_submission_decision

    send_submission_decision.enqueue(workshop_id=workshop_id, decision=state)
