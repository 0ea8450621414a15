import datetime

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains

from commitments.models import IrmAssessment, Milestone
from commitments.versioning import one_version
from tests.commitments.public_data import NOW, build_plan, count_queries
from tests.factories import (
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def url(commitment, suffix: str = "", language: str = "fr") -> str:
    plan = commitment.plan.slug
    return f"/{language}/plans/{plan}/commitments/{commitment.reference}/{suffix}"


def test_it_shows_the_commitment_in_full(client):
    data = build_plan()
    commitment = data.commitments[0]
    lead, partner = data.institutions

    response = client.get(url(commitment))

    assert response.status_code == 200
    assertContains(response, commitment.title_fr)
    assertContains(response, "<strong>résumé</strong>", html=False)
    assertContains(response, "Le problème à résoudre.")
    assertContains(response, f"/fr/institutions/{lead.slug}/")
    assertContains(response, f"/fr/institutions/{partner.slug}/")
    assertContains(response, 'data-report="government"')
    assertContains(response, 'data-report="irm"')
    assertContains(response, 'data-generation="irm_2021"')
    assertContains(response, "https://example.org/rapport")
    assertContains(response, 'data-flag="help-wanted"')
    assertContains(response, '<svg class="progress-chart"')


def test_it_sanitises_markdown_written_by_staff(client):
    commitment = CommitmentFactory(
        summary_fr='<script>alert("x")</script>[lien](javascript:alert(1))',
        sources=["javascript:alert(2)"],
    )

    response = client.get(url(commitment))

    assertNotContains(response, '<script>alert("x")</script>', html=False)
    assertNotContains(response, 'href="javascript:')


def test_it_shows_planned_and_revised_dates_of_milestones(client):
    commitment = CommitmentFactory()
    MilestoneFactory(
        commitment=commitment,
        planned_end=datetime.date(2022, 6, 30),
        revised_due=datetime.date(2022, 12, 31),
    )
    MilestoneFactory(
        commitment=commitment,
        planned_end=datetime.date(2022, 6, 30),
        status=Milestone.Status.IN_PROGRESS,
    )

    response = client.get(url(commitment))

    assertContains(response, 'data-flag="slipped"', count=1)
    assertContains(response, 'data-flag="late"', count=2)


def test_it_writes_the_first_of_a_month_as_french_readers_do(client):
    commitment = CommitmentFactory()
    MilestoneFactory(
        commitment=commitment,
        planned_end=datetime.date(2022, 6, 30),
        revised_due=datetime.date(2023, 1, 1),
    )

    french = client.get(url(commitment))
    english = client.get(url(commitment, language="en"))

    assertContains(french, "1er janvier 2023")
    assertNotContains(french, ">1 janvier 2023")
    assertContains(english, "Jan. 1, 2023")


def test_it_labels_an_older_irm_assessment_with_its_generation(client):
    commitment = CommitmentFactory()
    IrmAssessment.objects.create(
        commitment=commitment,
        generation=IrmAssessment.Generation.IRM_2014,
        early_results="marginal",
    )

    response = client.get(url(commitment))

    assertContains(response, 'data-generation="irm_2014"')


def test_it_leads_an_ogp_identifier_to_the_numbered_address(client):
    commitment = CommitmentFactory(number=38, ogp_id="FR0088")

    response = client.get(
        f"/fr/plans/{commitment.plan.slug}/commitments/fr0088/?as_of=2022-01-01"
    )

    assert response.status_code == 301
    assert response["Location"] == url(commitment) + "?as_of=2022-01-01"


def test_it_uses_the_ogp_identifier_when_there_is_no_number(client):
    commitment = CommitmentFactory(number=None, ogp_id="FR0099")

    response = client.get(url(commitment))

    assert response.status_code == 200
    assert url(commitment).endswith("/commitments/FR0099/")


@pytest.mark.parametrize("ref", ["999", "nope", "9" * 30, "1" * 12, "%C3%A9"])
def test_it_answers_an_unknown_commitment_with_a_404(client, ref):
    commitment = CommitmentFactory()

    response = client.get(f"/en/plans/{commitment.plan.slug}/commitments/{ref}/")

    assert response.status_code == 404
    assertContains(response, '<html lang="en"', status_code=404)


def test_it_hides_commitments_of_unpublished_plans(client):
    commitment = CommitmentFactory(plan__is_published=False)

    response = client.get(url(commitment))

    assert response.status_code == 404


def test_it_shows_the_commitment_as_of_a_past_date(client):
    with time_machine.travel(datetime.datetime(2022, 1, 10, tzinfo=datetime.UTC)):
        first_lead = InstitutionFactory()
        commitment = CommitmentFactory(title_fr="Titre original")
        commitment.lead_institutions.add(first_lead)
        MilestoneFactory(commitment=commitment, title_fr="Jalon original")
    new_lead = InstitutionFactory()
    with one_version(commitment):
        commitment.title_fr = "Titre nouveau"
        commitment.save()
        commitment.lead_institutions.set([new_lead])
    MilestoneFactory(commitment=commitment, title_fr="Jalon ajouté")
    ProgressUpdateFactory(commitment=commitment, percentage=70)

    response = client.get(url(commitment), {"as_of": "2022-01-15"})

    assertContains(response, "Titre original")
    assertNotContains(response, "Titre nouveau")
    assertContains(response, f"/fr/institutions/{first_lead.slug}/")
    assertNotContains(response, f"/fr/institutions/{new_lead.slug}/")
    assertContains(response, "Jalon original")
    assertNotContains(response, "Jalon ajouté")
    assertNotContains(response, "70\u00a0%")
    assertContains(response, 'data-as-of="2022-01-15"')


def test_it_shows_an_empty_state_before_the_commitment_existed(client):
    commitment = CommitmentFactory()

    response = client.get(url(commitment), {"as_of": "2020-01-01"})

    assert response.status_code == 200
    assertContains(response, "data-empty-state")


def test_it_keeps_places_for_comments_and_workshops(client, settings, tmp_path):
    commitment = CommitmentFactory()
    for app in ("community", "workshops"):
        folder = tmp_path / app / "includes"
        folder.mkdir(parents=True)
        (folder / "commitment_section.html").write_text(
            f"<p data-section='{app}'>{{{{ commitment.pk }}}}</p>"
        )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    response = client.get(url(commitment))

    assertContains(response, f"<p data-section='community'>{commitment.pk}</p>")
    assertContains(response, f"<p data-section='workshops'>{commitment.pk}</p>")


def test_it_costs_the_same_queries_with_ten_times_the_data(client):
    data = build_plan()
    commitment = data.commitments[0]
    # Ours: commitment with its facts and policy areas, institutions, milestones,
    # updates and evidence; comments and workshops add three.
    expected = 8

    small, _ = count_queries(client, url(commitment))
    build_plan(size=10, data=data)
    for _ in range(10):
        MilestoneFactory(commitment=commitment)
        ProgressUpdateFactory(commitment=commitment)
        commitment.partners.add(InstitutionFactory())
    large, _ = count_queries(client, url(commitment))

    assert small == large == expected


def test_it_costs_the_same_queries_as_of_a_date_with_ten_times_the_data(client):
    data = build_plan()
    commitment = data.commitments[0]
    address = url(commitment) + "?as_of=2022-09-01"

    small, _ = count_queries(client, address)
    build_plan(size=10, data=data)
    for _ in range(10):
        MilestoneFactory(commitment=commitment)
        with one_version(commitment):
            commitment.partners.add(InstitutionFactory())
    large, _ = count_queries(client, address)

    assert small == large == 10


def test_it_marks_french_text_shown_on_an_english_page(client):
    commitment = CommitmentFactory(
        title_fr="Ouvrir les données",
        title_en="",
        summary_fr="En bref.",
        summary_en="",
        problem_fr="Le problème.",
    )
    MilestoneFactory(commitment=commitment, title_fr="Publier", title_en="")

    english = client.get(url(commitment, language="en")).content.decode()
    french = client.get(url(commitment)).content.decode()

    assert '<h1><span lang="fr">Ouvrir les données</span></h1>' in english
    assert '<span lang="fr">Publier</span>' in english
    assert '<div lang="fr"><p>Le problème.</p>' in english
    assert 'lang="fr"><p>En bref.</p>' in english
    assert "<h1>Ouvrir les données</h1>" in french
    assert '<div lang="fr"><p>Le problème.' not in french


def test_it_marks_nothing_when_the_page_language_has_a_text(client):
    commitment = CommitmentFactory(title_fr="Ouvrir", title_en="Open data")

    english = client.get(url(commitment, language="en")).content.decode()

    assert "<h1>Open data</h1>" in english
