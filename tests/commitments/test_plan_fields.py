"""A plan's dates, country and slug: the back-office refuses what an import would."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from commitments.importer import ImportFailed, import_file
from commitments.models import ActionPlan, Institution, PolicyArea
from tests.commitments.admin_client import admin_url, form_data
from tests.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return ActionPlanFactory(slug="fr-2021-2023", country="FR")


def post_plan(client, user, plan, **changes):
    client.force_login(user)
    url = admin_url("actionplan_change", plan.pk)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def field_errors(response, field: str) -> list[str]:
    return response.context["adminform"].form.errors.get(field, [])


def test_it_refuses_a_plan_that_ends_before_it_starts(
    client, coordinator, plan, back_office_in_english
):
    response = post_plan(
        client, coordinator, plan, start="2025-01-01", end="2024-01-01"
    )

    assert response.status_code == 400
    assert field_errors(response, "end") == ["The end comes before the start."]
    assert ActionPlan.objects.get(pk=plan.pk).start == datetime.date(2021, 9, 1)


def test_it_says_so_in_french_by_default(client, coordinator, plan):
    response = post_plan(
        client, coordinator, plan, start="2025-01-01", end="2024-01-01"
    )

    assert field_errors(response, "end") == ["La fin précède le début."]


def test_it_accepts_an_end_within_the_year_the_plan_starts(client, coordinator, plan):
    response = post_plan(
        client,
        coordinator,
        plan,
        start="2025-03-01",
        start_precision="month",
        end="2025-01-01",
        end_precision="year",
    )

    assert response.status_code == 302
    assert ActionPlan.objects.get(pk=plan.pk).end == datetime.date(2025, 1, 1)


@pytest.mark.parametrize("country", ["fr", "1\u200b", "F", "F1", "É"])
def test_it_refuses_a_country_that_is_not_a_capital_two_letter_code(
    client, coordinator, plan, back_office_in_english, country
):
    response = post_plan(client, coordinator, plan, country=country)

    assert response.status_code == 400
    assert any("such as FR" in error for error in field_errors(response, "country"))
    assert ActionPlan.objects.get(pk=plan.pk).country == "FR"


def test_it_accepts_another_country_code(client, coordinator, plan):
    response = post_plan(client, coordinator, plan, country="DE")

    assert response.status_code == 302
    assert ActionPlan.objects.get(pk=plan.pk).country == "DE"


@pytest.mark.parametrize(
    "slug", ["ABC", "Fr-2021", "-abc", "abc-", "a--b", "a_", "t_under"]
)
def test_it_refuses_a_plan_slug_the_importer_would_refuse(
    client, coordinator, plan, back_office_in_english, slug
):
    response = post_plan(client, coordinator, plan, slug=slug)

    assert response.status_code == 400
    errors = field_errors(response, "slug")
    assert any("lower-case letters without accents" in error for error in errors)
    assert ActionPlan.objects.get(pk=plan.pk).slug == "fr-2021-2023"


@pytest.mark.parametrize(
    ("model", "name"), [(Institution, "institution"), (PolicyArea, "policyarea")]
)
def test_it_refuses_upper_case_slugs_of_other_objects_too(
    client, coordinator, back_office_in_english, model, name
):
    client.force_login(coordinator)
    url = admin_url(f"{name}_add")
    data = form_data(client.get(url))
    data.update(slug="ABC", name_fr="Nom", name_en="Name")

    response = client.post(url, data)

    assert response.status_code == 400
    errors = field_errors(response, "slug")
    assert any("lower-case letters without accents" in error for error in errors)
    assert not model.objects.filter(slug__iexact="abc").exists()


def test_the_import_refuses_a_country_it_would_store_otherwise(in_english):
    text = "plan:\n  slug: test-plan\n  country: fr\n  title_fr: Plan\n"

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", text.encode())

    assert failure.value.errors == [
        "plan, field country: 'fr' is not a country code such as FR."
    ]
    assert not ActionPlan.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("1000000000", "Ensure this value is less than or equal to 999999999."),
    ],
)
def test_it_counts_announced_commitments_from_one_as_an_import_does(
    client, coordinator, plan, back_office_in_english, value, message
):
    response = post_plan(client, coordinator, plan, announced_commitments=value)

    assert response.status_code == 400
    assert field_errors(response, "announced_commitments") == [message]
    assert ActionPlan.objects.get(pk=plan.pk).announced_commitments != int(value)


def test_it_numbers_commitments_from_one_as_an_import_does(plan):
    commitment = CommitmentFactory(plan=plan)
    commitment.number = 0

    with pytest.raises(ValidationError) as refusal:
        commitment.full_clean()

    assert "number" in refusal.value.message_dict
