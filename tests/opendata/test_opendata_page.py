"""The "Données ouvertes" page and the export buttons of list pages."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments import opendata
from commitments.opendata import all_datasets
from tests.factories import ActionPlanFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_describes_every_dataset_and_its_columns(client, plan, language):
    response = client.get(f"/{language}/open-data/")

    html = response.content.decode()
    assert response.status_code == 200
    for name, dataset in all_datasets().items():
        assert f'id="dataset-{name}"' in html
        assert f"/{language}/open-data/{name}/schema.json" in html
        for column in dataset.column_names:
            assert f"<code>{column}</code>" in html
    assert "Licence Ouverte / Open Licence 2.0" in html
    assert 'rel="license"' in html
    assert f"/{language}/plans/fr-2021-2023/commitments/export.csv" in html
    assert f"/{language}/feeds/updates.atom" in html


def test_it_links_only_to_published_plans(client, plan, hidden_plan):
    html = client.get("/en/open-data/").content.decode()

    assert "/plans/fr-2021-2023/commitments/export-excel.csv" in html
    assert "draft-plan" not in html


def test_it_costs_the_same_queries_with_more_plans(client, plan):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/open-data/").status_code == 200
        return len(queries)

    count()  # Fills the cache of the footer's accessibility level.
    small = count()
    ActionPlanFactory.create_batch(9)

    assert count() == small


def test_it_builds_the_same_addresses_as_the_public_pages(plan):
    detail = reverse(
        "commitments:commitment_detail", kwargs={"plan": plan.slug, "ref": "38"}
    )

    assert opendata.commitment_path(plan.slug, "38") == detail
    assert opendata.plan_path(plan.slug) == reverse(
        "commitments:plan_dashboard", kwargs={"plan": plan.slug}
    )
    assert opendata.institution_path("ministry-a") == reverse(
        "commitments:institution_detail", kwargs={"institution": "ministry-a"}
    )


def _buttons(path: str) -> str:
    request = RequestFactory().get(path)
    template = Template('{% include "commitments/includes/export_buttons.html" %}')
    return template.render(Context({"request": request}))


def test_the_buttons_carry_the_lists_query_without_its_page(plan):
    html = _buttons("/fr/plans/fr-2021-2023/commitments/?institution=a&page=3&q=x")

    base = "/fr/plans/fr-2021-2023/commitments/"
    assert f'href="{base}export.csv?institution=a&amp;q=x"' in html
    assert f'href="{base}export-excel.csv?institution=a&amp;q=x"' in html
    assert f'href="{base}export.json?institution=a&amp;q=x"' in html
    assert f'href="{base}milestones/export.csv?institution=a&amp;q=x"' in html
    assert f'href="{base}history/export.json?institution=a&amp;q=x"' in html
    assert "page=3" not in html


def test_the_buttons_follow_the_workshop_list(db):
    html = _buttons("/en/workshops/?kind=webinar")

    assert 'href="/en/workshops/export.csv?kind=webinar"' in html
    assert 'href="/en/workshops/documents/export.json?kind=webinar"' in html
    assert "milestones" not in html


def test_the_buttons_offer_a_commitments_history(db):
    html = _buttons("/fr/plans/p/commitments/38/history/")

    assert 'href="/fr/plans/p/commitments/38/history/export.csv"' in html


def test_the_buttons_stay_away_from_pages_without_exports(db):
    assert _buttons("/fr/open-data/").strip() == ""
