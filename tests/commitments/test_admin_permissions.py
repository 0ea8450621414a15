"""Who may open which back-office page: each role against each admin address."""

import pytest
from django.urls import reverse

from commitments.models import ActionPlan, Commitment, Milestone, Status
from tests.commitments.admin_client import admin_url, make_world

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "editor", "other_editor", "moderator", "citizen"]

LOGIN = 302
SEES_OWN = {
    "coordinator": 200,
    "editor": 200,
    "other_editor": 404,
    "moderator": 403,
    "citizen": LOGIN,
}
SEES_OTHER = {**SEES_OWN, "editor": 404, "other_editor": 200}
ANY_STAFF = {**SEES_OWN, "other_editor": 200}
COORDINATOR_ONLY = {**SEES_OWN, "editor": 403, "other_editor": 403}
NOBODY = {**COORDINATOR_ONLY, "coordinator": 403}


def _latest_version(obj) -> int:
    return obj.history.first().history_id


def _autocomplete(model_name: str, field_name: str) -> str:
    query = f"app_label=commitments&model_name={model_name}&field_name={field_name}"
    return f"{reverse('admin:autocomplete')}?{query}&term="


def _per_side(model: str, view: str, own: dict, other: dict) -> list:
    """Return the two cases of a view on the own and the other institution's object."""
    return [
        (
            f"{model} {view} own",
            lambda world, m=model, v=view: _object_url(world["own"], m, v),
            own,
        ),
        (
            f"{model} {view} other",
            lambda world, m=model, v=view: _object_url(world["other"], m, v),
            other,
        ),
    ]


def _object_url(side: dict, model: str, view: str) -> str:
    key = {"actionplan": "plan", "progressupdate": "update"}.get(model, model)
    obj = side[key]
    if view == "history-diff":
        return admin_url(f"{model}_simple_history", obj.pk, _latest_version(obj))
    return admin_url(f"{model}_{view}", obj.pk)


CASES = [
    ("commitment changelist", lambda w: admin_url("commitment_changelist"), ANY_STAFF),
    ("commitment add", lambda w: admin_url("commitment_add"), COORDINATOR_ONLY),
    *_per_side("commitment", "change", SEES_OWN, SEES_OTHER),
    *_per_side("commitment", "delete", COORDINATOR_ONLY, COORDINATOR_ONLY),
    *_per_side("commitment", "history", SEES_OWN, SEES_OTHER),
    *_per_side("commitment", "history-diff", SEES_OWN, SEES_OTHER),
    (
        "commitment autocomplete",
        lambda w: _autocomplete("milestone", "commitment"),
        ANY_STAFF,
    ),
    ("milestone changelist", lambda w: admin_url("milestone_changelist"), ANY_STAFF),
    ("milestone add", lambda w: admin_url("milestone_add"), ANY_STAFF),
    *_per_side("milestone", "change", SEES_OWN, SEES_OTHER),
    *_per_side("milestone", "delete", COORDINATOR_ONLY, COORDINATOR_ONLY),
    *_per_side("milestone", "history", SEES_OWN, SEES_OTHER),
    *_per_side("milestone", "history-diff", SEES_OWN, SEES_OTHER),
    (
        "progress changelist",
        lambda w: admin_url("progressupdate_changelist"),
        ANY_STAFF,
    ),
    ("progress add", lambda w: admin_url("progressupdate_add"), ANY_STAFF),
    (
        "progress add for a commitment",
        lambda w: (
            admin_url("progressupdate_add")
            + f"?commitment={w['other']['commitment'].pk}"
        ),
        ANY_STAFF,
    ),
    *_per_side("progressupdate", "change", SEES_OWN, SEES_OTHER),
    *_per_side("progressupdate", "delete", NOBODY, NOBODY),
    *_per_side("progressupdate", "history", SEES_OWN, SEES_OTHER),
    ("plan changelist", lambda w: admin_url("actionplan_changelist"), ANY_STAFF),
    ("plan add", lambda w: admin_url("actionplan_add"), COORDINATOR_ONLY),
    *_per_side("actionplan", "change", SEES_OWN, SEES_OTHER),
    *_per_side("actionplan", "delete", COORDINATOR_ONLY, COORDINATOR_ONLY),
    *_per_side("actionplan", "history", SEES_OWN, SEES_OTHER),
    *_per_side("actionplan", "history-diff", SEES_OWN, SEES_OTHER),
    (
        "institution changelist",
        lambda w: admin_url("institution_changelist"),
        ANY_STAFF,
    ),
    ("institution add", lambda w: admin_url("institution_add"), COORDINATOR_ONLY),
    (
        "institution change",
        lambda w: admin_url(
            "institution_change", w["own"]["commitment"].lead_institutions.get().pk
        ),
        ANY_STAFF,
    ),
    (
        "institution delete",
        lambda w: admin_url(
            "institution_delete", w["own"]["commitment"].lead_institutions.get().pk
        ),
        COORDINATOR_ONLY,
    ),
    (
        "institution history",
        lambda w: admin_url(
            "institution_history", w["own"]["commitment"].lead_institutions.get().pk
        ),
        ANY_STAFF,
    ),
    (
        "institution autocomplete",
        lambda w: _autocomplete("commitment", "partners"),
        ANY_STAFF,
    ),
]

# What each role must never read, whatever the page.
SECRETS = {
    "coordinator": [],
    "editor": ["secret other"],
    "other_editor": ["secret own"],
    "moderator": ["secret own", "secret other"],
    "citizen": ["secret own", "secret other"],
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("case", "url_of", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_it_answers_each_role_as_its_rights_allow(
    client, request, ministry, other_ministry, role, case, url_of, expected
):
    world = make_world(ministry, other_ministry)
    client.force_login(request.getfixturevalue(role))

    response = client.get(url_of(world))

    assert response.status_code == expected[role]
    if response.status_code == LOGIN:
        assert reverse("admin:login") in response["Location"]
    content = response.content.decode()
    for secret in SECRETS[role]:
        assert secret not in content


def test_it_lists_only_the_editors_commitments(
    client, editor, ministry, other_ministry
):
    world = make_world(ministry, other_ministry)
    client.force_login(editor)

    response = client.get(admin_url("commitment_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world["own"]["commitment"]]


def test_it_offers_only_the_editors_commitments_in_a_lookup_popup(
    client, editor, ministry, other_ministry
):
    world = make_world(ministry, other_ministry)
    client.force_login(editor)

    response = client.get(admin_url("commitment_changelist") + "?_to_field=id&_popup=1")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [world["own"]["commitment"]]
    assert "secret other" not in response.content.decode()


def test_it_completes_only_the_editors_commitments(
    client, editor, ministry, other_ministry
):
    world = make_world(ministry, other_ministry)
    client.force_login(editor)

    response = client.get(_autocomplete("milestone", "commitment") + "secret")

    ids = [result["id"] for result in response.json()["results"]]
    assert ids == [str(world["own"]["commitment"].pk)]


def test_it_refuses_changes_posted_on_another_institutions_commitment(
    client, editor, ministry, other_ministry
):
    world = make_world(ministry, other_ministry)
    other = world["other"]["commitment"]
    client.force_login(editor)

    response = client.post(
        admin_url("commitment_change", other.pk), {"title_fr": "Piraté"}
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.title_fr == "Engagement secret other"


def test_it_offers_only_the_editors_commitments_when_adding_a_milestone(
    client, editor, ministry, other_ministry
):
    world = make_world(ministry, other_ministry)
    client.force_login(editor)

    response = client.get(admin_url("milestone_add"))

    choices = response.context["adminform"].form.fields["commitment"].queryset
    assert list(choices) == [world["own"]["commitment"]]


def test_it_refuses_a_milestone_added_to_another_institutions_commitment(
    client, editor, ministry, other_ministry
):
    world = make_world(ministry, other_ministry)
    client.force_login(editor)
    count = Milestone.objects.count()

    response = client.post(
        admin_url("milestone_add"),
        {
            "commitment": world["other"]["commitment"].pk,
            "position": "1",
            "title_fr": "Intrus",
            "planned_start_precision": "day",
            "planned_end_precision": "day",
            "status": "not_started",
        },
    )

    assert response.status_code == 400
    assert "secret other" not in response.content.decode()
    assert Milestone.objects.count() == count


def test_it_hides_institution_members_from_editors(client, editor, ministry):
    client.force_login(editor)

    response = client.get(admin_url("institution_change", ministry.pk))

    assert "members" not in response.context["adminform"].form.fields
    assert "editor@example.org" not in response.content.decode()


def test_it_lets_coordinators_manage_institution_members(
    client, coordinator, editor, ministry
):
    client.force_login(coordinator)

    response = client.get(admin_url("institution_change", ministry.pk))

    members = response.context["adminform"].form.fields["members"]
    assert editor in members.queryset


def test_it_lets_coordinators_add_a_civil_society_member_without_staff_status(
    client, coordinator, member, ministry
):
    client.force_login(coordinator)

    response = client.get(admin_url("institution_change", ministry.pk))

    members = response.context["adminform"].form.fields["members"]
    assert member in members.queryset
    assert not member.is_staff


def test_it_keeps_lead_institutions_and_plan_read_only_for_editors(
    client, editor, ministry, other_ministry
):
    world = make_world(ministry, other_ministry)
    client.force_login(editor)

    response = client.get(admin_url("commitment_change", world["own"]["commitment"].pk))

    fields = response.context["adminform"].form.fields
    assert "lead_institutions" not in fields
    assert "plan" not in fields
    assert "partners" in fields


# Actions ------------------------------------------------------------------------


def _run_action(client, changelist: str, action: str, objects) -> object:
    return client.post(
        admin_url(changelist),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
    )


ACTION_EFFECT = {
    "coordinator": {"own", "other"},
    "editor": {"own"},
    "other_editor": {"other"},
    "moderator": set(),
    "citizen": set(),
}
ACTION_STATUS = {**ANY_STAFF, "coordinator": 302, "editor": 302, "other_editor": 302}


@pytest.mark.parametrize("role", ROLES)
def test_it_sets_status_only_on_commitments_the_role_may_edit(
    client, request, ministry, other_ministry, role
):
    world = make_world(ministry, other_ministry)
    client.force_login(request.getfixturevalue(role))
    commitments = [world[side]["commitment"] for side in ("own", "other")]

    response = _run_action(
        client, "commitment_changelist", "set_status_completed", commitments
    )

    assert response.status_code == ACTION_STATUS[role]
    changed = {
        side
        for side in ("own", "other")
        if Commitment.objects.get(pk=world[side]["commitment"].pk).status
        == Status.COMPLETED
    }
    assert changed == ACTION_EFFECT[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_marks_done_only_milestones_the_role_may_edit(
    client, request, ministry, other_ministry, role
):
    world = make_world(ministry, other_ministry)
    client.force_login(request.getfixturevalue(role))
    milestones = [world[side]["milestone"] for side in ("own", "other")]

    response = _run_action(
        client, "milestone_changelist", "mark_milestones_done", milestones
    )

    assert response.status_code == ACTION_STATUS[role]
    changed = {
        side
        for side in ("own", "other")
        if Milestone.objects.get(pk=world[side]["milestone"].pk).status
        == Milestone.Status.DONE
    }
    assert changed == ACTION_EFFECT[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "published"), [("unpublish_plans", False)])
def test_it_lets_only_coordinators_publish_or_unpublish_plans(
    client, request, ministry, other_ministry, role, action, published
):
    world = make_world(ministry, other_ministry)
    client.force_login(request.getfixturevalue(role))
    plans = [world[side]["plan"] for side in ("own", "other")]

    _run_action(client, "actionplan_changelist", action, plans)

    unpublished = ActionPlan.objects.filter(is_published=published).count()
    assert unpublished == (2 if role == "coordinator" else 0)


def test_it_offers_editors_no_delete_action(client, editor, ministry, other_ministry):
    make_world(ministry, other_ministry)
    client.force_login(editor)

    response = client.get(admin_url("commitment_changelist"))

    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions
    assert "set_status_completed" in actions
