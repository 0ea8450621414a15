import pytest
import time_machine
from pytest_django.asserts import assertContains

from tests.commitments.public_data import NOW, build_plan, count_queries
from tests.factories import CommitmentFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_shows_the_commitments_an_institution_leads_and_its_figures(client):
    data = build_plan()
    lead = data.institutions[0]

    response = client.get(f"/fr/institutions/{lead.slug}/")

    assert response.status_code == 200
    assert len(response.context["led"]) == 3
    assert response.context["figures"]["completed"] == 1
    assertContains(response, lead.name)
    for commitment in data.commitments:
        assertContains(response, f"/commitments/{commitment.reference}/")


def test_it_shows_the_commitments_it_supports_as_a_partner(client):
    data = build_plan()
    partner = data.institutions[1]

    response = client.get(f"/fr/institutions/{partner.slug}/")

    assert response.context["led"] == []
    assert len(response.context["partnered"]) == 3


def test_it_leaves_out_commitments_of_unpublished_plans(client):
    institution = InstitutionFactory()
    CommitmentFactory(lead_institutions=[institution], plan__is_published=False)

    response = client.get(f"/fr/institutions/{institution.slug}/")

    assert response.context["led"] == []


def test_it_answers_an_unknown_institution_with_a_404(client):
    response = client.get("/en/institutions/nobody/")

    assert response.status_code == 404
    assertContains(response, '<html lang="en"', status_code=404)


def test_it_costs_the_same_queries_with_ten_times_the_data(client):
    data = build_plan()
    lead = data.institutions[0]
    # Institution, led and partnered commitments; the community's
    # section adds two.
    expected = 5

    small, _ = count_queries(client, f"/fr/institutions/{lead.slug}/")
    for _ in range(10):
        more = build_plan(data=data)
        for commitment in more.commitments[-3:]:
            commitment.lead_institutions.add(lead)
    large, response = count_queries(client, f"/fr/institutions/{lead.slug}/")

    assert len(response.context["led"]) == 33
    assert small == large == expected
