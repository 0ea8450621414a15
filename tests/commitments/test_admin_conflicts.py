"""Two people editing the same object: the second, stale save is refused."""

import pytest

from commitments.models import ActionPlan, Commitment, Milestone
from tests.commitments.admin_client import admin_url, form_data
from tests.factories import CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment(ministry):
    return CommitmentFactory(title_fr="Titre d'origine", lead_institutions=[ministry])


def open_form(client, user, name: str, obj) -> dict:
    client.force_login(user)
    return form_data(client.get(admin_url(f"{name}_change", obj.pk)))


def post_form(client, user, name: str, obj, data: dict):
    client.force_login(user)
    return client.post(admin_url(f"{name}_change", obj.pk), data)


def test_it_refuses_a_stale_commitment_form_and_saves_nothing(
    client, editor, coordinator, commitment
):
    stale = open_form(client, editor, "commitment", commitment)
    fresh = open_form(client, coordinator, "commitment", commitment)
    post_form(client, coordinator, "commitment", commitment, {**fresh, "title_fr": "A"})
    rows = commitment.history.count()

    response = post_form(
        client, editor, "commitment", commitment, {**stale, "summary_fr": "B"}
    )

    assert response.status_code == 409
    assert "Rechargez la page" in response.content.decode() or "Reload the page" in (
        response.content.decode()
    )
    commitment.refresh_from_db()
    assert (commitment.title_fr, commitment.summary_fr) == ("A", "")
    assert commitment.version == 2
    assert commitment.history.count() == rows


def test_it_names_the_way_out_in_the_conflict_message(
    client, editor, coordinator, commitment
):
    stale = open_form(client, editor, "commitment", commitment)
    fresh = open_form(client, coordinator, "commitment", commitment)
    post_form(client, coordinator, "commitment", commitment, {**fresh, "title_fr": "A"})

    response = post_form(
        client, editor, "commitment", commitment, {**stale, "title_fr": "B"}
    )

    errors = response.context["adminform"].form.non_field_errors()
    assert errors.as_data()[0].code == "conflict"
    assert "Reload the page" in str(errors) or "Rechargez" in str(errors)


def test_it_saves_after_the_page_is_reloaded(client, editor, coordinator, commitment):
    stale = open_form(client, editor, "commitment", commitment)
    fresh = open_form(client, coordinator, "commitment", commitment)
    post_form(client, coordinator, "commitment", commitment, {**fresh, "title_fr": "A"})
    post_form(client, editor, "commitment", commitment, {**stale, "title_fr": "B"})

    reloaded = open_form(client, editor, "commitment", commitment)
    response = post_form(
        client, editor, "commitment", commitment, {**reloaded, "title_fr": "B"}
    )

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.title_fr, commitment.version) == ("B", 3)


def test_it_refuses_a_stale_relation_change(
    client, editor, coordinator, commitment, other_ministry
):
    stale = open_form(client, editor, "commitment", commitment)
    fresh = open_form(client, coordinator, "commitment", commitment)
    post_form(client, coordinator, "commitment", commitment, {**fresh, "title_fr": "A"})

    response = post_form(
        client,
        editor,
        "commitment",
        commitment,
        {**stale, "partners": [str(other_ministry.pk)]},
    )

    assert response.status_code == 409
    assert commitment.partners.count() == 0


def test_it_refuses_a_form_without_its_version(client, editor, commitment):
    data = open_form(client, editor, "commitment", commitment)
    del data["base_version"]

    response = post_form(
        client, editor, "commitment", commitment, {**data, "title_fr": "B"}
    )

    assert response.status_code == 409
    commitment.refresh_from_db()
    assert commitment.title_fr == "Titre d'origine"


def test_it_saves_a_commitment_whose_milestone_changed_out_of_the_form(
    client, editor, coordinator, commitment
):
    # The inline does not show deliverables: someone else's change to one
    # neither blocks the save nor is overwritten by it.
    milestone = MilestoneFactory(commitment=commitment)
    stale = open_form(client, editor, "commitment", commitment)
    fresh = open_form(client, coordinator, "milestone", milestone)
    post_form(
        client, coordinator, "milestone", milestone, {**fresh, "deliverable": "Rapport"}
    )

    response = post_form(
        client, editor, "commitment", commitment, {**stale, "title_fr": "B"}
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.deliverable, milestone.version) == ("Rapport", 2)
    assert Commitment.objects.get(pk=commitment.pk).title_fr == "B"


def test_it_refuses_a_stale_milestone_that_would_undo_someone_elses_change(
    client, editor, coordinator, commitment
):
    milestone = MilestoneFactory(commitment=commitment)
    stale = open_form(client, editor, "commitment", commitment)
    fresh = open_form(client, coordinator, "milestone", milestone)
    post_form(client, coordinator, "milestone", milestone, {**fresh, "status": "done"})

    response = post_form(
        client, editor, "commitment", commitment, {**stale, "title_fr": "B"}
    )

    assert response.status_code == 409
    assert Milestone.objects.get(pk=milestone.pk).status == "done"


def test_it_refuses_a_stale_milestone_in_the_commitment_form(
    client, editor, coordinator, commitment
):
    milestone = MilestoneFactory(commitment=commitment)
    stale = open_form(client, editor, "commitment", commitment)
    fresh = open_form(client, coordinator, "milestone", milestone)
    post_form(client, coordinator, "milestone", milestone, {**fresh, "status": "done"})

    response = post_form(
        client,
        editor,
        "commitment",
        commitment,
        {**stale, "title_fr": "B", "milestones-0-status": "in_progress"},
    )

    assert response.status_code == 409
    commitment.refresh_from_db()
    milestone.refresh_from_db()
    assert (commitment.title_fr, milestone.status) == ("Titre d'origine", "done")


def test_it_refuses_a_stale_milestone_form(client, editor, coordinator, commitment):
    milestone = MilestoneFactory(commitment=commitment)
    stale = open_form(client, editor, "milestone", milestone)
    client.force_login(coordinator)
    client.post(
        admin_url("milestone_changelist"),
        {"action": "mark_milestones_done", "_selected_action": [milestone.pk]},
    )

    response = post_form(
        client, editor, "milestone", milestone, {**stale, "status": "in_progress"}
    )

    assert response.status_code == 409
    assert Milestone.objects.get(pk=milestone.pk).status == "done"


def test_it_refuses_a_stale_plan_form(client, coordinator, commitment):
    plan = commitment.plan
    stale = open_form(client, coordinator, "actionplan", plan)
    post_form(client, coordinator, "actionplan", plan, {**stale, "title_fr": "A"})

    response = post_form(
        client, coordinator, "actionplan", plan, {**stale, "title_fr": "B"}
    )

    assert response.status_code == 409
    assert ActionPlan.objects.get(pk=plan.pk).title_fr == "A"


def test_it_bumps_the_version_once_per_real_save(client, editor, commitment):
    for title in ("A", "B"):
        data = open_form(client, editor, "commitment", commitment)
        post_form(client, editor, "commitment", commitment, {**data, "title_fr": title})

    assert Commitment.objects.get(pk=commitment.pk).version == 3


def test_it_keeps_the_version_out_of_the_form_fields(client, editor, commitment):
    client.force_login(editor)

    response = client.get(admin_url("commitment_change", commitment.pk))

    form = response.context["adminform"].form
    assert "version" not in form.fields
    assert form["base_version"].value() == 1
    assert 'name="base_version"' in response.content.decode()
