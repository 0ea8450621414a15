"""The facts stored per commitment follow every change of milestones and updates."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from commitments.models import Commitment, CommitmentFacts, Milestone, Status
from tests.factories import CommitmentFactory, MilestoneFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

DONE = Milestone.Status.DONE
OPEN = Milestone.Status.IN_PROGRESS


def stored(commitment) -> dict:
    row = CommitmentFacts.objects.filter(commitment=commitment).values().first()
    if row is None:
        return {}
    row.pop("commitment_id")
    return row


def test_it_counts_milestones_as_they_are_added_changed_and_deleted():
    commitment = CommitmentFactory()
    first = MilestoneFactory(commitment=commitment, status=OPEN)
    MilestoneFactory(
        commitment=commitment,
        status=Milestone.Status.NOT_STARTED,
        planned_end=datetime.date(2022, 3, 31),
    )
    MilestoneFactory(commitment=commitment, status=Milestone.Status.CANCELLED)

    facts = stored(commitment)
    assert (facts["milestones_total"], facts["milestones_done"]) == (2, 0)
    assert facts["milestones_started"] == 1
    assert facts["first_open_due"] == datetime.date(2022, 3, 31)

    first.status = DONE
    first.completed_on = datetime.date(2022, 5, 1)
    first.save()
    assert (
        stored(commitment)["milestones_done"],
        stored(commitment)["milestones_started"],
    ) == (1, 0)

    first.delete()
    assert (
        stored(commitment)["milestones_total"],
        stored(commitment)["milestones_done"],
    ) == (1, 0)


def test_a_moved_milestone_leaves_the_counts_of_its_old_commitment():
    old, new = CommitmentFactory(), CommitmentFactory()
    MilestoneFactory(commitment=old)

    milestone = Milestone.objects.get(commitment=old)
    milestone.commitment = new
    milestone.save()

    assert stored(old)["milestones_total"] == 0
    assert stored(new)["milestones_total"] == 1


def test_it_keeps_the_latest_update_by_recording_time():
    commitment = CommitmentFactory()
    later = datetime.datetime(2022, 6, 1, 9, tzinfo=datetime.UTC)
    ProgressUpdateFactory(commitment=commitment, recorded_at=later, percentage=70)
    ProgressUpdateFactory(
        commitment=commitment,
        recorded_at=later - datetime.timedelta(days=30),
        percentage=20,
        status=Status.NOT_STARTED,
    )

    facts = stored(commitment)
    assert facts["latest_percentage"] == Decimal("70.0")
    assert facts["latest_status"] == Status.IN_PROGRESS
    assert facts["last_update_at"] == later


def test_deleting_a_commitment_deletes_its_milestones_and_facts():
    commitment = CommitmentFactory()
    MilestoneFactory.create_batch(2, commitment=commitment)

    commitment.delete()

    assert not CommitmentFacts.objects.exists()
    assert not Milestone.objects.exists()


def test_the_command_restores_facts_written_around_the_application():
    commitment = CommitmentFactory()
    MilestoneFactory(commitment=commitment, status=DONE)
    # Rows written with update() send no signal: the stored facts are behind.
    Milestone.objects.update(status=OPEN)
    assert stored(commitment)["milestones_done"] == 1

    call_command("store_facts", stdout=None)

    assert stored(commitment)["milestones_done"] == 0
    assert stored(commitment)["milestones_started"] == 1


def test_pages_read_the_stored_facts():
    commitment = CommitmentFactory()
    MilestoneFactory(commitment=commitment, status=DONE)
    MilestoneFactory(commitment=commitment, status=OPEN)

    shown = Commitment.objects.with_facts().get(pk=commitment.pk)

    assert shown.current_status == Status.IN_PROGRESS
    assert shown.current_percentage == Decimal("50.0")


def test_the_command_retires_the_stored_pages(client):
    from django.core.cache import cache

    from ogp_tracker import pagecache

    pagecache.retire_pages()
    before = cache.get(pagecache.GENERATION_KEY)

    call_command("store_facts", stdout=io.StringIO())

    assert cache.get(pagecache.GENERATION_KEY) != before
