"""The fragments other pages include: a commitment's workshops, the next workshops."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory
from tests.workshops.factories import DocumentFactory, WorkshopFactory, paris

NOW = paris(2030, 3, 1, 12, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def commitment_section(commitment) -> tuple[str, int]:
    request = RequestFactory().get("/fr/")
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string(
            "workshops/includes/commitment_section.html",
            {"commitment": commitment, "request": request},
        )
    return html, len(queries)


def dashboard_section(plan) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string(
            "workshops/includes/dashboard_section.html", {"plan": plan}
        )
    return html, len(queries)


def test_the_commitment_section_lists_its_workshops_and_documents(commitment):
    workshop = WorkshopFactory(title="Atelier lié", commitments=[commitment])
    DocumentFactory(title="Synthèse de l'atelier", workshop=workshop)
    DocumentFactory(title="Rapport direct", commitments=[commitment])
    milestone = MilestoneFactory(commitment=commitment)
    on_milestone = DocumentFactory(title="Livrable du jalon")
    on_milestone.milestones.add(milestone)
    WorkshopFactory(title="Atelier sans lien")
    DocumentFactory(
        title="Document caché", commitments=[commitment], is_published=False
    )

    html, _queries = commitment_section(commitment)

    assert "Atelier lié" in html
    assert "Synthèse de l&#x27;atelier" in html
    assert "Rapport direct" in html
    assert "Livrable du jalon" in html
    assert "Atelier sans lien" not in html
    assert "Document caché" not in html
    assert "PDF – " in html


def test_the_commitment_section_leaves_out_unpublished_workshops(commitment):
    hidden = WorkshopFactory(
        title="Atelier privé", commitments=[commitment], is_published=False
    )
    DocumentFactory(title="Pièce privée", workshop=hidden)

    html, _queries = commitment_section(commitment)

    assert "Atelier privé" not in html
    assert "Pièce privée" not in html
    assert "No workshop" in html or "Aucun atelier" in html


@pytest.mark.parametrize("scale", [1, 10])
def test_the_commitment_section_costs_two_queries_at_any_scale(commitment, scale):
    for _index in range(3 * scale):
        workshop = WorkshopFactory(commitments=[commitment])
        DocumentFactory(workshop=workshop)
        DocumentFactory(commitments=[commitment])

    html, queries = commitment_section(commitment)

    assert queries == 2
    assert html.count("fr-link--download") == min(6 * scale, 20)


def test_the_dashboard_section_shows_the_plans_next_workshops_first(db):
    plan = ActionPlanFactory()
    mine = CommitmentFactory(plan=plan)
    WorkshopFactory(
        title="Autre plan",
        commitments=[CommitmentFactory()],
        starts_at=NOW + datetime.timedelta(days=1),
    )
    WorkshopFactory(
        title="Bientôt",
        commitments=[mine, CommitmentFactory(plan=plan)],
        starts_at=NOW + datetime.timedelta(days=2),
    )
    WorkshopFactory(
        title="Passé", commitments=[mine], starts_at=NOW - datetime.timedelta(days=2)
    )

    html, _queries = dashboard_section(plan)

    assert html.count("Bientôt") == 1
    assert html.index("Bientôt") < html.index("Autre plan")
    assert "Passé" not in html


def test_the_dashboard_section_without_a_plan_shows_every_next_workshop(db):
    WorkshopFactory(title="Sans engagement")

    html, _queries = dashboard_section(None)

    assert "Sans engagement" in html


@pytest.mark.parametrize("scale", [1, 10])
def test_the_dashboard_section_costs_one_query_at_any_scale(db, scale):
    plan = ActionPlanFactory()
    commitment = CommitmentFactory(plan=plan)
    for index in range(3 * scale):
        WorkshopFactory(
            commitments=[commitment], starts_at=NOW + datetime.timedelta(days=index + 1)
        )

    html, queries = dashboard_section(plan)

    assert queries == 1
    assert html.count("fr-card__title") == min(3 * scale, 4)
