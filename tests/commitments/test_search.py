import datetime

import pytest
import time_machine
from pytest_django.asserts import assertContains

from commitments import search
from commitments.filters import CommitmentFilter
from commitments.models import Commitment
from commitments.versioning import one_version
from tests.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = ActionPlanFactory(slug="fr-2021-2023")
    CommitmentFactory(plan=plan, number=38, title_fr="Outiller le Gouvernement ouvert")
    CommitmentFactory(
        plan=plan,
        number=12,
        title_fr="Accès à l'information publique",
        summary_fr="Publier les données des administrations.",
    )
    CommitmentFactory(plan=plan, number=5, title_fr="Transparence des lobbies")
    return plan


def numbers(query: str) -> list[int]:
    found = search.search(Commitment.objects.all(), query)
    return sorted(commitment.number for commitment in found)


@pytest.mark.parametrize(
    "query",
    [
        "acces a l'information",
        "ACCÈS À L'INFORMATION",
        "informations",
        "Acces information",
        "donnee administration",
    ],
)
def test_it_ignores_accents_case_and_plurals(plan, query):
    assert numbers(query) == [12]


def test_it_finds_commitment_38_for_open_government(plan):
    assert numbers("gouvernement ouvert") == [38]


def test_it_needs_every_word(plan):
    assert numbers("gouvernement lobbies") == []


def test_it_finds_nothing_for_common_words_only(plan):
    assert numbers("de la") == []


def test_it_folds_text_for_the_simple_fallback():
    assert search.fold("Accès aux Données") == "acce aux donnee"
    assert search.query_words("l'accès à la donnée") == ["acce", "donnee"]


def test_it_searches_from_the_list_page_and_the_header(client, plan):
    listed = client.get(
        "/fr/plans/fr-2021-2023/commitments/", {"q": "gouvernement ouvert"}
    )
    header = client.get("/fr/search/", {"q": "gouvernement ouvert"})

    assert [c.number for c in listed.context["page"].objects] == [38]
    assert header.status_code == 302
    assert header["Location"] == (
        "/fr/plans/fr-2021-2023/commitments/?q=gouvernement+ouvert"
    )


def test_it_searches_the_words_a_commitment_had_at_a_past_date(plan):
    with time_machine.travel(datetime.datetime(2022, 1, 10, tzinfo=datetime.UTC)):
        renamed = CommitmentFactory(plan=plan, title_fr="Budget participatif")
    with one_version(renamed):
        renamed.title_fr = "Consultation citoyenne"
        renamed.save()

    past = CommitmentFilter({"q": "budget", "as_of": "2022-01-31"}, plan=plan)
    today = CommitmentFilter({"q": "budget"}, plan=plan)

    assert [c.pk for c in past.qs] == [renamed.pk]
    assert list(today.qs) == []


def test_it_escapes_and_refuses_an_overlong_query(client, plan):
    response = client.get("/fr/plans/fr-2021-2023/commitments/", {"q": "<i>x</i>" * 40})

    assert response.status_code == 200
    assertContains(response, "data-ignored")
    assert "<i>x</i>" not in response.content.decode()


@pytest.mark.parametrize("query", ["de", "la", "%", '"'])
def test_a_query_of_common_words_or_signs_gives_an_empty_list(client, plan, query):
    url = f"/fr/plans/{plan.slug}/commitments/"

    response = client.get(url, {"q": query})

    assert response.status_code == 200
    assert response.context["page"].count == 0


@pytest.mark.parametrize("query", ["a ", "les ", "!"])
def test_a_query_of_short_words_is_answered(client, plan, query):
    response = client.get(f"/fr/plans/{plan.slug}/commitments/", {"q": query})

    assert response.status_code == 200
