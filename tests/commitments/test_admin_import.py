import base64

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.admin_import import SIGNING_SALT
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


# A preview that the data has outdated -----------------------------------------

RENAMED_YAML = PLAN_YAML.replace(b"Premier engagement", b"Engagement renomm\xc3\xa9")


def previewed(client, content: bytes) -> str:
    """Preview a file and return the payload that confirms it."""
    preview = client.post(reverse(URL), upload(content))
    return preview.context["confirm_form"].initial["payload"]


def import_then_preview_a_rename(client) -> str:
    """Import the test plan, then preview a file that renames commitment 1."""
    client.post(reverse(URL), {"payload": preview_payload(client)})

    return previewed(client, RENAMED_YAML)


def test_it_imports_nothing_when_the_data_changed_since_the_preview(
    client, coordinator, back_office_in_english
):
    client.force_login(coordinator)
    payload = import_then_preview_a_rename(client)
    commitment = Commitment.objects.get(number=1)
    commitment.title_fr = "Titre corrigé à la main"
    commitment.progress = 55
    commitment.save()

    response = client.post(reverse(URL), {"payload": payload})

    assert response.status_code == 409
    commitment.refresh_from_db()
    assert (commitment.title_fr, commitment.progress) == ("Titre corrigé à la main", 55)
    assert response.context["outdated"]
    assert "the data changed since your preview" in response.content.decode()
    lines = [change.line() for change in response.context["report"].changes]
    assert lines == ["unchanged plan test-plan", "update commitment 1: title_fr"]
    assert response.context["report"].summary() == (
        "0 to create, 1 to update, 1 unchanged"
    )


def test_it_imports_the_new_preview_once_confirmed_again(
    client, coordinator, back_office_in_english
):
    client.force_login(coordinator)
    payload = import_then_preview_a_rename(client)
    Commitment.objects.filter(number=1).update(title_fr="Titre corrigé à la main")
    outdated = client.post(reverse(URL), {"payload": payload})

    new_payload = outdated.context["confirm_form"].initial["payload"]
    response = client.post(reverse(URL), {"payload": new_payload})

    assert response.status_code == 302
    assert Commitment.objects.get(number=1).title_fr == "Engagement renommé"


def test_it_names_every_field_the_import_would_now_change(
    client, coordinator, back_office_in_english
):
    client.force_login(coordinator)
    with_progress = PLAN_YAML + b'  progress: "10"\n'
    client.post(reverse(URL), {"payload": previewed(client, with_progress)})
    payload = previewed(client, with_progress.replace(b"Premier", b"Second"))
    Commitment.objects.filter(number=1).update(progress=55)

    response = client.post(reverse(URL), {"payload": payload})

    assert response.status_code == 409
    assert "update commitment 1: title_fr, progress" in response.content.decode()
    assert Commitment.objects.get(number=1).progress == 55


def test_it_shows_a_preview_without_digest_again(
    client, coordinator, back_office_in_english
):
    client.force_login(coordinator)
    content = base64.b64encode(PLAN_YAML).decode()
    old_payload = signing.dumps(
        {"name": "plan.yaml", "content": content}, salt=SIGNING_SALT, compress=True
    )

    response = client.post(reverse(URL), {"payload": old_payload})

    assert response.status_code == 409
    assert not ActionPlan.objects.exists()
    assert response.context["report"].summary() == (
        "2 to create, 0 to update, 0 unchanged"
    )


def test_it_refuses_a_file_that_moves_a_milestones_baseline(
    client, coordinator, back_office_in_english
):
    client.force_login(coordinator)
    planned = PLAN_YAML + b"  milestones:\n  - title_fr: Jalon\n    end: 2024-06\n"
    client.post(reverse(URL), {"payload": previewed(client, planned)})

    response = client.post(reverse(URL), upload(planned.replace(b"-06", b"-09")))

    assert response.status_code == 400
    assert "cannot change once set" in response.context["errors"][0]
    assert "confirm_form" not in response.context


def test_a_preview_in_english_is_confirmed_in_french(
    client, coordinator, back_office_in_english
):
    client.force_login(coordinator)
    payload = import_then_preview_a_rename(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.post(reverse(URL), {"payload": payload})

    assert response.status_code == 302
    assert Commitment.objects.get(number=1).title_fr == "Engagement renommé"
