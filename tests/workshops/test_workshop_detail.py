"""The public page of one workshop, with its documents and what it fed."""

import pytest
from django.urls import reverse

from tests.factories import CommitmentFactory, InstitutionFactory, MilestoneFactory
from tests.workshops import samples
from tests.workshops.factories import DocumentFactory, WorkshopFactory
from tests.workshops.querycount import own_queries
from workshops.models import Document, Workshop


def url(workshop, language="fr"):
    return reverse("workshops:workshop_detail", args=[workshop.pk]).replace(
        "/fr/", f"/{language}/"
    )


def test_it_shows_the_workshop_with_its_documents_and_commitments(
    client, commitment, ministry
):
    milestone = MilestoneFactory(commitment=commitment, title_fr="Jalon outillage")
    workshop = WorkshopFactory(
        title="Atelier outillage",
        organisers=[ministry],
        commitments=[commitment],
        milestones=[milestone],
        description="Un **atelier** ouvert.",
    )
    DocumentFactory(
        title="Compte rendu",
        workshop=workshop,
        file=samples.pdf(size=1024 * 1024 + 200 * 1024),
    )

    response = client.get(url(workshop))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Atelier outillage" in html
    assert "<strong>atelier</strong>" in html
    assert "Ministère A" in html
    assert "Outiller le Gouvernement ouvert" in html
    assert "Jalon outillage" in html
    assert "PDF – 1,2 Mo" in html
    assert "14:00" in html


def test_it_states_format_and_size_in_the_visitors_language(client, commitment):
    workshop = WorkshopFactory()
    DocumentFactory(workshop=workshop, file=samples.pdf(size=1024 * 1024 + 200 * 1024))

    response = client.get(url(workshop, "en"))

    assert "PDF – 1.2 MB" in response.content.decode()


def test_it_shows_the_site_of_a_linked_document(client, db):
    workshop = WorkshopFactory()
    DocumentFactory(workshop=workshop, file=None, url="https://www.example.org/a.pdf")

    response = client.get(url(workshop))

    assert "example.org" in response.content.decode()


def test_it_sanitises_markdown(client, db):
    workshop = WorkshopFactory(
        minutes="<script>alert(1)</script>[x](javascript:alert(1))"
    )

    response = client.get(url(workshop))

    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html


def test_it_explains_a_cancellation(client, db):
    workshop = WorkshopFactory(
        status=Workshop.Status.CANCELLED, cancellation_reason="Grève des transports"
    )

    response = client.get(url(workshop))

    assert "Grève des transports" in response.content.decode()


def test_it_answers_404_for_an_unknown_workshop(client, db):
    response = client.get("/fr/workshops/999999/")

    assert response.status_code == 404


def test_it_answers_404_for_a_non_numeric_id(client, db):
    response = client.get("/fr/workshops/abc/")

    assert response.status_code == 404


def test_it_hides_an_unpublished_workshop_from_visitors(client, citizen):
    workshop = WorkshopFactory(is_published=False)
    client.force_login(citizen)

    response = client.get(url(workshop))

    assert response.status_code == 404


def test_it_shows_a_pending_submission_to_its_submitter_only(
    client, cs_member, citizen, association
):
    workshop = WorkshopFactory(
        is_published=False,
        submission=Workshop.Submission.PENDING,
        submitted_by=cs_member,
        organisers=[association],
    )
    DocumentFactory(title="Annexe privée", workshop=workshop, is_published=False)

    client.force_login(cs_member)
    mine = client.get(url(workshop))
    client.force_login(citizen)
    theirs = client.get(url(workshop))

    assert mine.status_code == 200
    assert "Annexe privée" in mine.content.decode()
    assert theirs.status_code == 404


def test_it_hides_unpublished_documents_of_a_published_workshop(client, citizen):
    workshop = WorkshopFactory()
    DocumentFactory(title="Annexe privée", workshop=workshop, is_published=False)
    client.force_login(citizen)

    response = client.get(url(workshop))

    assert "Annexe privée" not in response.content.decode()


def test_it_shows_unpublished_workshops_to_coordinators(client, coordinator):
    workshop = WorkshopFactory(is_published=False)
    client.force_login(coordinator)

    response = client.get(url(workshop))

    assert response.status_code == 200


def test_it_refuses_other_methods(client, db):
    response = client.post(url(WorkshopFactory()))

    assert response.status_code == 405


def test_it_sets_no_cookie_for_anonymous_visitors(client, db):
    response = client.get(url(WorkshopFactory()))

    assert response.cookies == {}


@pytest.mark.parametrize("scale", [1, 10])
def test_it_costs_the_same_queries_at_ten_times_the_data(client, db, scale):
    commitments = CommitmentFactory.create_batch(2 * scale)
    milestones = [MilestoneFactory(commitment=c) for c in commitments]
    workshop = WorkshopFactory(
        organisers=InstitutionFactory.create_batch(2 * scale),
        commitments=commitments,
        milestones=milestones,
    )
    for _index in range(2 * scale):
        DocumentFactory(workshop=workshop, producer=InstitutionFactory())
    assert Document.objects.count() == 2 * scale

    # The workshop, then organisers, commitments, milestones and documents.
    with own_queries(url(workshop), 5):
        response = client.get(url(workshop))

    assert response.status_code == 200
