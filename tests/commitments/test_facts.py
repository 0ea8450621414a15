import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.facts import late_milestone_count
from commitments.models import Commitment, Milestone, Status
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2022, 9, 1)


def facts_of(commitment):
    return (
        Commitment.objects.with_facts(today=TODAY)
        .annotate(milestones_late=late_milestone_count(TODAY))
        .get(pk=commitment.pk)
    )


def test_it_takes_status_and_percentage_from_the_latest_update():
    commitment = CommitmentFactory()
    ProgressUpdateFactory(commitment=commitment, percentage=20, status="in_progress")
    ProgressUpdateFactory(commitment=commitment, percentage=100, status="completed")

    facts = facts_of(commitment)

    assert facts.current_status == Status.COMPLETED
    assert facts.current_percentage == 100


def test_it_falls_back_to_the_share_of_milestones_done():
    commitment = CommitmentFactory()
    MilestoneFactory(commitment=commitment, status=Milestone.Status.DONE)
    MilestoneFactory(commitment=commitment, status=Milestone.Status.DONE)
    MilestoneFactory(commitment=commitment)
    MilestoneFactory(commitment=commitment, status=Milestone.Status.CANCELLED)

    facts = facts_of(commitment)

    assert facts.current_status == Status.IN_PROGRESS
    assert float(facts.current_percentage) == pytest.approx(66.7, abs=0.05)


def test_it_falls_back_to_the_declared_status_without_milestones():
    commitment = CommitmentFactory(status=Status.IN_PROGRESS, progress=30)

    facts = facts_of(commitment)

    assert facts.current_status == Status.IN_PROGRESS
    assert facts.current_percentage == 30


def test_it_flags_a_milestone_past_its_due_date_as_late():
    commitment = CommitmentFactory(end=datetime.date(2030, 1, 1))
    late = MilestoneFactory(
        commitment=commitment, planned_end=datetime.date(2022, 8, 1)
    )
    MilestoneFactory(commitment=commitment, planned_end=datetime.date(2022, 12, 1))

    facts = facts_of(commitment)

    assert facts.is_late is True
    assert facts.milestones_late == 1
    assert late.is_late(today=TODAY)


def test_a_revised_due_date_moves_the_deadline_but_keeps_the_slippage_visible():
    milestone = MilestoneFactory(
        planned_end=datetime.date(2022, 8, 1), revised_due=datetime.date(2022, 12, 1)
    )

    assert not milestone.is_late(today=TODAY)
    assert milestone.has_slipped
    assert milestone.planned_end == datetime.date(2022, 8, 1)


def test_a_month_precision_milestone_is_due_at_the_end_of_its_month():
    milestone = MilestoneFactory(
        planned_start=datetime.date(2022, 8, 1),
        planned_start_precision="month",
        planned_end=None,
    )

    assert milestone.due_date == datetime.date(2022, 8, 31)
    assert milestone.is_late(today=datetime.date(2022, 9, 1))
    assert not milestone.is_late(today=datetime.date(2022, 8, 31))


def test_it_flags_commitments_without_a_recent_update_as_stale(settings):
    settings.OGP_STALE_AFTER_DAYS = 100
    fresh = CommitmentFactory()
    stale = CommitmentFactory()
    never = CommitmentFactory(start=datetime.date(2022, 1, 1))
    finished = CommitmentFactory(
        status=Status.COMPLETED, start=datetime.date(2021, 1, 1)
    )
    with time_machine.travel(datetime.datetime(2022, 8, 1, 12, 0), tick=False):
        ProgressUpdateFactory(commitment=fresh)
    with time_machine.travel(datetime.datetime(2022, 3, 1, 12, 0), tick=False):
        ProgressUpdateFactory(commitment=stale)

    flags = dict(
        Commitment.objects.with_facts(today=TODAY).values_list("pk", "is_stale")
    )

    assert flags == {
        fresh.pk: False,
        stale.pk: True,
        never.pk: True,
        finished.pk: False,
    }


def test_it_costs_one_query_whatever_the_number_of_commitments():
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            list(Commitment.objects.with_facts(today=TODAY))
        return len(queries)

    commitment = CommitmentFactory()
    MilestoneFactory(commitment=commitment)
    few = count_queries()
    for _ in range(10):
        ProgressUpdateFactory(commitment=MilestoneFactory().commitment)

    assert count_queries() == few == 1


def test_a_date_early_in_year_one_does_not_overflow():
    CommitmentFactory()

    facts = list(Commitment.objects.with_facts(today=datetime.date(1, 1, 1)))

    assert len(facts) == 1
