"""Civil-society reports: sent by members, private until reviewed, all or nothing."""

import pytest
from django.urls import reverse

from tests.workshops import samples
from tests.workshops.factories import CivilSocietyFactory
from workshops.models import TEXT_LENGTH, Document, Workshop

URL = "/en/workshops/submit/"
pytestmark = pytest.mark.usefixtures("in_english")


def form_data(association, commitment=None, **overrides):
    data = {
        "organisation": association.pk,
        "title": "Atelier citoyen sur les données",
        "kind": "workshop",
        "status": "held",
        "starts_at": "2025-06-12T18:00",
        "ends_at": "2025-06-12T20:30",
        "place": "Maison des associations, Lyon",
        "online_url": "",
        "description": "Un atelier **ouvert**.",
        "minutes": "Nous avons relu le plan.",
        "attendees": "24",
        "organisations_represented": "",
        "documents-TOTAL_FORMS": "3",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "10",
        "documents-0-title": "Compte rendu",
        "documents-0-kind": "minutes",
        "documents-0-language": "fr",
        "documents-0-file": samples.pdf(),
        "documents-1-title": "Présentation en ligne",
        "documents-1-kind": "slides",
        "documents-1-language": "fr",
        "documents-1-url": "https://example.org/slides",
        "documents-2-kind": "report",
        "documents-2-language": "fr",
    }
    if commitment is not None:
        data["commitments"] = [commitment.pk]
    data.update(overrides)
    return data


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_explains_that_only_organisation_members_submit(client, citizen):
    client.force_login(citizen)

    response = client.get(URL)

    assert response.status_code == 403
    assert "civil-society" in response.content.decode()


def test_it_refuses_members_of_a_ministry_only(client, editor):
    client.force_login(editor)

    response = client.get(URL)

    assert response.status_code == 403


def test_it_shows_the_form_to_a_member(client, cs_member):
    client.force_login(cs_member)

    response = client.get(URL)

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_it_stores_a_private_report_with_its_documents(
    client, cs_member, association, commitment
):
    client.force_login(cs_member)

    response = client.post(URL, form_data(association, commitment))

    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:submission_list")
    workshop = Workshop.objects.get()
    assert workshop.submission == Workshop.Submission.PENDING
    assert not workshop.is_published
    assert workshop.submitted_by == cs_member
    assert list(workshop.organisers.all()) == [association]
    assert list(workshop.commitments.all()) == [commitment]
    assert workshop.starts_at.isoformat() == "2025-06-12T16:00:00+00:00"
    documents = {d.title: d for d in workshop.documents.all()}
    assert set(documents) == {"Compte rendu", "Présentation en ligne"}
    assert documents["Compte rendu"].file_format == "pdf"
    assert not any(d.is_published for d in documents.values())
    assert all(d.producer == association for d in documents.values())
    assert workshop.history.count() == 1


def test_it_keeps_the_report_out_of_public_pages_until_published(
    client, cs_member, association, commitment
):
    client.force_login(cs_member)
    client.post(URL, form_data(association, commitment))
    workshop = Workshop.objects.get()
    client.logout()

    listing = client.get("/fr/workshops/?date_from=2025-01-01")
    page = client.get(workshop.get_absolute_url())

    assert "Atelier citoyen" not in listing.content.decode()
    assert page.status_code == 404


def test_it_lists_the_members_reports_with_their_state(client, cs_member, association):
    client.force_login(cs_member)
    client.post(URL, form_data(association))

    response = client.get(reverse("workshops:submission_list"))

    html = response.content.decode()
    assert "Atelier citoyen sur les données" in html
    assert "waiting for review" in html or "attente" in html


def test_it_refuses_an_organisation_the_member_does_not_belong_to(
    client, cs_member, association
):
    other = CivilSocietyFactory()
    client.force_login(cs_member)

    response = client.post(URL, form_data(association, organisation=other.pk))

    assert response.status_code == 400
    assert not Workshop.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": "2025-03-30T02:30", "ends_at": "2025-03-30T05:00"}, "starts_at"),
        ({"starts_at": "2025-10-26T01:00", "ends_at": "2025-10-26T02:30"}, "ends_at"),
        ({"ends_at": "2025-06-12T17:00"}, "ends_at"),
        ({"starts_at": "demain"}, "starts_at"),
        ({"starts_at": "0001-01-01T10:00"}, "starts_at"),
        ({"ends_at": "9999-12-31T23:00"}, "ends_at"),
        ({"place": "", "online_url": ""}, "place"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"commitments": ["999999"]}, "commitments"),
        ({"attendees": "-3"}, "attendees"),
        ({"kind": "party"}, "kind"),
        ({"minutes": ""}, "minutes"),
    ],
)
def test_it_refuses_bad_workshop_fields_and_stores_nothing(
    client, cs_member, association, settings, overrides, field
):
    client.force_login(cs_member)

    response = client.post(URL, form_data(association, **overrides))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Workshop.objects.exists()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (samples.upload("evil.pdf", b"<script>alert(1)</script>"), "not a valid PDF"),
        (samples.upload("logo.svg", b"<svg onload=alert(1)/>", "image/svg+xml"), "SVG"),
        (samples.upload("page.html", b"<html></html>", "text/html"), "SVG"),
        (samples.upload("<b>x</b>.pdf", samples.PDF), "not allowed"),
        (samples.upload("empty.pdf", b""), "empty"),
    ],
)
def test_it_refuses_a_bad_file_with_a_clear_error_and_stores_nothing(
    client, cs_member, association, settings, upload, message
):
    client.force_login(cs_member)

    response = client.post(URL, form_data(association, **{"documents-0-file": upload}))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Workshop.objects.exists()
    assert stored_files(settings) == []


def test_it_refuses_an_oversized_file_with_the_limit_in_the_message(
    client, cs_member, association, settings
):
    settings.OGP_UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(cs_member)
    big = samples.pdf(size=3 * 1024 * 1024)

    response = client.post(URL, form_data(association, **{"documents-0-file": big}))

    html = response.content.decode()
    assert response.status_code == 400
    assert "3 MB" in html and "1 MB" in html
    assert not Workshop.objects.exists()


def test_it_refuses_a_document_with_both_a_file_and_a_link(
    client, cs_member, association
):
    client.force_login(cs_member)

    data = form_data(association, **{"documents-0-url": "https://example.org/x"})
    response = client.post(URL, data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "not both" in page
    assert "document_is_a_file_or_a_link" not in page
    assert not Workshop.objects.exists()


def test_it_refuses_a_document_without_a_title(client, cs_member, association):
    client.force_login(cs_member)

    response = client.post(URL, form_data(association, **{"documents-0-title": ""}))

    assert response.status_code == 400
    assert not Workshop.objects.exists()


def test_it_refuses_too_many_documents(client, cs_member, association):
    client.force_login(cs_member)

    data = form_data(association, **{"documents-TOTAL_FORMS": "50"})
    response = client.post(URL, data)

    assert response.status_code == 400
    assert not Workshop.objects.exists()


def test_it_refuses_a_tampered_management_form(client, cs_member, association):
    client.force_login(cs_member)
    data = form_data(association)
    del data["documents-TOTAL_FORMS"]

    response = client.post(URL, data)

    assert response.status_code == 400
    assert not Workshop.objects.exists()


def test_it_removes_stored_files_when_the_database_fails(
    client, cs_member, association, settings, monkeypatch
):
    client.force_login(cs_member)
    client.raise_request_exception = False
    original_save = Document.save

    def save_then_fail(self, *args, **kwargs):
        original_save(self, *args, **kwargs)
        if self.title == "Présentation en ligne":
            raise RuntimeError("database went away")

    monkeypatch.setattr(Document, "save", save_then_fail)

    response = client.post(URL, form_data(association))

    assert response.status_code == 500
    assert not Workshop.objects.exists()
    assert stored_files(settings) == []


def test_it_refuses_other_methods(client, cs_member):
    client.force_login(cs_member)

    response = client.put(URL)

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("commitments", "99999999999999999999999"),
        ("commitments", "abc"),
        ("commitments", "7\x00"),
        ("organisation", "99999999999999999999999"),
        ("organisation", "1.5"),
    ],
)
def test_it_refuses_an_id_it_cannot_read_and_stores_nothing(
    client, cs_member, association, commitment, field, value
):
    client.force_login(cs_member)

    response = client.post(URL, form_data(association, commitment, **{field: value}))

    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not Workshop.objects.exists()


@pytest.mark.parametrize(
    ("status", "day", "field", "message"),
    [
        ("held", "2190-06-12", "starts_at", "has started already"),
        ("planned", "2001-06-12", "ends_at", "has not ended yet"),
    ],
)
def test_it_refuses_a_status_the_dates_contradict(
    client, cs_member, association, commitment, status, day, field, message
):
    client.force_login(cs_member)
    data = form_data(
        association,
        commitment,
        status=status,
        starts_at=f"{day}T18:00",
        ends_at=f"{day}T20:30",
    )

    response = client.post(URL, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Workshop.objects.exists()


def test_it_accepts_a_report_of_a_workshop_planned_ahead(
    client, cs_member, association, commitment
):
    client.force_login(cs_member)
    data = form_data(
        association,
        commitment,
        status="planned",
        starts_at="2190-06-12T18:00",
        ends_at="2190-06-12T20:30",
    )

    response = client.post(URL, data)

    assert response.status_code == 302
    assert Workshop.objects.get().status == "planned"


def test_it_refuses_a_title_that_disguises_itself(
    client, cs_member, association, commitment
):
    client.force_login(cs_member)

    response = client.post(
        URL, form_data(association, commitment, title="Atelier \u202eevil")
    )

    assert response.status_code == 400
    assert "force the direction" in response.content.decode()
    assert not Workshop.objects.exists()


def test_it_refuses_a_description_longer_than_a_report_needs(
    client, cs_member, association, commitment
):
    client.force_login(cs_member)
    overlong = "x" * (TEXT_LENGTH + 1)

    response = client.post(
        URL, form_data(association, commitment, description=overlong)
    )

    assert response.status_code == 400
    assert not Workshop.objects.exists()
