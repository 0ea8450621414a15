"""Business functions shared by the admin, commands and views."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from commitments import services
from commitments.models import ActionPlan, Commitment, Milestone
from tests.factories import (
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(ministry):
    return CommitmentFactory(lead_institutions=[ministry])


@pytest.fixture
def others(other_ministry):
    return CommitmentFactory(lead_institutions=[other_ministry])


def progress(**overrides) -> dict:
    values = {
        "period_start": datetime.date(2022, 1, 1),
        "period_end": datetime.date(2022, 6, 30),
        "status": "in_progress",
        "percentage": Decimal("25.5"),
    }
    return {**values, **overrides}


def test_it_scopes_editable_commitments_by_role(
    editor, coordinator, moderator, own, others
):
    assert list(services.editable_commitments(editor)) == [own]
    assert set(services.editable_commitments(coordinator)) == {own, others}
    assert list(services.editable_commitments(moderator)) == []


def test_it_gives_nothing_to_an_editor_who_is_not_staff(editor, own):
    editor.is_staff = False

    assert list(services.editable_commitments(editor)) == []


def test_it_records_progress_with_the_author_and_evidence(editor, ministry, own):
    update = services.record_progress(
        commitment=own,
        user=editor,
        author_institution=ministry,
        evidence=[("Rapport", "https://example.org/r.pdf")],
        **progress(),
    )

    assert (update.author, update.author_institution) == (editor, ministry)
    assert update.percentage == Decimal("25.5")
    assert [link.url for link in update.evidence.all()] == ["https://example.org/r.pdf"]


def test_it_refuses_progress_on_another_institutions_commitment(
    editor, ministry, others
):
    with pytest.raises(PermissionDenied):
        services.record_progress(
            commitment=others, user=editor, author_institution=ministry, **progress()
        )

    assert others.updates.count() == 0


def test_it_refuses_an_author_institution_that_does_not_lead(
    coordinator, other_ministry, own
):
    with pytest.raises(ValidationError) as error:
        services.record_progress(
            commitment=own,
            user=coordinator,
            author_institution=other_ministry,
            **progress(),
        )

    assert "author_institution" in error.value.message_dict


@pytest.mark.parametrize(
    "bad",
    [
        {"percentage": Decimal("100.5")},
        {"percentage": Decimal("-1")},
        {"period_end": datetime.date(2021, 1, 1)},
        {"status": "finished"},
    ],
)
def test_it_refuses_bad_progress_and_writes_nothing(editor, ministry, own, bad):
    with pytest.raises(ValidationError):
        services.record_progress(
            commitment=own,
            user=editor,
            author_institution=ministry,
            **progress(**bad),
        )

    assert own.updates.count() == 0


def test_it_writes_no_update_when_evidence_is_bad(editor, ministry, own):
    with pytest.raises(ValidationError):
        services.record_progress(
            commitment=own,
            user=editor,
            author_institution=ministry,
            evidence=[("Lien", "javascript:alert(1)")],
            **progress(),
        )

    assert own.updates.count() == 0


def test_it_marks_milestones_done_once_and_only_editable_ones(editor, own, others):
    mine = MilestoneFactory(commitment=own)
    theirs = MilestoneFactory(commitment=others)
    day = datetime.date(2022, 5, 4)

    first = services.mark_milestones_done(
        milestones=Milestone.objects.all(), user=editor, on=day
    )
    second = services.mark_milestones_done(
        milestones=Milestone.objects.all(), user=editor, on=day
    )

    assert (first, second) == (1, 0)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, mine.completed_on, mine.version) == ("done", day, 2)
    assert theirs.status == "not_started"
    assert mine.history.count() == 2


def test_it_keeps_a_known_completion_date(coordinator, own):
    milestone = MilestoneFactory(commitment=own, completed_on=datetime.date(2022, 2, 2))

    services.mark_milestones_done(milestones=[milestone], user=coordinator)

    milestone.refresh_from_db()
    assert milestone.completed_on == datetime.date(2022, 2, 2)


def test_it_sets_commitment_status_and_refuses_an_unknown_one(coordinator, own):
    changed = services.set_commitments_status(
        commitments=[own], user=coordinator, status="withdrawn"
    )

    with pytest.raises(ValidationError):
        services.set_commitments_status(
            commitments=[own], user=coordinator, status="abandoned"
        )
    assert changed == 1
    assert Commitment.objects.get(pk=own.pk).status == "withdrawn"


def test_it_lets_only_coordinators_publish_plans(editor, coordinator, own):
    plans = ActionPlan.objects.filter(pk=own.plan_id)

    with pytest.raises(PermissionDenied):
        services.set_plans_published(plans=plans, user=editor, published=False)
    changed = services.set_plans_published(
        plans=plans, user=coordinator, published=False
    )

    assert changed == 1
    assert ActionPlan.objects.get(pk=own.plan_id).is_published is False


def test_it_saves_a_version_and_refuses_a_stale_one(coordinator, editor, own):
    first = Commitment.objects.get(pk=own.pk)
    second = Commitment.objects.get(pk=own.pk)
    rows = own.history.count()

    first.title_fr = "Premier"
    assert services.save_versioned(obj=first, user=coordinator, expected_version=1)
    second.title_fr = "Second"
    with pytest.raises(services.EditConflict):
        services.save_versioned(obj=second, user=editor, expected_version=1)

    own.refresh_from_db()
    assert (own.title_fr, own.version) == ("Premier", 2)
    assert own.history.count() == rows + 1


def test_it_neither_records_nor_bumps_an_unchanged_save(coordinator, own):
    rows = own.history.count()

    changed = services.save_versioned(obj=own, user=coordinator, expected_version=1)

    assert changed is False
    assert own.history.count() == rows
    assert Commitment.objects.get(pk=own.pk).version == 1


def test_it_saves_relations_in_the_same_version(coordinator, own):
    partner = InstitutionFactory()
    rows = own.history.count()

    services.save_versioned(
        obj=own,
        user=coordinator,
        expected_version=1,
        save_related=lambda: own.partners.add(partner),
    )

    assert own.history.count() == rows + 1
    assert own.history.first().history_user == coordinator


def test_it_refuses_to_save_a_deleted_object(coordinator, own):
    copy = Commitment.objects.get(pk=own.pk)
    own.delete()

    with pytest.raises(services.EditConflict):
        services.check_version(copy, 1)


def test_it_limits_reporting_institutions_to_the_editors_leading_ones(
    editor, ministry, other_ministry
):
    shared = CommitmentFactory(lead_institutions=[ministry, other_ministry])

    allowed = services.reporting_institutions(user=editor, commitment=shared)

    assert list(allowed) == [ministry]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks to wait on"
)
def test_it_makes_a_concurrent_save_wait_for_the_first_and_refuses_it(
    coordinator, editor, ministry
):
    commitment = CommitmentFactory(lead_institutions=[ministry])
    first_holds_the_row = threading.Event()
    outcome = {}

    def first_editor():
        try:
            with transaction.atomic():
                copy = Commitment.objects.get(pk=commitment.pk)
                services.check_version(copy, 1)
                first_holds_the_row.set()
                time.sleep(0.5)
                copy.title_fr = "Premier"
                services.save_versioned(obj=copy, user=coordinator, expected_version=1)
        finally:
            connection.close()

    def second_editor():
        first_holds_the_row.wait()
        try:
            copy = Commitment.objects.get(pk=commitment.pk)
            copy.title_fr = "Second"
            services.save_versioned(obj=copy, user=editor, expected_version=1)
            outcome["second"] = "saved"
        except services.EditConflict:
            outcome["second"] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=f) for f in (first_editor, second_editor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome == {"second": "refused"}
    commitment.refresh_from_db()
    assert (commitment.title_fr, commitment.version) == ("Premier", 2)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(9999, 1, 1), datetime.date(9999, 12, 31)),
        (datetime.date(2020, 1, 1), datetime.date(2100, 1, 1)),
    ],
)
def test_a_reporting_period_cannot_lie_in_the_far_future(start, end):
    update = ProgressUpdateFactory.build(
        commitment=CommitmentFactory(), period_start=start, period_end=end
    )

    with pytest.raises(ValidationError):
        update.full_clean()
