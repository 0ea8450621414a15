import datetime

import pytest
import time_machine

from commitments import asof
from commitments.facts import late_milestone_count
from commitments.models import Commitment, Milestone
from commitments.versioning import one_version
from tests.commitments.public_data import NOW, TODAY, build_plan
from tests.factories import CommitmentFactory, MilestoneFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

JANUARY = datetime.datetime(2022, 1, 10, 12, tzinfo=datetime.UTC)
FACTS = [
    "current_status",
    "current_percentage",
    "last_update_at",
    "milestones_total",
    "milestones_done",
    "milestones_late",
    "is_late",
    "is_stale",
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def facts(rows) -> dict:
    return {row.pk: tuple(getattr(row, name) for name in FACTS) for row in rows}


def test_it_gives_todays_facts_when_asked_for_today():
    data = build_plan(size=2)

    live = (
        Commitment.objects.filter(plan=data.plan)
        .with_facts()
        .annotate(milestones_late=late_milestone_count())
    )
    past = asof.commitments(data.plan, TODAY)

    assert facts(past) == facts(live)


def test_it_reads_fields_relations_and_milestones_as_they_were():
    with time_machine.travel(JANUARY):
        commitment = CommitmentFactory(title_fr="Janvier")
        milestone = MilestoneFactory(commitment=commitment)
    with one_version(commitment):
        commitment.title_fr = "Septembre"
        commitment.save()
    milestone.status = Milestone.Status.DONE
    milestone.completed_on = TODAY
    milestone.save()

    past = asof.commitments(commitment.plan, datetime.date(2022, 1, 31)).get()
    past_milestones = list(asof.milestones(datetime.date(2022, 1, 31)))

    assert isinstance(past, Commitment)
    assert past.title == "Janvier"
    assert past.milestones_done == 0
    assert [m.status for m in past_milestones] == [Milestone.Status.NOT_STARTED]
    assert isinstance(past_milestones[0], Milestone)


def test_it_counts_only_updates_recorded_by_the_end_of_the_day():
    with time_machine.travel(JANUARY):
        commitment = CommitmentFactory()
        ProgressUpdateFactory(commitment=commitment, percentage=20)
    ProgressUpdateFactory(commitment=commitment, percentage=80)

    january = asof.commitments(commitment.plan, datetime.date(2022, 1, 10)).get()
    today = asof.commitments(commitment.plan, TODAY).get()

    assert january.current_percentage == 20
    assert today.current_percentage == 80


def test_it_leaves_out_what_did_not_exist_yet_or_was_deleted():
    with time_machine.travel(JANUARY):
        kept = CommitmentFactory()
        deleted = CommitmentFactory(plan=kept.plan)
    CommitmentFactory(plan=kept.plan)
    deleted_pk = deleted.pk
    deleted.delete()

    january = asof.commitments(kept.plan, datetime.date(2022, 1, 31))
    today = asof.commitments(kept.plan, TODAY)
    before = asof.commitments(kept.plan, datetime.date(2020, 1, 1))

    assert sorted(c.pk for c in january) == sorted([kept.pk, deleted_pk])
    assert len(today) == 2
    assert deleted_pk not in [c.pk for c in today]
    assert list(before) == []


def test_it_judges_lateness_on_the_chosen_day():
    with time_machine.travel(JANUARY):
        commitment = CommitmentFactory(
            end=datetime.date(2030, 1, 1), end_precision="month"
        )
        MilestoneFactory(commitment=commitment, planned_end=datetime.date(2022, 6, 30))

    may = asof.commitments(commitment.plan, datetime.date(2022, 5, 31)).get()
    july = asof.commitments(commitment.plan, datetime.date(2022, 7, 1)).get()

    assert may.is_late is False
    assert july.is_late is True


@pytest.mark.parametrize(
    ("end", "precision", "day", "late"),
    [
        (datetime.date(2022, 6, 1), "month", datetime.date(2022, 6, 30), False),
        (datetime.date(2022, 6, 1), "month", datetime.date(2022, 7, 1), True),
        (datetime.date(2022, 6, 1), "season", datetime.date(2022, 8, 31), False),
        (datetime.date(2022, 6, 1), "season", datetime.date(2022, 9, 1), True),
        (datetime.date(2022, 1, 1), "year", datetime.date(2022, 12, 31), False),
        (datetime.date(2022, 1, 1), "year", datetime.date(2023, 1, 1), True),
        (datetime.date(2022, 6, 15), "day", datetime.date(2022, 6, 15), False),
        (datetime.date(2022, 6, 15), "day", datetime.date(2022, 6, 16), True),
    ],
)
def test_it_reads_the_end_of_a_partial_date_like_the_live_facts(
    end, precision, day, late
):
    with time_machine.travel(JANUARY):
        commitment = CommitmentFactory(end=end, end_precision=precision)

    past = asof.commitments(commitment.plan, day).get()
    live = Commitment.objects.with_facts(today=day).get(pk=commitment.pk)

    assert past.is_late is late
    assert live.is_late is late


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("2022-06-30", True),
        ("2022-02-30", False),
        ("yesterday", False),
        ("22-06-30", False),
        ("2030-01-01", False),
        ("0001-01-01", False),
        ("1899-12-31", False),
        ("", None),
    ],
)
def test_it_reads_the_date_parameter_strictly(value, accepted):
    day, errors = asof.read_as_of({"as_of": value})

    if accepted is None:
        assert (day, errors) == (None, [])
    elif accepted:
        assert day == datetime.date(2022, 6, 30)
        assert errors == []
    else:
        assert day is None
        assert errors


@pytest.mark.parametrize(
    "path", ["/fr/plans/{plan}/commitments/", "/fr/plans/{plan}/commitments/{ref}/"]
)
def test_a_date_in_year_one_is_ignored_with_a_message(client, path):
    commitment = build_plan().commitments[0]
    address = path.format(plan=commitment.plan.slug, ref=commitment.reference)

    response = client.get(address, {"as_of": "0001-01-01"})

    assert response.status_code == 200
    assert response.context["as_of"] is None
