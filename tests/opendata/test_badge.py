"""The embeddable SVG badge of a commitment."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from commitments.models import Status
from tests.factories import CommitmentFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
URL = "/fr/plans/fr-2021-2023/commitments/38/badge.svg"


def test_it_shows_status_and_percentage_with_a_text_alternative(client, update):
    response = client.get(URL)

    svg = ET.fromstring(response.content)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert svg.get("role") == "img"
    with translation.override("fr"):
        label = str(_("Commitment %(ref)s") % {"ref": 38})
        status = str(Status.IN_PROGRESS.label)
    # French puts a no-break space before a colon and a per cent sign.
    assert svg.get("aria-label") == f"{label}\xa0: {status}, 62,5\xa0%"
    assert svg.findtext(f"{SVG}title") == svg.get("aria-label")
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert texts == [label, f"{status} · 62,5\xa0%"]
    # Coordinates stay in SVG syntax whatever the language's decimal mark.
    assert all("," not in text.get("x") for text in svg.iter(f"{SVG}text"))


def test_it_speaks_the_language_of_its_address(client, update):
    response = client.get(URL.replace("/fr/", "/en/"))

    svg = ET.fromstring(response.content)
    assert svg.get("aria-label") == "Commitment 38: in progress, 62.5%"


def test_it_can_be_cached_and_revalidated(client, update):
    first = client.get(URL)

    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert "public" in first["Cache-Control"]
    assert "max-age=600" in first["Cache-Control"]
    assert first["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert again.status_code == 304


def test_it_changes_when_the_status_changes(client, update):
    before = client.get(URL)["ETag"]
    ProgressUpdateFactory(
        commitment=update.commitment, status=Status.COMPLETED, percentage=100
    )

    response = client.get(URL, HTTP_IF_NONE_MATCH=before)

    assert response.status_code == 200
    assert "100\xa0%" in response.content.decode()


def test_it_finds_a_commitment_by_its_ogp_identifier(client, commitments):
    response = client.get(URL.replace("/38/", "/FR0088/"))

    assert response.status_code == 200
    with translation.override("fr"):
        status = str(Status.NOT_STARTED.label)
    assert status.encode() in response.content


def test_it_escapes_what_it_shows(client, plan):
    CommitmentFactory(plan=plan, number=None, ogp_id="FR<b>1")

    response = client.get("/en/plans/fr-2021-2023/commitments/FR<b>1/badge.svg")

    assert response.status_code == 200
    assert b"FR&lt;b&gt;1" in response.content
    ET.fromstring(response.content)


@pytest.mark.parametrize(
    "path",
    [
        "/fr/plans/fr-2021-2023/commitments/99/badge.svg",
        "/fr/plans/fr-2021-2023/commitments/99999999999999/badge.svg",
        "/fr/plans/draft-plan/commitments/1/badge.svg",
        "/fr/plans/nope/commitments/38/badge.svg",
    ],
)
def test_it_answers_404_for_unknown_or_unpublished_commitments(
    client, commitments, hidden_plan, path
):
    CommitmentFactory(plan=hidden_plan, number=1)

    assert client.get(path).status_code == 404


def test_it_refuses_other_methods(client, commitments):
    assert client.post(URL).status_code == 405
