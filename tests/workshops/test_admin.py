"""The back-office: who manages which workshops, and the review of submissions."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from commitments.versioning import one_version
from tests.factories import CommitmentFactory
from tests.workshops import samples
from tests.workshops.factories import DocumentFactory, WorkshopFactory
from workshops import services
from workshops.models import Document, Workshop
from workshops.services import SUBMITTED

pytestmark = pytest.mark.usefixtures("back_office_in_english")

ADD_URL = "/admin/workshops/workshop/add/"
NO_DOCUMENTS = {
    "documents-TOTAL_FORMS": "0",
    "documents-INITIAL_FORMS": "0",
    "documents-MIN_NUM_FORMS": "0",
    "documents-MAX_NUM_FORMS": "1000",
}


def change_url(workshop):
    return reverse("admin:workshops_workshop_change", args=[workshop.pk])


def history_url(pk):
    return f"/admin/workshops/workshop/{pk}/history/"


def workshop_data(organiser, commitment, **overrides):
    data = {
        "title": "Atelier outillage du gouvernement ouvert",
        "kind": "workshop",
        "status": "held",
        "cancellation_reason": "",
        "starts_at_0": "2030-04-08",
        "starts_at_1": "14:00",
        "ends_at_0": "2030-04-08",
        "ends_at_1": "17:00",
        "place": "Paris, Ségur",
        "online_url": "",
        "organisers": [organiser.pk],
        "commitments": [commitment.pk],
        "description": "Atelier **public**.",
        "agenda": "",
        "minutes": "",
        "attendees": "40",
        "organisations_represented": "",
        "is_published": "on",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
        "documents-0-title": "Compte rendu de l'atelier",
        "documents-0-kind": "minutes",
        "documents-0-language": "fr",
        "documents-0-file": samples.pdf(),
        "documents-0-url": "",
        "documents-0-is_published": "on",
    }
    data.update(overrides)
    return data


def edit_data(workshop, **overrides):
    data = workshop_data(
        workshop.organisers.first(),
        workshop.commitments.first() or CommitmentFactory(),
        title=workshop.title,
        **NO_DOCUMENTS,
    )
    for key in [k for k in data if k.startswith("documents-0-")]:
        del data[key]
    data.update(overrides)
    return data


def test_a_coordinator_creates_a_workshop_with_its_minutes(
    client, coordinator, ministry, commitment
):
    client.force_login(coordinator)

    response = client.post(ADD_URL, workshop_data(ministry, commitment))

    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert workshop.starts_at.isoformat() == "2030-04-08T12:00:00+00:00"
    document = workshop.documents.get()
    assert document.file_format == "pdf"
    assert workshop.history.count() == 1
    assert workshop.history.first().history_user == coordinator
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "Compte rendu de l&#x27;atelier" in page
    assert "PDF – " in page


def test_it_refuses_a_local_time_lost_to_daylight_saving(
    client, coordinator, ministry, commitment
):
    client.force_login(coordinator)
    data = workshop_data(ministry, commitment, starts_at_0="2030-03-31")
    data.update(starts_at_1="02:30", ends_at_0="2030-03-31", ends_at_1="04:00")

    response = client.post(ADD_URL, data)

    assert response.status_code == 400
    assert "does not exist in Paris time" in response.content.decode()
    assert not Workshop.objects.exists()
    assert not Document.objects.exists()


def test_it_refuses_a_disguised_file_in_the_back_office(
    client, coordinator, ministry, commitment
):
    client.force_login(coordinator)
    disguised = samples.upload("minutes.pdf", b"<svg onload=alert(1)/>")

    response = client.post(
        ADD_URL,
        workshop_data(ministry, commitment, **{"documents-0-file": disguised}),
    )

    assert response.status_code == 400
    assert "not a valid PDF" in response.content.decode()
    assert not Workshop.objects.exists()


def test_it_asks_for_a_reason_when_cancelled(client, coordinator, ministry, commitment):
    client.force_login(coordinator)

    response = client.post(
        ADD_URL, workshop_data(ministry, commitment, status="cancelled", **NO_DOCUMENTS)
    )

    assert response.status_code == 400
    assert not Workshop.objects.exists()


def test_an_editor_sees_only_the_workshops_of_their_institutions(
    client, editor, ministry, other_ministry
):
    WorkshopFactory(title="Chez nous", organisers=[ministry])
    WorkshopFactory(title="Chez les autres", organisers=[other_ministry])
    client.force_login(editor)

    response = client.get(reverse("admin:workshops_workshop_changelist"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Chez nous" in html
    assert "Chez les autres" not in html


def test_an_editor_cannot_change_another_institutions_workshop(
    client, editor, other_ministry
):
    workshop = WorkshopFactory(title="Chez les autres", organisers=[other_ministry])
    client.force_login(editor)

    response = client.post(change_url(workshop), edit_data(workshop, title="Pris"))

    assert response.status_code in (302, 403, 404)
    workshop.refresh_from_db()
    assert workshop.title == "Chez les autres"


def test_an_editor_must_include_their_own_institution(
    client, editor, other_ministry, commitment
):
    client.force_login(editor)

    response = client.post(
        ADD_URL, workshop_data(other_ministry, commitment, **NO_DOCUMENTS)
    )

    assert response.status_code == 400
    assert "your own institutions" in response.content.decode()
    assert not Workshop.objects.exists()


def test_an_editor_creates_a_workshop_for_their_institution(
    client, editor, ministry, commitment
):
    client.force_login(editor)

    response = client.post(ADD_URL, workshop_data(ministry, commitment))

    assert response.status_code == 302
    assert Workshop.objects.get().documents.count() == 1


def test_a_citizen_has_no_back_office(client, citizen):
    client.force_login(citizen)

    response = client.get(ADD_URL)

    assert response.status_code == 302


@pytest.fixture
def submission(cs_member, association, commitment):
    workshop = WorkshopFactory(
        title="Rapport associatif",
        is_published=False,
        submission=Workshop.Submission.PENDING,
        submitted_by=cs_member,
        organisers=[association],
        commitments=[commitment],
    )
    DocumentFactory(title="Synthèse", workshop=workshop, is_published=False)
    return workshop


def test_a_coordinator_publishes_a_submission_and_the_submitter_is_told(
    client, coordinator, submission, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(submission), edit_data(submission, decision="publish")
        )

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.submission == Workshop.Submission.PUBLISHED
    assert submission.is_published
    assert submission.reviewed_by == coordinator
    assert submission.documents.get().is_published
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["cs-member@example.org"]
    assert "is published" in message.subject
    assert f"/workshops/{submission.pk}/" in message.body
    assert client.get(submission.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(submission.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("reason", ["", " \u200b ", "\u202e"])
def test_returning_a_submission_needs_a_reason(client, coordinator, submission, reason):
    client.force_login(coordinator)

    response = client.post(
        change_url(submission),
        edit_data(submission, decision="return", decision_reason=reason),
    )

    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    submission.refresh_from_db()
    assert submission.submission == Workshop.Submission.PENDING
    assert mail.outbox == []


def test_a_returned_submission_stays_private_and_the_reason_is_sent(
    client, coordinator, submission, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    data = edit_data(
        submission, decision="return", decision_reason="Il manque la date réelle."
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(submission), data)

    submission.refresh_from_db()
    assert submission.submission == Workshop.Submission.RETURNED
    assert not submission.is_published
    assert submission.return_reason == "Il manque la date réelle."
    assert "Il manque la date réelle." in mail.outbox[0].body
    client.logout()
    assert client.get(submission.get_absolute_url()).status_code == 404


def test_an_editor_cannot_review_a_submission(client, editor, ministry, submission):
    submission.organisers.add(ministry)
    client.force_login(editor)

    client.post(change_url(submission), edit_data(submission, decision="publish"))

    submission.refresh_from_db()
    assert submission.submission == Workshop.Submission.PENDING
    assert not submission.is_published


def test_a_coordinator_publishes_several_submissions_at_once(
    client, coordinator, submission, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:workshops_workshop_changelist"),
            {"action": "publish_submissions", "_selected_action": [submission.pk]},
        )

    submission.refresh_from_db()
    assert submission.is_published
    assert len(mail.outbox) == 1


def test_the_history_of_a_workshop_is_readable(client, coordinator, submission):
    client.force_login(coordinator)

    response = client.get(history_url(submission.pk))
    wrong = client.get(history_url("abc"))

    assert response.status_code == 200
    assert "Rapport associatif" in response.content.decode()
    assert wrong.status_code == 404


def test_the_history_of_a_workshop_reads_in_french(client, coordinator, submission):
    with one_version(submission, user=submission.submitted_by, reason=SUBMITTED):
        submission.save()
    services.publish_submission(workshop=submission, reviewer=coordinator)
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    page = client.get(history_url(submission.pk)).content.decode()

    assert "soumission publiée" in page
    assert "Historique\u00a0: Rapport associatif" in page
    assert "Historique de vue" not in page
    assert "submission published" not in page
    assert "False" not in page
    assert "True" not in page


def test_an_old_version_can_be_read_but_not_restored(client, coordinator, submission):
    client.force_login(coordinator)
    version = submission.history.first()
    url = f"{history_url(submission.pk)}{version.history_id}/"

    shown = client.get(url)
    restored = client.post(url, edit_data(submission, title="Rétabli"))

    assert shown.status_code == 200
    assert restored.status_code == 403
    submission.refresh_from_db()
    assert submission.title == "Rapport associatif"


DOCUMENT_ADD_URL = "/admin/workshops/document/add/"


def document_data(**overrides):
    data = {
        "title": "Rapport d'étape",
        "kind": "report",
        "language": "fr",
        "date": "",
        "producer": "",
        "workshop": "",
        "file": samples.pdf(),
        "url": "",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def test_a_coordinator_adds_a_document_to_a_commitment(client, coordinator, commitment):
    client.force_login(coordinator)

    response = client.post(DOCUMENT_ADD_URL, document_data(commitments=[commitment.pk]))

    assert response.status_code == 302
    assert list(Document.objects.get().commitments.all()) == [commitment]


def test_a_document_must_be_linked_to_something(client, coordinator):
    client.force_login(coordinator)

    response = client.post(DOCUMENT_ADD_URL, document_data())

    assert response.status_code == 400
    assert not Document.objects.exists()


def test_an_editor_adds_documents_only_for_their_institutions(
    client, editor, ministry, other_ministry, commitment
):
    client.force_login(editor)

    refused = client.post(
        DOCUMENT_ADD_URL,
        document_data(producer=other_ministry.pk, commitments=[commitment.pk]),
    )
    accepted = client.post(
        DOCUMENT_ADD_URL,
        document_data(producer=ministry.pk, commitments=[commitment.pk]),
    )

    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert list(Document.objects.values_list("producer", flat=True)) == [ministry.pk]


def test_an_editor_sees_only_their_institutions_documents(
    client, editor, ministry, other_ministry
):
    DocumentFactory(title="Le nôtre", producer=ministry)
    DocumentFactory(title="Le leur", producer=other_ministry)
    client.force_login(editor)

    response = client.get(reverse("admin:workshops_document_changelist"))

    html = response.content.decode()
    assert "Le nôtre" in html
    assert "Le leur" not in html
