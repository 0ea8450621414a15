"""Document downloads: always an attachment, never sniffed, only when public."""

from django.urls import reverse

from tests.workshops import samples
from tests.workshops.factories import DocumentFactory, WorkshopFactory
from workshops.models import Document, Workshop


def url(document):
    return reverse("workshops:document_download", args=[document.pk])


def test_it_serves_the_file_as_a_download_named_after_the_title(client, db):
    document = DocumentFactory(title="Compte rendu de l'atelier n° 3")

    response = client.get(url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "compte-rendu-de-latelier-n-3.pdf" in disposition
    assert "sandbox" in response["Content-Security-Policy"]


def test_it_serves_a_spreadsheet_with_its_own_type(client, db):
    content = samples.VALID["figures.xlsx"]
    document = DocumentFactory(file=samples.upload("figures.xlsx", content))

    response = client.get(url(document))

    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_it_hides_documents_of_an_unpublished_workshop(client, citizen):
    document = DocumentFactory(workshop=WorkshopFactory(is_published=False))

    anonymous = client.get(url(document))
    client.force_login(citizen)
    signed_in = client.get(url(document))

    assert (anonymous.status_code, signed_in.status_code) == (404, 404)


def test_it_hides_an_unpublished_document(client, db):
    document = DocumentFactory(is_published=False)

    response = client.get(url(document))

    assert response.status_code == 404


def test_it_lets_the_submitter_download_their_pending_documents(client, cs_member):
    workshop = WorkshopFactory(
        is_published=False,
        submission=Workshop.Submission.PENDING,
        submitted_by=cs_member,
    )
    document = DocumentFactory(workshop=workshop, is_published=False)
    client.force_login(cs_member)

    response = client.get(url(document))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_it_answers_404_for_a_link_document_or_an_unknown_one(client, db):
    link = DocumentFactory(file=None, url="https://example.org/report")

    responses = [
        client.get(url(link)),
        client.get("/fr/workshops/documents/999/download/"),
    ]

    assert [r.status_code for r in responses] == [404, 404]


def test_it_answers_404_when_the_file_is_missing_from_storage(client, db):
    document = DocumentFactory()
    document.file.storage.delete(document.file.name)

    response = client.get(url(document))

    assert response.status_code == 404


def test_it_refuses_other_methods(client, db):
    response = client.post(url(DocumentFactory()))

    assert response.status_code == 405


def test_it_deletes_the_stored_file_with_the_document(
    db, django_capture_on_commit_callbacks
):
    document = DocumentFactory()
    storage, name = document.file.storage, document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        document.delete()

    assert not storage.exists(name)


def test_it_deletes_a_replaced_file_once_committed(
    db, django_capture_on_commit_callbacks
):
    document = Document.objects.get(pk=DocumentFactory().pk)
    old_name = document.file.name
    document.file = samples.pdf("nouvelle-version.pdf")

    with django_capture_on_commit_callbacks(execute=True):
        document.save()

    assert document.file.name != old_name
    assert not document.file.storage.exists(old_name)
    assert document.file.storage.exists(document.file.name)
