"""Other names of institutions and sources: lists of texts, typed one per line."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from commitments.importer import import_file
from commitments.models import ActionPlan, Commitment, Institution
from tests.commitments.admin_client import admin_url, form_data
from tests.factories import ActionPlanFactory, CommitmentFactory, InstitutionFactory

pytestmark = pytest.mark.django_db

# What a tester typed as raw JSON, which broke every later import.
BAD_LISTS = [5, [1, None], [["x"]], {"a": 1}, "DINUM", [""], ["  "], ["A\x00"]]
PLAN_YAML = """
plan:
  slug: test-plan
  title_fr: Plan de test
commitments:
- number: 1
  title_fr: Premier engagement
  lead_institutions: [{name}]
"""


def plan_naming(name: str) -> bytes:
    return PLAN_YAML.format(name=name).encode()


def post_institution(client, user, institution, aliases: str):
    client.force_login(user)
    url = admin_url("institution_change", institution.pk)
    data = form_data(client.get(url))
    data["aliases"] = aliases
    return client.post(url, data)


# The back-office form --------------------------------------------------------


def test_it_shows_other_names_one_per_line(client, coordinator, ministry):
    ministry.aliases = ["MinA", "Ministère de l’A"]
    ministry.save()
    client.force_login(coordinator)

    response = client.get(admin_url("institution_change", ministry.pk))

    form = response.context["adminform"].form
    assert form["aliases"].value() == "MinA\nMinistère de l’A"


def test_it_saves_other_names_typed_one_per_line(client, coordinator, ministry):
    typed = "  MinA \r\n\r\nMinistère de l’A\n   \n"

    response = post_institution(client, coordinator, ministry, typed)

    assert response.status_code == 302
    ministry.refresh_from_db()
    assert ministry.aliases == ["MinA", "Ministère de l’A"]


def test_it_saves_no_other_names_when_the_field_is_emptied(
    client, coordinator, ministry
):
    ministry.aliases = ["MinA"]
    ministry.save()

    response = post_institution(client, coordinator, ministry, "")

    assert response.status_code == 302
    ministry.refresh_from_db()
    assert ministry.aliases == []


@pytest.mark.parametrize("typed", ["5", "[1, null]", '[["x"]]', '{"a":1}', "null"])
def test_it_keeps_what_staff_type_as_names_and_imports_still_work(
    client, coordinator, ministry, typed
):
    response = post_institution(client, coordinator, ministry, typed)
    import_file("plan.yaml", plan_naming("Ministère A"))

    assert response.status_code == 302
    ministry.refresh_from_db()
    assert ministry.aliases == [typed]
    assert list(Commitment.objects.get().lead_institutions.all()) == [ministry]
    assert Institution.objects.count() == 1


def test_it_refuses_other_names_with_a_nul_character(
    client, coordinator, ministry, back_office_in_english
):
    ministry.aliases = ["MinA"]
    ministry.save()

    response = post_institution(client, coordinator, ministry, "MinA\nMin\x00B")

    assert response.status_code == 400
    assert response.context["adminform"].form.errors["aliases"] == [
        "Null characters are not allowed."
    ]
    ministry.refresh_from_db()
    assert ministry.aliases == ["MinA"]


def test_it_saves_sources_typed_one_per_line(client, coordinator):
    plan = ActionPlanFactory()
    client.force_login(coordinator)
    url = admin_url("actionplan_change", plan.pk)
    data = form_data(client.get(url))
    data["sources"] = "https://example.org/plan.pdf\nRapport du MRI, 2023\n"

    response = client.post(url, data)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.sources == ["https://example.org/plan.pdf", "Rapport du MRI, 2023"]


# The models ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (InstitutionFactory, "aliases"),
        (ActionPlanFactory, "sources"),
        (CommitmentFactory, "sources"),
    ],
)
@pytest.mark.parametrize("value", BAD_LISTS)
def test_the_model_refuses_anything_but_a_list_of_texts(factory, field, value):
    obj = factory()
    setattr(obj, field, value)

    with pytest.raises(ValidationError) as refusal:
        obj.full_clean()

    assert list(refusal.value.message_dict) == [field]


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (InstitutionFactory, "aliases"),
        (ActionPlanFactory, "sources"),
        (CommitmentFactory, "sources"),
    ],
)
@pytest.mark.parametrize("empty", [None, "", {}])
def test_the_model_stores_no_value_as_an_empty_list(factory, field, empty):
    obj = factory()
    setattr(obj, field, empty)

    obj.full_clean()
    obj.save()

    obj.refresh_from_db()
    assert getattr(obj, field) == []


def test_the_model_names_the_item_that_is_not_a_text(in_english, ministry):
    ministry.aliases = ["MinA", 2]

    with pytest.raises(ValidationError) as refusal:
        ministry.full_clean()

    assert refusal.value.message_dict["aliases"] == [
        "Item 2 is not a text, or is empty."
    ]


# Imports with lists stored before they were checked ----------------------------


@pytest.mark.parametrize(
    "stored", [5, [1, None, "MinA"], [["x"], "MinA"], {"a": 1}, "MinA"]
)
def test_an_import_skips_stored_other_names_that_are_not_text(
    in_english, ministry, stored
):
    Institution.objects.filter(pk=ministry.pk).update(aliases=stored)

    import_file("plan.yaml", plan_naming("Ministère A"))

    assert list(Commitment.objects.get().lead_institutions.all()) == [ministry]
    assert Institution.objects.count() == 1


def test_an_import_still_matches_the_other_names_that_are_text(in_english, ministry):
    Institution.objects.filter(pk=ministry.pk).update(aliases=[1, None, "MinA"])

    import_file("plan.yaml", plan_naming("MinA"))

    assert list(Commitment.objects.get().lead_institutions.all()) == [ministry]


def test_the_import_page_previews_despite_bad_stored_other_names(
    client, coordinator, ministry
):
    Institution.objects.filter(pk=ministry.pk).update(aliases=[["x"], 5])
    client.force_login(coordinator)
    upload = SimpleUploadedFile("plan.yaml", plan_naming("Ministère A"))

    response = client.post(
        reverse("admin:commitments_actionplan_import"), {"file": upload}
    )

    assert response.status_code == 200
    assert not ActionPlan.objects.exists()


def test_the_import_command_runs_despite_bad_stored_other_names(
    tmp_path, in_english, ministry
):
    Institution.objects.filter(pk=ministry.pk).update(aliases=[["x"], 5])
    path = tmp_path / "plan.yaml"
    path.write_bytes(plan_naming("Ministère A"))

    call_command("import_plan", str(path))

    assert list(Commitment.objects.get().lead_institutions.all()) == [ministry]


def test_an_import_keeps_the_texts_of_bad_stored_sources(in_english):
    import_file("plan.yaml", plan_naming("Ministère A"))
    ActionPlan.objects.update(sources=[5, "https://example.org/plan", {"a": 1}])
    changed = plan_naming("Ministère A").replace(b"Plan de test", b"Plan revu")

    import_file("plan.yaml", changed)

    plan = ActionPlan.objects.get()
    assert (plan.title_fr, plan.sources) == ("Plan revu", ["https://example.org/plan"])


# Lists stored before they were checked -------------------------------------------


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        (5, []),
        ({"a": 1}, []),
        ("MinA", []),
        ([1, None, ["x"], "", "MinA"], ["MinA"]),
    ],
)
def test_a_stored_list_is_read_as_its_texts_only(ministry, stored, read):
    Institution.objects.filter(pk=ministry.pk).update(aliases=stored)

    ministry.refresh_from_db()

    assert ministry.aliases == read
    assert Institution.objects.values_list("aliases", flat=True).get() == read


def test_the_form_shows_the_texts_of_a_bad_stored_list(client, coordinator, ministry):
    Institution.objects.filter(pk=ministry.pk).update(aliases=[1, "MinA", ["x"]])
    client.force_login(coordinator)

    response = client.get(admin_url("institution_change", ministry.pk))

    assert response.context["adminform"].form["aliases"].value() == "MinA"


@pytest.mark.parametrize("stored", [5, {"a": 1}, [1, "https://example.org/a"]])
def test_the_commitment_page_shows_bad_stored_sources_without_failing(client, stored):
    commitment = CommitmentFactory()
    Commitment.objects.filter(pk=commitment.pk).update(sources=stored)
    address = f"/en/plans/{commitment.plan.slug}/commitments/{commitment.reference}/"

    response = client.get(address)

    assert response.status_code == 200
    shown = "https://example.org/a" in response.content.decode()
    assert shown == isinstance(stored, list)
