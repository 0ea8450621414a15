"""Site-wide wiring: the back-office language and the Markdown preview."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_back_office_speaks_french_to_an_english_browser(client, coordinator):
    client.force_login(coordinator)

    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert 'lang="fr"' in page.content.decode()


def test_the_back_office_keeps_a_language_chosen_with_the_switch(client, coordinator):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"

    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")

    assert 'lang="en"' in page.content.decode()


def test_the_back_office_names_the_task_queue_in_french(client, admin_user):
    client.force_login(admin_user)

    page = client.get("/admin/").content.decode()

    assert "Tâches d’arrière-plan" in page
    assert "Résultats des tâches" in page
    assert "Tasks Database Backend" not in page


def test_the_markdown_preview_is_for_staff_only(client, citizen, editor):
    client.force_login(citizen)
    refused = client.post("/markdownx/markdownify/", {"content": "**a**"})

    client.force_login(editor)
    allowed = client.post("/markdownx/markdownify/", {"content": "**a**<script>"})

    assert refused.status_code == 302
    assert allowed.status_code == 200
    assert allowed.content.decode() == "<p><strong>a</strong></p>"


def test_images_cannot_be_uploaded_through_the_markdown_editor(client, editor):
    client.force_login(editor)

    response = client.post("/markdownx/upload/", {})

    assert response.status_code == 400
    assert "image_code" in response.json()
