"""The review services and the e-mail task behind them."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ogp_tracker import pagecache
from tests.factories import UserFactory
from tests.workshops.factories import CivilSocietyFactory, WorkshopFactory
from workshops import services, tasks
from workshops.models import Workshop


@pytest.fixture
def pending(cs_member, association):
    return WorkshopFactory(
        title="Rapport",
        is_published=False,
        submission=Workshop.Submission.PENDING,
        submitted_by=cs_member,
        organisers=[association],
    )


def test_it_sends_the_email_only_once_the_decision_is_committed(
    pending, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.publish_submission(workshop=pending, reviewer=coordinator)

    assert mail.outbox == []
    # Besides the page cache's own callback, the e-mail waits for the commit.
    (send,) = [c for c in callbacks if c is not pagecache.retire_pages]
    send()
    assert len(mail.outbox) == 1


def test_it_writes_the_email_in_the_submitters_language(
    pending, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.return_submission(
            workshop=pending, reviewer=coordinator, reason="Dates manquantes"
        )

    message = mail.outbox[0]
    assert message.subject == "Your workshop report “Rapport” was returned"
    assert "Dates manquantes" in message.body


def test_the_task_skips_a_decision_that_was_overturned(pending, coordinator):
    services.publish_submission(workshop=pending, reviewer=coordinator)
    services.return_submission(workshop=pending, reviewer=coordinator, reason="Non")

    sent = tasks.send_submission_decision.call(
        workshop_id=pending.pk, decision=Workshop.Submission.PUBLISHED
    )

    assert sent is False


def test_the_task_skips_a_deleted_workshop(db):
    sent = tasks.send_submission_decision.call(workshop_id=999, decision="published")

    assert sent is False


def test_it_refuses_to_decide_twice_or_on_a_staff_workshop(pending, coordinator):
    services.publish_submission(workshop=pending, reviewer=coordinator)

    with pytest.raises(ValidationError):
        services.publish_submission(workshop=pending, reviewer=coordinator)
    with pytest.raises(ValidationError):
        services.publish_submission(workshop=WorkshopFactory(), reviewer=coordinator)


def test_it_refuses_to_return_without_a_reason(pending, coordinator):
    with pytest.raises(ValidationError):
        services.return_submission(workshop=pending, reviewer=coordinator, reason=" ")

    pending.refresh_from_db()
    assert pending.submission == Workshop.Submission.PENDING


def test_it_refuses_a_submission_for_someone_elses_organisation(db):
    outsider = UserFactory()
    organisation = CivilSocietyFactory()
    workshop = WorkshopFactory.build()

    with pytest.raises(ValidationError):
        services.submit_workshop(
            submitter=outsider,
            organisation=organisation,
            workshop=workshop,
            commitments=[],
            documents=[],
        )

    assert not Workshop.objects.exists()


def test_it_versions_each_review_decision(pending, coordinator):
    before = pending.history.count()

    services.publish_submission(workshop=pending, reviewer=coordinator)

    latest = pending.history.first()
    assert pending.history.count() == before + 1
    assert latest.history_user == coordinator
    assert latest.submission == Workshop.Submission.PUBLISHED
