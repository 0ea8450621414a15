"""Ids the back-office cannot read are refused like unknown ones, never with a 500.

"abc", "1.5", a number past 64 bits or a NUL character, posted by a logged-in
staff member in a form, a bulk action, a list filter or an autocomplete search.
"""

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group

from commitments.models import Commitment, Milestone, ProgressUpdate
from community.models import Comment
from ogp_tracker.backoffice import ReadableIdsAdminMixin, ReadableRelationsMixin
from tests.commitments.admin_client import admin_url, form_data
from tests.community.conftest import make_comment
from tests.factories import (
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    PolicyAreaFactory,
    UserFactory,
)
from tests.workshops.factories import DocumentFactory, WorkshopFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("back_office_in_english")]

HUGE = "99999999999999999999999"
UNREADABLE = ["abc", "1.5", HUGE, "7\x00"]
QUEUE = "/admin/community/comment/"
REGISTERED = [model for model in apps.get_models() if admin.site.is_registered(model)]


@pytest.fixture
def commitment(ministry):
    commitment = CommitmentFactory(title_fr="Titre", lead_institutions=[ministry])
    commitment.partners.add(InstitutionFactory())
    commitment.policy_areas.add(PolicyAreaFactory())

    return commitment


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def post_change(client, staff, url, **changes):
    client.force_login(staff)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def stored(commitment) -> dict:
    """Return what a change form could alter on commitment, relations included."""
    fresh = Commitment.objects.get(pk=commitment.pk)
    return {
        "fields": Commitment.objects.values().get(pk=commitment.pk),
        "leads": set(fresh.lead_institutions.values_list("pk", flat=True)),
        "partners": set(fresh.partners.values_list("pk", flat=True)),
        "areas": set(fresh.policy_areas.values_list("pk", flat=True)),
    }


# Relation fields of change forms ----------------------------------------------


@pytest.mark.parametrize("value", UNREADABLE)
@pytest.mark.parametrize(
    ("role", "field"),
    [
        ("coordinator", "partners"),
        ("coordinator", "lead_institutions"),
        ("coordinator", "policy_areas"),
        ("editor", "partners"),
        ("editor", "policy_areas"),
    ],
)
def test_it_refuses_an_unreadable_related_id_and_keeps_the_commitment(
    client, request, commitment, role, field, value
):
    before = stored(commitment)
    url = admin_url("commitment_change", commitment.pk)

    response = post_change(client, request.getfixturevalue(role), url, **{field: value})

    assert response.status_code == 400
    assert "is not a valid value" in response.context["errors"].as_text()
    assert stored(commitment) == before


def test_it_shows_the_refused_related_id_error_in_french(client, editor, commitment):
    client.cookies["django_language"] = "fr"
    url = admin_url("commitment_change", commitment.pk)

    response = post_change(client, editor, url, partners="abc")

    assert response.status_code == 400
    assert "«\xa0abc\xa0» n’est pas une valeur correcte." in response.content.decode()


def test_it_refuses_an_unreadable_commitment_in_an_autocomplete_choice(
    client, editor, commitment
):
    milestone = MilestoneFactory(commitment=commitment)
    url = admin_url("milestone_change", milestone.pk)

    response = post_change(client, editor, url, commitment="abc")

    assert response.status_code == 400
    assert "Select a valid choice" in response.context["errors"].as_text()
    assert Milestone.objects.get(pk=milestone.pk).commitment_id == commitment.pk


@pytest.mark.parametrize("value", UNREADABLE)
def test_it_records_no_progress_for_an_unreadable_commitment(
    client, editor, ministry, value
):
    client.force_login(editor)
    data = form_data(client.get(admin_url("progressupdate_add")))
    data.update(commitment=value, author_institution=str(ministry.pk))

    response = client.post(admin_url("progressupdate_add"), data)

    assert response.status_code == 400
    assert response.context["adminform"].form.errors["commitment"]
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("editor", "/admin/commitments/progressupdate/add/?commitment=abc"),
        ("editor", f"/admin/commitments/progressupdate/add/?commitment={HUGE}"),
        ("coordinator", "/admin/commitments/commitment/add/?partners=abc,1.5"),
        ("coordinator", f"/admin/commitments/commitment/add/?lead_institutions={HUGE}"),
    ],
)
def test_it_opens_an_add_form_whose_address_names_an_unreadable_id(
    client, request, role, url
):
    client.force_login(request.getfixturevalue(role))

    response = client.get(url)

    assert response.status_code == 200


def test_it_refuses_an_unreadable_id_in_a_plain_select(client, coordinator, commitment):
    before = stored(commitment)
    url = admin_url("commitment_change", commitment.pk)

    response = post_change(client, coordinator, url, plan="abc")

    assert response.status_code == 400
    assert "Select a valid choice" in response.context["errors"].as_text()
    assert stored(commitment) == before


def test_it_refuses_an_unreadable_document_link_in_a_workshop_inline(
    client, coordinator, commitment, ministry
):
    workshop = WorkshopFactory(organisers=[ministry])
    document = DocumentFactory(workshop=workshop, commitments=[commitment])
    url = f"/admin/workshops/workshop/{workshop.pk}/change/"

    response = post_change(
        client, coordinator, url, **{"documents-0-commitments": HUGE}
    )

    assert "is not a valid value" in response.context["errors"].as_text()
    assert list(document.commitments.values_list("pk", flat=True)) == [commitment.pk]


@pytest.mark.parametrize(
    ("field", "value"), [("permissions", HUGE), ("permissions", "abc")]
)
def test_it_refuses_unreadable_ids_in_a_library_admin_too(
    client, superuser, field, value
):
    group = Group.objects.create(name="Readers")
    url = f"/admin/auth/group/{group.pk}/change/"

    response = post_change(client, superuser, url, **{field: value})

    assert response.context["adminform"].form.errors[field]
    assert not group.permissions.exists()


@pytest.mark.parametrize("value", ["abc", HUGE])
def test_it_refuses_an_unreadable_id_in_a_raw_id_field(client, superuser, value):
    address = EmailAddress.objects.create(user=superuser, email="root@example.org")
    url = f"/admin/account/emailaddress/{address.pk}/change/"

    response = post_change(client, superuser, url, user=value)

    assert response.context["adminform"].form.errors["user"]
    assert EmailAddress.objects.get(pk=address.pk).user_id == superuser.pk


# Bulk actions ------------------------------------------------------------------


@pytest.fixture
def comment(ministry, citizen):
    return make_comment(CommitmentFactory(lead_institutions=[ministry]), citizen, "Hi")


@pytest.mark.parametrize("selected", ["abc", "1.5", HUGE, "", "7\x00"])
def test_it_refuses_a_bulk_action_on_unreadable_ids(
    client, moderator, comment, selected
):
    client.force_login(moderator)
    action = {"action": "hide_selected", "_selected_action": selected, "index": "0"}

    response = client.post(QUEUE, action)

    assert response.status_code == 400
    assert "Some selected items do not exist" in response.content.decode()
    assert response.context["cl"].result_count == 1
    assert Comment.objects.get(pk=comment.pk).hidden_at is None


def test_it_refuses_the_whole_selection_when_one_id_is_unreadable(
    client, moderator, comment
):
    client.force_login(moderator)
    confirmed = {
        "action": "hide_selected",
        "_selected_action": [str(comment.pk), "abc"],
        "reason": "Insults",
    }

    response = client.post(QUEUE, confirmed)

    assert response.status_code == 400
    assert Comment.objects.get(pk=comment.pk).hidden_at is None


def test_it_still_runs_a_bulk_action_on_readable_ids(client, moderator, comment):
    client.force_login(moderator)
    confirmed = {
        "action": "hide_selected",
        "_selected_action": [str(comment.pk)],
        "reason": "Insults",
    }

    response = client.post(QUEUE, confirmed)

    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).hidden_at is not None


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_it_refuses_unreadable_ids_in_every_admin_bulk_action(
    client, superuser, commitment, comment, model
):
    client.force_login(superuser)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    count = model._default_manager.count()
    action = {"action": "delete_selected", "_selected_action": "abc", "index": "0"}

    response = client.post(url, action)

    # Without any action (the legal pages), the list ignores the selection.
    model_admin = admin.site.get_model_admin(model)
    acts = bool(model_admin.get_actions(response.wsgi_request))
    assert response.status_code == (400 if acts else 200)
    assert model._default_manager.count() == count


def test_it_gives_every_admin_the_refusal_of_unreadable_ids():
    admins = [admin.site.get_model_admin(model) for model in REGISTERED]

    left_out = [
        type(model_admin).__name__
        for model_admin in admins
        if not isinstance(model_admin, ReadableIdsAdminMixin)
    ]
    left_out += [
        inline.__name__
        for model_admin in admins
        for inline in model_admin.inlines
        if not issubclass(inline, ReadableRelationsMixin)
    ]

    assert admins
    assert left_out == []


# List filters and autocomplete searches --------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        f"created_at__year={HUGE}",
        "created_at__year=99999999999",
        "created_at__year=2024&created_at__month=99999999999",
        "commitment__plan__id__exact=%00",
    ],
)
def test_it_shows_the_whole_queue_again_for_a_filter_it_cannot_apply(
    client, moderator, comment, query
):
    client.force_login(moderator)

    response = client.get(f"{QUEUE}?{query}")

    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?e=1"


@pytest.mark.parametrize("query", ["status__exact=%00", "ogp_id=FR%00"])
def test_it_refuses_a_nul_character_in_a_commitment_filter(
    client, editor, commitment, query
):
    client.force_login(editor)
    url = admin_url("commitment_changelist")

    response = client.get(f"{url}?{query}")

    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


def test_it_finds_nothing_for_a_nul_character_in_an_autocomplete_search(
    client, editor, commitment
):
    client.force_login(editor)
    search = {
        "app_label": "commitments",
        "model_name": "milestone",
        "field_name": "commitment",
        "term": "Titre\x00",
    }

    response = client.get("/admin/autocomplete/", search)

    assert response.status_code == 200
    assert response.json()["results"] == []


# Odd addresses, already answered without a server error ----------------------


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/admin/commitments/commitment/abc/change/", 404),
        (f"/admin/commitments/commitment/{HUGE}/change/", 404),
        (f"/admin/commitments/commitment/{HUGE}/history/", 404),
        ("/admin/commitments/commitment/{pk}/history/abc/", 404),
        (f"/admin/commitments/commitment/{{pk}}/history/{HUGE}/", 404),
        ("/admin/commitments/commitment/?institution__id__exact=abc", 302),
        ("/admin/commitments/commitment/?o=abc", 200),
        ("/admin/commitments/commitment/?p=abc", 200),
        ("/admin/commitments/commitment/?q=%00", 200),
        (
            "/admin/autocomplete/?app_label=commitments&model_name=commitment"
            "&field_name=partners&term=x&page=abc",
            404,
        ),
        (
            "/admin/autocomplete/?app_label=commitments&model_name=commitment"
            "&field_name=nope&term=x",
            403,
        ),
    ],
)
@pytest.mark.parametrize("role", ["coordinator", "editor"])
def test_it_answers_odd_addresses_without_a_server_error(
    client, request, commitment, role, address, status
):
    client.force_login(request.getfixturevalue(role))

    response = client.get(address.format(pk=commitment.pk))

    assert response.status_code == status
