"""The pages shown for refused requests: in the visitor's language, never blank."""

import pytest
from django.http import HttpResponseNotAllowed, StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from community.links import commitment_url
from community.models import Comment
from ogp_tracker.exports import Format
from ogp_tracker.middleware import MethodNotAllowedPageMiddleware
from tests.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment(ministry):
    plan = ActionPlanFactory()
    return CommitmentFactory(plan=plan, number=1, lead_institutions=[ministry])


def test_a_refused_form_says_in_french_that_nothing_was_saved(commitment, citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    url = reverse("community:comment_create", args=[commitment.pk])

    response = client.post(url, {"body": "Mon commentaire"})

    assert response.status_code == 403
    assertContains(response, '<html lang="fr"', status_code=403)
    assertContains(response, "Votre formulaire n’a pas été envoyé", status_code=403)
    assertContains(response, "Rien de ce que vous avez écrit", status_code=403)
    assert not Comment.objects.exists()


def test_a_refused_form_speaks_english_on_english_pages(commitment, citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    url = reverse("community:comment_create", args=[commitment.pk])
    url = url.replace("/fr/", "/en/", 1)

    response = client.post(url, {"body": "My comment"})

    assertContains(response, '<html lang="en"', status_code=403)
    assertContains(response, "Your form was not sent", status_code=403)


def test_a_refused_back_office_page_explains_the_rights(client, editor):
    client.force_login(editor)

    response = client.get(reverse("admin:commitments_commitment_add"))

    assert response.status_code == 403
    assertContains(response, "Accès refusé", status_code=403)
    assertContains(response, reverse("admin:index"), status_code=403)


def test_an_address_for_forms_only_answers_get_with_a_page(client, commitment, citizen):
    client.force_login(citizen)
    url = reverse("community:comment_create", args=[commitment.pk])

    response = client.get(url)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assertContains(response, "Action impossible ici", status_code=405)


@pytest.mark.parametrize(
    "page",
    ["dashboard", "commitment", "workshops", "open-data", "export", "feed", "sitemap"],
)
def test_a_form_posted_to_a_read_only_page_is_told_it_cannot_act_there(
    commitment, page
):
    client = Client(enforce_csrf_checks=True)
    url = {
        "dashboard": reverse("commitments:dashboard"),
        "commitment": commitment_url(commitment),
        "workshops": reverse("workshops:workshop_list"),
        "open-data": reverse("opendata:opendata_index"),
        "export": reverse(
            "opendata:commitment_export",
            kwargs={"plan": commitment.plan.slug, "file_format": Format.CSV},
        ),
        "feed": reverse("opendata:updates_feed"),
        "sitemap": "/sitemap.xml",
    }[page]

    response = client.post(url, {"anything": "1"})

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assertContains(response, "Action impossible ici", status_code=405)
    assertContains(response, "Cette page se consulte seulement", status_code=405)


def test_a_405_that_already_has_a_body_keeps_it(rf):
    def view(request):
        return HttpResponseNotAllowed(["POST"], content=b"Use the form.")

    response = MethodNotAllowedPageMiddleware(view)(rf.get("/fr/"))

    assert response.content == b"Use the form."


def test_a_405_without_html_is_left_empty(rf):
    def view(request):
        return HttpResponseNotAllowed(["POST"], content_type="application/json")

    response = MethodNotAllowedPageMiddleware(view)(rf.get("/fr/"))

    assert response.content == b""


def test_a_request_with_an_unknown_host_gets_a_400_page(client, settings):
    settings.ALLOWED_HOSTS = ["tracker.example"]

    response = client.get("/fr/", HTTP_HOST="attacker.example")

    assertContains(response, "Requête incomprise", status_code=400)


def test_a_streamed_405_is_left_as_it_is(rf):
    def view(request):
        response = StreamingHttpResponse(iter([b"part"]), status=405)
        response["Content-Type"] = "text/html"
        return response

    response = MethodNotAllowedPageMiddleware(view)(rf.get("/fr/"))

    assert b"".join(response.streaming_content) == b"part"
