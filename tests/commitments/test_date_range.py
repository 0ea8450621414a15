"""Dates typed or imported in the commitments app stay between 1900 and 2199."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from commitments.importer import ImportFailed, import_file
from commitments.models import ActionPlan, Milestone, ProgressUpdate
from tests.commitments.admin_client import admin_url, form_data
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "Choose a date between Jan. 1, 1900 and Dec. 31, 2199."
TOO_EARLY = datetime.date(1899, 12, 31)
TOO_LATE = datetime.date(2200, 1, 1)
LAST_DAY = datetime.date(2199, 12, 31)


@pytest.fixture
def commitment(ministry):
    return CommitmentFactory(title_fr="Titre", lead_institutions=[ministry])


def post_change(client, user, name: str, obj, **changes):
    client.force_login(user)
    url = admin_url(f"{name}_change", obj.pk)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def field_errors(response, name: str) -> list[str]:
    return response.context["adminform"].form.errors.get(name, [])


# The back-office forms ---------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed"), [("start", "0001-01-01"), ("end", "2200-01-01")]
)
def test_it_refuses_a_plan_date_out_of_range(
    client, coordinator, back_office_in_english, field, typed
):
    plan = ActionPlanFactory()
    before = ActionPlan.objects.values().get(pk=plan.pk)

    response = post_change(client, coordinator, "actionplan", plan, **{field: typed})

    assert response.status_code == 400
    assert field_errors(response, field) == [OUT_OF_RANGE]
    assert ActionPlan.objects.values().get(pk=plan.pk) == before


def test_it_accepts_the_first_and_last_days_of_the_range(client, coordinator):
    plan = ActionPlanFactory()

    response = post_change(
        client, coordinator, "actionplan", plan, start="1900-01-01", end="2199-12-31"
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.start, plan.end) == (datetime.date(1900, 1, 1), LAST_DAY)


def test_it_names_the_range_in_french_by_default(client, coordinator):
    plan = ActionPlanFactory()

    response = post_change(client, coordinator, "actionplan", plan, start="0001-01-01")

    assert response.status_code == 400
    with translation.override("fr"):
        expected = (
            "Choisissez une date entre le 1er janvier 1900 et le 31 décembre 2199."
        )
        assert field_errors(response, "start") == [expected]


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("revised_due", "0001-01-01"),
        ("revised_due", "2200-01-01"),
        ("completed_on", "1899-12-31"),
    ],
)
def test_it_refuses_a_milestone_date_out_of_range(
    client, editor, commitment, back_office_in_english, field, typed
):
    milestone = MilestoneFactory(commitment=commitment)
    before = Milestone.objects.values().get(pk=milestone.pk)

    response = post_change(client, editor, "milestone", milestone, **{field: typed})

    assert response.status_code == 400
    assert field_errors(response, field) == [OUT_OF_RANGE]
    assert Milestone.objects.values().get(pk=milestone.pk) == before


@pytest.mark.parametrize(
    ("field", "typed"), [("planned_start", "0001-01-01"), ("planned_end", "2200-06-30")]
)
def test_it_refuses_new_planned_dates_out_of_range(
    client, editor, commitment, back_office_in_english, field, typed
):
    client.force_login(editor)
    url = admin_url("milestone_add")
    data = form_data(client.get(url))
    data.update(commitment=commitment.pk, title_fr="Nouveau jalon", **{field: typed})

    response = client.post(url, data)

    assert response.status_code == 400
    assert field_errors(response, field) == [OUT_OF_RANGE]
    assert not Milestone.objects.exists()


def test_it_refuses_a_milestone_date_out_of_range_in_the_commitment_form(
    client, editor, commitment
):
    milestone = MilestoneFactory(commitment=commitment)

    response = post_change(
        client,
        editor,
        "commitment",
        commitment,
        **{"milestones-0-revised_due": "0001-01-01"},
    )

    assert response.status_code == 400
    assert Milestone.objects.get(pk=milestone.pk).revised_due is None


def test_it_still_saves_a_milestone_whose_fixed_baseline_predates_the_check(
    client, editor, commitment
):
    milestone = MilestoneFactory(commitment=commitment)
    Milestone.objects.filter(pk=milestone.pk).update(
        planned_start=datetime.date(1, 1, 1)
    )

    response = post_change(
        client, editor, "milestone", milestone, revised_due="2022-12-31"
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.revised_due == datetime.date(2022, 12, 31)


def progress_post(commitment, institution, **overrides) -> dict:
    data = {
        "commitment": commitment.pk,
        "period_start": "2022-01-01",
        "period_end": "2022-06-30",
        "status": "in_progress",
        "percentage": "40",
        "author_institution": institution.pk,
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "period",
    [
        {"period_start": "0001-01-01"},
        {"period_start": "0001-01-01", "period_end": "0001-12-31"},
    ],
)
def test_it_refuses_a_reporting_period_out_of_range(
    client, editor, ministry, commitment, back_office_in_english, period
):
    client.force_login(editor)

    response = client.post(
        admin_url("progressupdate_add"), progress_post(commitment, ministry, **period)
    )

    assert response.status_code == 400
    for field in period:
        assert field_errors(response, field) == [OUT_OF_RANGE]
    assert not ProgressUpdate.objects.exists()


def test_it_still_refuses_a_reporting_period_that_ends_before_it_starts(
    client, editor, ministry, commitment, back_office_in_english
):
    client.force_login(editor)
    period = {"period_start": "2022-06-01", "period_end": "2022-05-31"}

    response = client.post(
        admin_url("progressupdate_add"), progress_post(commitment, ministry, **period)
    )

    assert response.status_code == 400
    assert field_errors(response, "period_end") == [
        "The reporting period ends before it starts."
    ]
    assert not ProgressUpdate.objects.exists()


# The models --------------------------------------------------------------------

DATE_FIELDS = [
    (ActionPlanFactory, "start"),
    (ActionPlanFactory, "end"),
    (CommitmentFactory, "start"),
    (CommitmentFactory, "end"),
    (MilestoneFactory, "planned_start"),
    (MilestoneFactory, "planned_end"),
    (MilestoneFactory, "revised_due"),
    (MilestoneFactory, "completed_on"),
    (ProgressUpdateFactory, "period_start"),
    (ProgressUpdateFactory, "period_end"),
]


def set_alone(obj, field: str, day: datetime.date) -> None:
    """Set one date so that only its range is wrong, not the order of a period."""
    for name in ("start", "end", "planned_start", "planned_end"):
        if hasattr(obj, name):
            setattr(obj, name, None)
    if isinstance(obj, ProgressUpdate):
        obj.period_start = obj.period_end = day
    setattr(obj, field, day)


@pytest.mark.parametrize(("factory", "field"), DATE_FIELDS)
@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), TOO_EARLY])
def test_the_model_refuses_every_date_before_1900(in_english, factory, field, day):
    obj = factory()
    set_alone(obj, field, day)

    with pytest.raises(ValidationError) as refusal:
        obj.full_clean()

    assert refusal.value.message_dict[field] == [OUT_OF_RANGE]


# Completion dates and reporting periods cannot lie in the future anyway.
@pytest.mark.parametrize(
    ("factory", "field"),
    [pair for pair in DATE_FIELDS if pair[1] not in {"completed_on", "period_end"}],
)
def test_the_model_refuses_every_date_after_2199(in_english, factory, field):
    obj = factory()
    set_alone(obj, field, TOO_LATE)

    with pytest.raises(ValidationError) as refusal:
        obj.full_clean()

    assert OUT_OF_RANGE in refusal.value.message_dict[field]


# Imports -----------------------------------------------------------------------

PLAN_YAML = """
plan:
  slug: test-plan
  title_fr: Plan de test
  start: {plan_start}
commitments:
- number: 1
  title_fr: Premier engagement
  end: {commitment_end}
  milestones:
  - title_fr: Jalon un
    start: {milestone_start}
    revised_due: {revised_due}
    completed_on: {completed_on}
"""
GOOD_DATES = {
    "plan_start": "2021-09",
    "commitment_end": "2023",
    "milestone_start": "2022 (hiver)",
    "revised_due": "2023-01-31",
    "completed_on": "2023-01-15",
}


def plan_file(**dates) -> bytes:
    return PLAN_YAML.format(**{**GOOD_DATES, **dates}).encode()


def test_an_import_accepts_dates_within_the_range(in_english):
    import_file("plan.yaml", plan_file(plan_start="1900-01", commitment_end="2199"))

    assert ActionPlan.objects.get().start == datetime.date(1900, 1, 1)


def test_an_import_refuses_every_date_out_of_range_and_writes_nothing(in_english):
    content = plan_file(
        plan_start="0001-01",
        commitment_end="2200",
        milestone_start="1899 (hiver)",
        revised_due="0001-01-01",
        completed_on="1899-12-31",
    )

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", content)

    place = "commitment 1 (no. 1), milestone 1"
    assert failure.value.errors == [
        "plan, field start: '0001-01' is out of range: write a date from 1900 to 2199.",
        "commitment 1 (no. 1), field end: '2200' is out of range: write a date "
        "from 1900 to 2199.",
        f"{place}, field start: '1899 (hiver)' is out of range: write a date "
        "from 1900 to 2199.",
        f"{place}, field revised_due: '0001-01-01' is out of range: write a "
        "date from 1900 to 2199.",
        f"{place}, field completed_on: '1899-12-31' is out of range: write a "
        "date from 1900 to 2199.",
    ]
    assert not ActionPlan.objects.exists()


def test_a_csv_import_names_the_row_of_a_date_out_of_range(in_english):
    import_file("plan.yaml", plan_file())
    content = (
        "plan;record;number;title_fr;start\n"
        "test-plan;commitment;1;Premier engagement;0001-01-01\n"
    )

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.csv", content.encode())

    assert failure.value.errors == [
        "row 2 (no. 1), field start: '0001-01-01' is out of range: write a date "
        "from 1900 to 2199."
    ]


def test_the_import_page_refuses_a_date_out_of_range(
    client, coordinator, back_office_in_english
):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("plan.yaml", plan_file(revised_due="0001-01-01"))

    response = client.post(
        reverse("admin:commitments_actionplan_import"), {"file": upload}
    )

    assert response.status_code == 400
    assert any("'0001-01-01' is out of range" in e for e in response.context["errors"])
    assert not ActionPlan.objects.exists()
