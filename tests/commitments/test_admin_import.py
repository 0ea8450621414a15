import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import ActionPlan, Commitment

pytestmark = pytest.mark.django_db

URL = "admin:commitments_actionplan_import"
PLAN_YAML = b"""
plan:
  slug: test-plan
  title_fr: Plan de test
commitments:
- number: 1
  title_fr: Premier engagement
"""


def upload(content=PLAN_YAML, name="plan.yaml"):
    return {"file": SimpleUploadedFile(name, content)}


def preview_payload(client) -> str:
    """Preview the test plan, for a test that then confirms it."""
    preview = client.post(reverse(URL), upload())
    return preview.context["confirm_form"].initial["payload"]


def test_it_previews_then_imports_on_confirmation(client, coordinator):
    client.force_login(coordinator)

    preview = client.post(reverse(URL), upload())

    assert preview.status_code == 200
    assert not ActionPlan.objects.exists()
    payload = preview.context["confirm_form"].initial["payload"]
    done = client.post(reverse(URL), {"payload": payload}, follow=True)
    assert done.redirect_chain[0][1] == 302
    assert Commitment.objects.get(number=1).history.first().history_user == coordinator
    said = [str(message) for message in done.context["messages"]]
    assert said == [
        "Fichier plan.yaml importé\u00a0: créés\u00a0: 2, "
        "mis à jour\u00a0: 0, inchangés\u00a0: 0."
    ]


def test_it_shows_every_error_and_writes_nothing(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse(URL), upload(PLAN_YAML + b"  start: 2021-13\n"))

    assert response.status_code == 400
    assert any("2021-13" in error for error in response.context["errors"])
    assert not ActionPlan.objects.exists()


def test_it_refuses_an_altered_preview(client, coordinator):
    client.force_login(coordinator)
    preview = client.post(reverse(URL), upload())
    payload = preview.context["confirm_form"].initial["payload"]

    response = client.post(reverse(URL), {"payload": payload[:-3] + "abc"})

    assert response.status_code == 400
    assert not ActionPlan.objects.exists()


@pytest.mark.parametrize(("name", "content"), [("plan.pdf", b"%PDF"), ("x.yaml", b"")])
def test_it_refuses_files_of_the_wrong_kind(client, coordinator, name, content):
    client.force_login(coordinator)

    response = client.post(reverse(URL), upload(content, name))

    assert response.status_code == 400
    assert not ActionPlan.objects.exists()


def test_editors_cannot_import(client, editor):
    client.force_login(editor)

    response = client.post(reverse(URL), upload())

    assert response.status_code == 403
    assert not ActionPlan.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse(URL))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    "content",
    [
        b"plan: " + b"[" * 5000 + b"]" * 5000,
        b'{"plan": ' + b"{" * 5000 + b"}" * 5000 + b"}",
    ],
    ids=["yaml", "json"],
)
def test_it_refuses_deeply_nested_values_with_a_message(
    client, coordinator, back_office_in_english, content
):
    client.force_login(coordinator)

    response = client.post(reverse(URL), upload(content))

    assert response.status_code == 400
    assert response.context["errors"] == [
        "plan.yaml (line 1): values are nested more than 20 levels deep. "
        "The file cannot be imported."
    ]
    assert not ActionPlan.objects.exists()


def test_it_shows_every_problem_of_a_spreadsheet(
    client, coordinator, back_office_in_english
):
    client.force_login(coordinator)
    client.post(reverse(URL), {"payload": preview_payload(client)})
    rows = b"plan;number;title_fr;status\nnope;x;;bogus\ntest-plan;1;Renamed;\n"

    response = client.post(reverse(URL), upload(rows, "plan.csv"))

    assert response.status_code == 400
    assert len(response.context["errors"]) == 5
    assert "no plan &#x27;nope&#x27; exists" in response.content.decode()
    assert Commitment.objects.get().title_fr == "Premier engagement"


def test_the_preview_counts_every_object_of_a_spreadsheet(
    client, coordinator, back_office_in_english
):
    client.force_login(coordinator)
    client.post(reverse(URL), {"payload": preview_payload(client)})
    rows = b"plan;number;title_fr\ntest-plan;1;Premier engagement\n"

    response = client.post(reverse(URL), upload(rows, "plan.csv"))

    assert response.status_code == 200
    assert "0 to create, 0 to update, 2 unchanged" in response.content.decode()
