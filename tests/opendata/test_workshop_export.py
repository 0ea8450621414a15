"""The workshop list's files: workshops and their documents' metadata."""

import pytest

from tests.opendata.conftest import read_csv, read_excel_csv, read_json
from tests.workshops.factories import DocumentFactory, WorkshopFactory, paris
from workshops.exports import DOCUMENTS, WORKSHOPS

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("https://example.invalid","x")'


@pytest.fixture
def workshops(commitments, ministry, partner, milestone):
    held = WorkshopFactory(
        title=FORMULA,
        starts_at=paris(2022, 3, 27, 14, 0),
        ends_at=paris(2022, 3, 27, 16, 0),
        status="held",
        organisers=[partner, ministry],
        commitments=[commitments[0]],
        milestones=[milestone],
        attendees=40,
    )
    webinar = WorkshopFactory(
        title="Webinaire",
        kind="webinar",
        place="",
        online_url="https://visio.example/abc",
        starts_at=paris(2022, 1, 10, 10, 0),
        ends_at=paris(2022, 1, 10, 11, 0),
        organisers=[ministry],
    )
    WorkshopFactory(title="Brouillon", is_published=False)

    return [held, webinar]


def test_it_exports_published_workshops(client, workshops, commitments, milestone):
    response = client.get("/fr/workshops/export.csv")

    rows = read_csv(response)
    assert response.status_code == 200
    assert list(rows[0]) == WORKSHOPS.column_names
    assert [row["title"] for row in rows] == ["Webinaire", FORMULA]
    held = rows[1]
    assert held["starts_at"] == "2022-03-27T12:00:00Z"
    assert held["ends_at"] == "2022-03-27T14:00:00Z"
    assert held["organisers"] == "asso-z|ministry-a"
    assert held["organiser_names"] == "Association Z|Ministère A"
    assert held["commitments"] == "fr-2021-2023/38"
    assert held["commitment_ids"] == str(commitments[0].pk)
    assert held["milestone_ids"] == str(milestone.pk)
    assert held["attendees"] == "40"
    assert held["status"] == "held"
    assert held["is_civil_society_report"] == "false"
    assert held["url"] == f"http://testserver/fr/workshops/{workshops[0].pk}/"


def test_it_follows_the_workshop_list_filters(client, workshops):
    rows = read_json(client.get("/fr/workshops/export.json?kind=webinar"))
    by_organiser = read_json(client.get("/fr/workshops/export.json?organiser=asso-z"))

    assert [row["title"] for row in rows] == ["Webinaire"]
    assert [row["title"] for row in by_organiser] == [FORMULA]


def test_it_neutralises_formulas_for_excel(client, workshops):
    response = client.get("/fr/workshops/export-excel.csv")

    rows = read_excel_csv(response)

    assert [row["title"] for row in rows] == ["Webinaire", "'" + FORMULA]
    assert rows[1]["attendees"] == "40"


@pytest.mark.parametrize(
    "query", ["kind=party", "date_from=2022-02-30", "organiser=nobody"]
)
def test_it_refuses_invalid_filters_like_the_list(client, workshops, query):
    page = client.get(f"/en/workshops/?{query}")

    response = client.get(f"/en/workshops/export.csv?{query}")

    assert page.status_code == 400
    assert response.status_code == 400
    assert "no file was made" in response.content.decode()


def test_it_exports_public_documents_metadata(client, workshops, commitments):
    pdf = DocumentFactory(
        title="Compte rendu", workshop=workshops[0], commitments=[commitments[0]]
    )
    link = DocumentFactory(
        title="Synthèse", file="", url="https://ailleurs.example/doc", kind="synthesis"
    )
    DocumentFactory(title="Privé", workshop=workshops[0], is_published=False)
    DocumentFactory(
        title="D'un brouillon",
        workshop=workshops[0].__class__.objects.get(title="Brouillon"),
    )

    rows = read_csv(client.get("/fr/workshops/documents/export.csv"))

    assert list(rows[0]) == DOCUMENTS.column_names
    by_title = {row["title"]: row for row in rows}
    assert set(by_title) == {"Compte rendu", "Synthèse"}
    assert by_title["Compte rendu"]["is_file"] == "true"
    assert by_title["Compte rendu"]["format"] == "pdf"
    assert int(by_title["Compte rendu"]["size_bytes"]) > 0
    assert by_title["Compte rendu"]["url"] == (
        f"http://testserver/fr/workshops/documents/{pdf.pk}/download/"
    )
    assert by_title["Compte rendu"]["workshop_id"] == str(workshops[0].pk)
    assert by_title["Compte rendu"]["commitments"] == "fr-2021-2023/38"
    assert by_title["Synthèse"]["is_file"] == "false"
    assert by_title["Synthèse"]["url"] == link.url
    assert by_title["Synthèse"]["size_bytes"] == ""


def test_it_exports_the_documents_of_the_listed_workshops(client, workshops):
    DocumentFactory(title="Du webinaire", workshop=workshops[1])
    DocumentFactory(title="De l'atelier", workshop=workshops[0])
    DocumentFactory(title="Sans atelier")

    rows = read_json(client.get("/fr/workshops/documents/export.json?kind=webinar"))

    assert [row["title"] for row in rows] == ["Du webinaire"]
