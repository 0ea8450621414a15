"""History from the back-office: one row per changed object, with field diffs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment, Milestone
from tests.commitments.admin_client import admin_url, form_data
from tests.factories import (
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    PolicyAreaFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("back_office_in_english")]


@pytest.fixture
def commitment(ministry):
    return CommitmentFactory(title_fr="Ancien titre", lead_institutions=[ministry])


def save_form(client, name: str, obj, **changes):
    """Open obj's change form, apply changes to what it shows, and post it."""
    url = admin_url(f"{name}_change", obj.pk)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def rows(obj) -> int:
    return type(obj).history.filter(id=obj.pk).count()


def test_it_records_one_row_with_the_user_for_a_single_save(
    client, coordinator, commitment
):
    before = rows(commitment)
    client.force_login(coordinator)

    response = save_form(client, "commitment", commitment, title_fr="Nouveau titre")

    assert response.status_code == 302
    assert rows(commitment) == before + 1
    latest = commitment.history.first()
    assert latest.history_user == coordinator
    assert latest.title_fr == "Nouveau titre"


def test_it_records_nothing_and_keeps_the_version_for_an_unchanged_save(
    client, coordinator, commitment
):
    before = rows(commitment)
    client.force_login(coordinator)

    response = save_form(client, "commitment", commitment)

    assert response.status_code == 302
    assert rows(commitment) == before
    commitment.refresh_from_db()
    assert commitment.version == 1


def test_it_records_fields_and_relations_changed_together_as_one_row(
    client, coordinator, commitment, other_ministry
):
    area = PolicyAreaFactory()
    before = rows(commitment)
    client.force_login(coordinator)

    response = save_form(
        client,
        "commitment",
        commitment,
        title_fr="Nouveau titre",
        lead_institutions=[
            str(i.pk) for i in (*commitment.lead_institutions.all(), other_ministry)
        ],
        policy_areas=[str(area.pk)],
    )

    assert response.status_code == 302
    assert rows(commitment) == before + 1
    latest = commitment.history.first()
    assert latest.history_user == coordinator
    assert {row.institution_id for row in latest.lead_institutions.all()} == {
        i.pk for i in commitment.lead_institutions.all()
    }
    assert [row.policyarea_id for row in latest.policy_areas.all()] == [area.pk]


def test_it_records_a_relation_change_alone_as_one_row(client, editor, commitment):
    partner = InstitutionFactory(name_fr="Association partenaire")
    before = rows(commitment)
    client.force_login(editor)

    response = save_form(client, "commitment", commitment, partners=[str(partner.pk)])

    assert response.status_code == 302
    assert rows(commitment) == before + 1
    assert commitment.history.first().history_user == editor
    commitment.refresh_from_db()
    assert commitment.version == 2


def test_it_records_an_inline_milestone_change_on_the_milestone_only(
    client, editor, commitment
):
    milestone = MilestoneFactory(commitment=commitment)
    commitment_rows, milestone_rows = rows(commitment), rows(milestone)
    client.force_login(editor)
    url = admin_url("commitment_change", commitment.pk)
    data = form_data(client.get(url))
    data["milestones-0-status"] = "in_progress"

    response = client.post(url, data)

    assert response.status_code == 302
    assert rows(commitment) == commitment_rows
    assert rows(milestone) == milestone_rows + 1
    assert milestone.history.first().history_user == editor
    milestone.refresh_from_db()
    assert (milestone.status, milestone.version) == ("in_progress", 2)


def test_it_records_one_row_per_milestone_marked_done_and_none_for_done_ones(
    client, editor, commitment
):
    open_ones = MilestoneFactory.create_batch(2, commitment=commitment)
    done = MilestoneFactory(commitment=commitment, status="done")
    before = {m.pk: rows(m) for m in (*open_ones, done)}
    client.force_login(editor)

    client.post(
        admin_url("milestone_changelist"),
        {
            "action": "mark_milestones_done",
            "_selected_action": [m.pk for m in (*open_ones, done)],
        },
    )

    for milestone in open_ones:
        assert rows(milestone) == before[milestone.pk] + 1
        latest = milestone.history.first()
        assert (latest.history_user, latest.status) == (editor, "done")
        assert latest.completed_on is not None
    assert rows(done) == before[done.pk]


def test_it_records_one_row_per_commitment_whose_status_changed(
    client, coordinator, ministry
):
    changing = CommitmentFactory.create_batch(2, lead_institutions=[ministry])
    unchanged = CommitmentFactory(status="completed")
    before = {c.pk: rows(c) for c in (*changing, unchanged)}
    client.force_login(coordinator)

    client.post(
        admin_url("commitment_changelist"),
        {
            "action": "set_status_completed",
            "_selected_action": [c.pk for c in (*changing, unchanged)],
        },
    )

    for commitment in changing:
        assert rows(commitment) == before[commitment.pk] + 1
        assert commitment.history.first().history_user == coordinator
        assert Commitment.objects.get(pk=commitment.pk).version == 2
    assert rows(unchanged) == before[unchanged.pk]
    assert Commitment.objects.get(pk=unchanged.pk).version == 1


def test_it_records_one_row_per_plan_unpublished(client, coordinator, commitment):
    plan = commitment.plan
    before = rows(plan)
    client.force_login(coordinator)

    client.post(
        admin_url("actionplan_changelist"),
        {"action": "unpublish_plans", "_selected_action": [plan.pk]},
    )

    assert rows(plan) == before + 1
    assert plan.history.first().is_published is False


def test_it_shows_before_and_after_of_fields_and_relations(
    client, coordinator, commitment, other_ministry
):
    client.force_login(coordinator)
    save_form(
        client,
        "commitment",
        commitment,
        title_fr="Nouveau titre",
        progress="62,5",
        partners=[str(other_ministry.pk)],
    )

    response = client.get(admin_url("commitment_history", commitment.pk))

    latest = response.context["page_obj"][0]
    changes = {
        change.label: (change.old, change.new) for change in latest.field_changes
    }
    assert changes == {
        "Title (French)": ("Ancien titre", "Nouveau titre"),
        "Declared progress (%)": ("0.0", "62.5"),
        "Partners": ("", "Ministry B"),
    }
    assert "Nouveau titre" in response.content.decode()


def test_it_shows_one_version_field_by_field(client, coordinator, commitment):
    client.force_login(coordinator)
    save_form(client, "commitment", commitment, title_fr="Nouveau titre")
    version = commitment.history.first()

    response = client.get(
        admin_url("commitment_simple_history", commitment.pk, version.history_id)
    )

    assert response.status_code == 200
    assert [(c.label, c.old, c.new) for c in response.context["changes"]] == [
        ("Title (French)", "Ancien titre", "Nouveau titre")
    ]


def test_it_records_a_new_commitment_with_its_relations_as_one_row(
    client, coordinator, ministry, other_ministry
):
    plan = CommitmentFactory().plan
    client.force_login(coordinator)
    data = form_data(client.get(admin_url("commitment_add")))
    data.update(
        plan=str(plan.pk),
        number="7",
        title_fr="Créé dans l'admin",
        lead_institutions=[str(ministry.pk)],
        partners=[str(other_ministry.pk)],
    )

    response = client.post(admin_url("commitment_add"), data)

    assert response.status_code == 302, response.context["errors"]
    created = Commitment.objects.get(title_fr="Créé dans l'admin")
    assert rows(created) == 1
    first = created.history.get()
    assert (first.history_type, first.history_user) == ("+", coordinator)
    version = client.get(
        admin_url("commitment_simple_history", created.pk, first.history_id)
    )
    changes = {c.label: c.new for c in version.context["changes"]}
    assert changes["Title (French)"] == "Créé dans l'admin"
    assert changes["Lead institutions"] == "Ministry A"
    assert changes["Partners"] == "Ministry B"


def test_it_refuses_to_revert_from_history(client, coordinator, commitment):
    client.force_login(coordinator)
    first = commitment.history.last()
    url = admin_url("commitment_simple_history", commitment.pk, first.history_id)

    response = client.post(url, {"title_fr": "Retour"})

    assert response.status_code == 405
    commitment.refresh_from_db()
    assert commitment.title_fr == "Ancien titre"


def test_it_refuses_a_version_of_another_object(client, coordinator, commitment):
    other = CommitmentFactory()
    client.force_login(coordinator)
    version = other.history.first().history_id

    response = client.get(
        admin_url("commitment_simple_history", commitment.pk, version)
    )

    assert response.status_code == 404


@pytest.mark.parametrize("version", ["abc", "99999"])
def test_it_answers_404_for_an_unknown_version(
    client, coordinator, commitment, version
):
    client.force_login(coordinator)

    response = client.get(
        admin_url("commitment_simple_history", commitment.pk, version)
    )

    assert response.status_code == 404


def test_it_lets_coordinators_read_a_deleted_commitments_history(
    client, coordinator, ministry
):
    commitment = CommitmentFactory(lead_institutions=[ministry])
    pk = commitment.pk
    commitment.delete()
    client.force_login(coordinator)

    response = client.get(admin_url("commitment_history", pk))

    assert response.status_code == 200


def test_it_hides_a_deleted_commitments_history_from_editors(client, editor, ministry):
    commitment = CommitmentFactory(lead_institutions=[ministry])
    pk = commitment.pk
    commitment.delete()
    client.force_login(editor)

    response = client.get(admin_url("commitment_history", pk))

    assert response.status_code == 404


def _history_queries(client, commitment) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url("commitment_history", commitment.pk))
    assert response.status_code == 200
    return len(queries)


def _add_versions(commitment, user, count: int) -> None:
    from commitments.versioning import one_version

    partner = InstitutionFactory()
    for index in range(count):
        with one_version(commitment, user=user):
            commitment.title_fr = f"Titre {index}"
            commitment.save()
            if index % 2:
                commitment.partners.add(partner)
            else:
                commitment.partners.remove(partner)


def test_it_reads_a_history_page_in_the_same_queries_at_ten_times_the_rows(
    client, coordinator, ministry
):
    small = CommitmentFactory(lead_institutions=[ministry])
    large = CommitmentFactory(lead_institutions=[ministry])
    _add_versions(small, coordinator, 3)
    _add_versions(large, coordinator, 30)
    client.force_login(coordinator)
    _history_queries(client, small)

    assert _history_queries(client, small) == 15
    assert _history_queries(client, large) == 15


def test_it_shows_milestone_history_with_the_slipped_date(client, editor, commitment):
    milestone = MilestoneFactory(commitment=commitment)
    client.force_login(editor)
    save_form(client, "milestone", milestone, revised_due="2022-09-30")

    response = client.get(admin_url("milestone_history", milestone.pk))

    changes = response.context["page_obj"][0].field_changes
    assert [c.label for c in changes] == ["Revised due date"]
    assert Milestone.objects.get(pk=milestone.pk).version == 2
