"""Bad input in the back-office: a clear message and a 4xx, and nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment, Institution, Milestone
from tests.commitments.admin_client import admin_url, form_data
from tests.factories import CommitmentFactory, InstitutionFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment(ministry):
    return CommitmentFactory(title_fr="Titre", lead_institutions=[ministry])


def post_change(client, user, name: str, obj, **changes):
    client.force_login(user)
    url = admin_url(f"{name}_change", obj.pk)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_it_speaks_french_by_default(client, editor, commitment):
    client.force_login(editor)

    response = client.get(admin_url("commitment_change", commitment.pk))

    assert response.context["LANGUAGE_CODE"] == "fr"
    assert "Enregistrer" in response.content.decode()


def test_it_shows_percentages_with_a_decimal_comma(client, editor, commitment):
    commitment.progress = Decimal("62.5")
    commitment.save()
    client.force_login(editor)

    response = client.get(admin_url("commitment_change", commitment.pk))

    assert 'value="62,5"' in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("62,5", Decimal("62.5")), ("62.5", Decimal("62.5")), (" 40 % ", Decimal(40))],
)
def test_it_accepts_a_declared_progress_with_comma_or_dot(
    client, editor, commitment, typed, stored
):
    response = post_change(client, editor, "commitment", commitment, progress=typed)

    assert response.status_code == 302
    assert Commitment.objects.get(pk=commitment.pk).progress == stored


def test_it_accepts_a_decimal_comma_in_english_too(client, editor, commitment):
    client.cookies["django_language"] = "en"

    response = post_change(client, editor, "commitment", commitment, progress="7,5")

    assert response.status_code == 302
    assert Commitment.objects.get(pk=commitment.pk).progress == Decimal("7.5")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("progress", "150"),
        ("progress", "-3"),
        ("progress", "beaucoup"),
        ("progress", "12,34"),
        ("start", "2021-13-01"),
        ("end", "32/12/2021"),
        ("end", "2020-01-01"),
        ("status", "finished"),
        ("start_precision", "century"),
        ("start", "0001-01-01"),
        ("end", "2200-01-01"),
        ("sources", "https://example.org/plan.pdf\x00"),
    ],
)
def test_it_refuses_bad_commitment_input_and_keeps_the_commitment(
    client, editor, commitment, field, value
):
    before = Commitment.objects.values().get(pk=commitment.pk)

    response = post_change(client, editor, "commitment", commitment, **{field: value})

    assert response.status_code == 400
    assert response.context["errors"]
    assert Commitment.objects.values().get(pk=commitment.pk) == before


def test_it_refuses_a_duplicate_number_in_a_plan(client, coordinator, commitment):
    other = CommitmentFactory(plan=commitment.plan, number=commitment.number + 1)

    response = post_change(
        client, coordinator, "commitment", other, number=str(commitment.number)
    )

    assert response.status_code == 400
    assert Commitment.objects.get(pk=other.pk).number == commitment.number + 1


def test_it_refuses_a_duplicate_ogp_identifier(client, coordinator, commitment):
    holder = CommitmentFactory(ogp_id="FR0051")

    response = post_change(
        client, coordinator, "commitment", commitment, ogp_id="FR0051"
    )

    errors = response.context["adminform"].form.errors["ogp_id"]
    assert response.status_code == 400
    assert errors == [
        f"FR0051 appartient déjà à l’engagement {holder.reference} du plan "
        f"{holder.plan.slug}."
    ]
    assert Commitment.objects.get(pk=commitment.pk).ogp_id != "FR0051"


def test_it_refuses_a_revised_due_date_before_the_planned_start(
    client, editor, commitment
):
    milestone = MilestoneFactory(
        commitment=commitment,
        planned_start=datetime.date(2024, 2, 1),
        planned_start_precision="month",
        planned_end=datetime.date(2024, 6, 1),
    )

    response = post_change(
        client, editor, "milestone", milestone, revised_due="2023-01-01"
    )

    errors = response.context["adminform"].form.errors["revised_due"]
    assert response.status_code == 400
    assert errors == ["La nouvelle échéance précède le début prévu (février 2024)."]
    assert Milestone.objects.get(pk=milestone.pk).revised_due is None


def test_it_refuses_an_unknown_institution_kind(client, coordinator, ministry):
    response = post_change(client, coordinator, "institution", ministry, kind="planet")

    assert response.status_code == 400
    assert Institution.objects.get(pk=ministry.pk).kind == "ministry"


@pytest.mark.parametrize("object_id", ["abc", "99999", "1%00"])
def test_it_answers_404_for_unknown_ids(client, coordinator, commitment, object_id):
    client.force_login(coordinator)

    for view in ("change", "history", "delete"):
        response = client.get(f"/admin/commitments/commitment/{object_id}/{view}/")
        assert response.status_code == 404


def test_it_refuses_a_milestone_completed_in_the_future(client, editor, commitment):
    milestone = MilestoneFactory(commitment=commitment)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)

    response = post_change(
        client, editor, "milestone", milestone, completed_on=tomorrow.isoformat()
    )

    assert response.status_code == 400
    assert Milestone.objects.get(pk=milestone.pk).completed_on is None


# The baseline ----------------------------------------------------------------


def test_it_keeps_planned_dates_once_set(client, editor, commitment):
    milestone = MilestoneFactory(commitment=commitment)

    response = post_change(
        client,
        editor,
        "milestone",
        milestone,
        planned_start="2030-01-01",
        planned_end="2030-06-30",
        revised_due="2022-12-31",
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.planned_start == datetime.date(2022, 1, 1)
    assert milestone.planned_end == datetime.date(2022, 6, 30)
    assert milestone.revised_due == datetime.date(2022, 12, 31)
    assert milestone.due_date == datetime.date(2022, 12, 31)


def test_it_keeps_planned_dates_in_the_commitment_form_too(client, editor, commitment):
    milestone = MilestoneFactory(commitment=commitment)

    response = post_change(
        client,
        editor,
        "commitment",
        commitment,
        **{"milestones-0-planned_end": "2030-06-30"},
    )

    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).planned_end == datetime.date(
        2022, 6, 30
    )


def test_it_lets_a_missing_planned_date_be_set_once(client, editor, commitment):
    milestone = MilestoneFactory(
        commitment=commitment, planned_start=None, planned_end=None
    )

    response = post_change(
        client, editor, "milestone", milestone, planned_end="2023-03-31"
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.planned_end == datetime.date(2023, 3, 31)
    form = client.get(admin_url("milestone_change", milestone.pk)).context["adminform"]
    assert form.form.fields["planned_end"].disabled


# Query counts ------------------------------------------------------------------


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url("commitment_changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("role", "expected"), [("coordinator", 11), ("editor", 13)])
def test_it_lists_commitments_in_the_same_queries_at_ten_times_the_data(
    client, request, ministry, role, expected
):
    client.force_login(request.getfixturevalue(role))
    partner = InstitutionFactory()

    def add_commitments(count):
        for _ in range(count):
            commitment = CommitmentFactory(lead_institutions=[ministry, partner])
            MilestoneFactory(commitment=commitment)

    add_commitments(3)
    _changelist_queries(client)
    small = _changelist_queries(client)
    add_commitments(27)
    large = _changelist_queries(client)

    assert (small, large) == (expected, expected)
