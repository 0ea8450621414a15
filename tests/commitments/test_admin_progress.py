"""Recording progress in the back-office: always a new update, never an edit."""

from decimal import Decimal

import pytest

from commitments.models import REPORT_TEXT_LENGTH, ProgressUpdate
from tests.commitments.admin_client import admin_url, make_world
from tests.factories import CommitmentFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def progress_post(commitment, institution, **overrides) -> dict:
    data = {
        "commitment": commitment.pk,
        "period_start": "2022-01-01",
        "period_end": "2022-06-30",
        "status": "in_progress",
        "percentage": "40",
        "achievements": "Un prototype est en ligne.",
        "challenges": "Recrutement difficile.",
        "help_wanted": "on",
        "author_institution": institution.pk,
        "evidence-TOTAL_FORMS": "2",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
        "evidence-0-title": "Compte rendu",
        "evidence-0-url": "https://example.org/cr.pdf",
        "evidence-1-title": "",
        "evidence-1-url": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def world(ministry, other_ministry):
    return make_world(ministry, other_ministry)


def test_it_records_a_new_update_with_its_evidence(client, editor, ministry, world):
    commitment = world["own"]["commitment"]
    client.force_login(editor)

    response = client.post(
        admin_url("progressupdate_add"), progress_post(commitment, ministry)
    )

    assert response.status_code == 302
    assert response["Location"] == admin_url("commitment_change", commitment.pk)
    update = ProgressUpdate.objects.filter(commitment=commitment).first()
    assert update.author == editor
    assert update.author_institution == ministry
    assert update.percentage == Decimal("40")
    assert update.help_wanted is True
    assert [(e.title, e.url) for e in update.evidence.all()] == [
        ("Compte rendu", "https://example.org/cr.pdf")
    ]


def test_it_leaves_the_previous_update_untouched(client, editor, ministry, world):
    commitment = world["own"]["commitment"]
    previous = world["own"]["update"]
    client.force_login(editor)

    client.post(
        admin_url("progressupdate_add"),
        progress_post(commitment, ministry, percentage="90"),
    )

    assert commitment.updates.count() == 2
    previous.refresh_from_db()
    assert previous.percentage == Decimal("50")


def test_it_offers_only_the_editors_leading_institutions(
    client, editor, ministry, world
):
    commitment = world["own"]["commitment"]
    partner_of_editor = InstitutionFactory()
    partner_of_editor.members.add(editor)
    client.force_login(editor)

    response = client.get(
        admin_url("progressupdate_add") + f"?commitment={commitment.pk}"
    )

    form = response.context["adminform"].form
    assert list(form.fields["author_institution"].queryset) == [ministry]
    assert form.initial["author_institution"] == ministry.pk


def test_it_offers_coordinators_every_lead_institution(
    client, coordinator, ministry, other_ministry
):
    commitment = CommitmentFactory(lead_institutions=[ministry, other_ministry])
    client.force_login(coordinator)

    response = client.get(
        admin_url("progressupdate_add") + f"?commitment={commitment.pk}"
    )

    choices = response.context["adminform"].form.fields["author_institution"]
    assert set(choices.queryset) == {ministry, other_ministry}


def test_it_refuses_an_institution_that_does_not_lead_the_commitment(
    client, coordinator, other_ministry, world
):
    commitment = world["own"]["commitment"]
    client.force_login(coordinator)

    response = client.post(
        admin_url("progressupdate_add"), progress_post(commitment, other_ministry)
    )

    assert response.status_code == 400
    assert "author_institution" in response.context["adminform"].form.errors
    assert commitment.updates.count() == 1


def test_it_refuses_a_report_on_another_institutions_commitment(
    client, editor, ministry, world
):
    other = world["other"]["commitment"]
    client.force_login(editor)

    response = client.post(
        admin_url("progressupdate_add"), progress_post(other, ministry)
    )

    assert response.status_code == 400
    assert "secret other" not in response.content.decode()
    assert other.updates.count() == 1


def test_it_does_not_name_another_institutions_commitment_in_the_add_form(
    client, editor, world
):
    other = world["other"]["commitment"]
    client.force_login(editor)

    response = client.get(admin_url("progressupdate_add") + f"?commitment={other.pk}")

    assert response.status_code == 200
    assert "secret other" not in response.content.decode()


def test_it_shows_an_update_read_only_and_refuses_to_change_it(
    client, coordinator, world
):
    update = world["own"]["update"]
    client.force_login(coordinator)

    page = client.get(admin_url("progressupdate_change", update.pk))
    response = client.post(
        admin_url("progressupdate_change", update.pk),
        {"percentage": "99", "status": "completed"},
    )

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.percentage == Decimal("50")


def test_it_names_who_recorded_an_update_without_a_link_editors_cannot_open(
    client, editor, world
):
    update = world["own"]["update"]
    ProgressUpdate.objects.filter(pk=update.pk).update(author=editor)
    client.force_login(editor)

    page = client.get(admin_url("progressupdate_change", update.pk)).content.decode()

    assert editor.public_name in page
    assert "/admin/community/user/" not in page


def test_a_plan_import_button_shows_only_to_coordinators(client, editor, coordinator):
    client.force_login(editor)
    for_editor = client.get(admin_url("actionplan_changelist")).content.decode()
    client.force_login(coordinator)
    for_coordinator = client.get(admin_url("actionplan_changelist")).content.decode()

    assert admin_url("actionplan_import") not in for_editor
    assert admin_url("actionplan_import") in for_coordinator


def test_it_shows_the_updates_read_only_on_the_commitment(client, editor, world):
    commitment = world["own"]["commitment"]
    client.force_login(editor)

    response = client.get(admin_url("commitment_change", commitment.pk))

    updates = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is ProgressUpdate
    ][0]
    assert updates.has_change_permission is False
    assert updates.has_add_permission is False
    assert len(updates.formset.forms) == 1
    assert response.context["record_progress_url"].endswith(
        f"?commitment={commitment.pk}"
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("62,5", Decimal("62.5")), ("62.5", Decimal("62.5")), ("100", Decimal(100))],
)
def test_it_accepts_a_decimal_comma_or_dot(
    client, editor, ministry, world, typed, stored
):
    commitment = world["own"]["commitment"]
    client.force_login(editor)

    response = client.post(
        admin_url("progressupdate_add"),
        progress_post(commitment, ministry, percentage=typed),
    )

    assert response.status_code == 302
    assert commitment.updates.first().percentage == stored


@pytest.mark.parametrize(
    "typed",
    ["101", "-1", "abc", "62,55", "", "1e3", "1e2", "\u0665\u0660", "５０", "+50"],
)
def test_it_refuses_a_percentage_outside_0_to_100_or_not_a_number(
    client, editor, ministry, world, typed
):
    commitment = world["own"]["commitment"]
    client.force_login(editor)

    response = client.post(
        admin_url("progressupdate_add"),
        progress_post(commitment, ministry, percentage=typed),
    )

    assert response.status_code == 400
    assert response.context["adminform"].form.errors["percentage"]
    assert commitment.updates.count() == 1


def test_it_refuses_achievements_longer_than_a_report_needs(
    client, editor, ministry, world
):
    commitment = world["own"]["commitment"]
    client.force_login(editor)
    fields = progress_post(commitment, ministry)

    response = client.post(
        admin_url("progressupdate_add"),
        {**fields, "achievements": "x" * (REPORT_TEXT_LENGTH + 1)},
    )

    assert response.status_code == 400
    assert response.context["adminform"].form.errors["achievements"]
    assert commitment.updates.count() == 1


@pytest.mark.parametrize("text", ["abc\u202e", "\u200b"])
def test_it_refuses_a_report_text_that_shows_nothing_or_disguises_itself(
    client, editor, ministry, world, text
):
    commitment = world["own"]["commitment"]
    client.force_login(editor)
    fields = progress_post(commitment, ministry)

    response = client.post(
        admin_url("progressupdate_add"), {**fields, "achievements": text}
    )

    assert response.status_code == 400
    assert response.context["adminform"].form.errors["achievements"]
    assert commitment.updates.count() == 1


def test_it_explains_a_bad_percentage_in_french(client, editor, ministry, world):
    client.force_login(editor)

    response = client.post(
        admin_url("progressupdate_add"),
        progress_post(world["own"]["commitment"], ministry, percentage="101"),
    )

    assert "inférieure ou égale à 100" in response.content.decode()


def test_it_refuses_a_period_that_ends_before_it_starts(
    client, editor, ministry, world
):
    commitment = world["own"]["commitment"]
    client.force_login(editor)

    response = client.post(
        admin_url("progressupdate_add"),
        progress_post(commitment, ministry, period_end="2021-12-31"),
    )

    assert response.status_code == 400
    assert commitment.updates.count() == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "pas une adresse"])
def test_it_refuses_evidence_that_is_not_a_web_address(
    client, editor, ministry, world, url
):
    commitment = world["own"]["commitment"]
    client.force_login(editor)

    response = client.post(
        admin_url("progressupdate_add"),
        progress_post(commitment, ministry, **{"evidence-0-url": url}),
    )

    assert response.status_code == 400
    assert commitment.updates.count() == 1
