"""Table Schemas: served at stable addresses, and real exports validate against them."""

import csv
import io
import json

import pytest
from frictionless import Resource, Schema, validate

from commitments.models import EvidenceLink, IrmAssessment
from commitments.opendata import all_datasets
from community.models import Comment
from tests.factories import CommitmentFactory, MilestoneFactory
from tests.opendata.conftest import body_of
from tests.workshops.factories import DocumentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
LIST = "/fr/plans/fr-2021-2023/commitments/"
EXPORTS = {
    "commitments": LIST + "export.csv",
    "milestones": LIST + "milestones/export.csv",
    "progress-updates": LIST + "updates/export.csv",
    "history": LIST + "history/export.csv",
    "comments": LIST + "comments/export.csv",
    "workshops": "/fr/workshops/export.csv",
    "documents": "/fr/workshops/documents/export.csv",
}
HOSTILE = '=HYPERLINK("https://example.invalid","x"); "quoted", commas,\nnew line'


@pytest.fixture
def everything(commitments, milestone, update, member, ministry, partner):
    """Fill every dataset with at least one row, hostile text included."""
    odd = CommitmentFactory(
        plan=commitments[0].plan,
        number=41,
        title_fr=HOSTILE,
        start=commitments[0].start,
        start_precision="season",
        end=None,
    )
    odd.title_fr = "-" + HOSTILE
    odd.save()
    MilestoneFactory(commitment=odd, planned_start=None, planned_end=None)
    IrmAssessment.objects.create(
        commitment=commitments[0], verifiable="yes", ambition="moderate"
    )
    EvidenceLink.objects.create(update=update, title=HOSTILE, url="https://a.example")
    Comment.objects.create(commitment=commitments[0], author=member, body=HOSTILE)
    workshop = WorkshopFactory(
        title=HOSTILE, organisers=[partner], commitments=[commitments[0]]
    )
    DocumentFactory(title=HOSTILE, workshop=workshop, producer=ministry)
    DocumentFactory(title="Lien", file="", url="https://ailleurs.example/doc")


def test_it_offers_an_export_and_a_schema_for_every_dataset():
    assert set(all_datasets()) == set(EXPORTS)


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_it_serves_each_schema_at_a_stable_address(client, name):
    response = client.get(f"/fr/open-data/{name}/schema.json")

    descriptor = response.json()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert validate(descriptor, type="schema").valid
    assert [field["name"] for field in descriptor["fields"]] == (
        all_datasets()[name].column_names
    )
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"


def test_it_describes_the_schema_in_the_visitors_language(client):
    english = client.get("/en/open-data/commitments/schema.json").json()

    assert english["fields"][0]["description"].startswith("Database identifier")


def test_it_answers_404_for_an_unknown_schema(client):
    assert client.get("/fr/open-data/secrets/schema.json").status_code == 404


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_real_exports_validate_against_their_schema(client, everything, tmp_path, name):
    descriptor = client.get(f"/fr/open-data/{name}/schema.json").json()
    data = body_of(client.get(EXPORTS[name]))
    (tmp_path / "export.csv").write_bytes(data)

    resource = Resource(
        path="export.csv",
        basepath=str(tmp_path),
        schema=Schema.from_descriptor(descriptor),
    )
    report = resource.validate()

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert data.count(b"\n") > 1


def test_it_writes_the_history_changes_as_json_objects(client, everything):
    data = body_of(client.get(EXPORTS["history"])).decode()

    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert all(isinstance(json.loads(row["changes"]), dict) for row in rows)
