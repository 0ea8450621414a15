import datetime
import re

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains

from commitments.models import ActionPlan, Commitment
from commitments.versioning import one_version
from tests.commitments.public_data import NOW, build_plan, count_queries
from tests.factories import ActionPlanFactory, CommitmentFactory

pytestmark = pytest.mark.django_db

PLAN_URL = "/fr/plans/fr-2021-2023/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def figure(response, name: str) -> str:
    html = response.content.decode()
    match = re.search(
        rf'data-figure="{name}">\s*<span class="key-figure__value">([^<]*)<', html
    )
    assert match, name
    return match.group(1).strip()


def test_it_shows_the_key_figures_of_the_plan(client):
    build_plan()

    response = client.get(PLAN_URL)

    assert response.status_code == 200
    assert figure(response, "commitments") == "3"
    assert figure(response, "completed") == "33,3\u00a0%"
    assert figure(response, "milestones-done") == "3 / 9"
    assert figure(response, "milestones-late") == "3"
    assert figure(response, "milestones-upcoming") == "3"
    label = response.content.decode().split('data-figure="commitments"')[1]
    assert "59" in label.split("</p>")[0]


def test_it_gives_the_plans_period_as_precisely_as_it_is_known(client):
    ActionPlanFactory(
        slug="fr-2024-2026",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2026, 6, 1),
        end_precision="season",
    )

    dashboard = client.get("/fr/plans/fr-2024-2026/")
    plans = client.get("/fr/plans/")

    assertContains(dashboard, "janvier 2024 – été 2026")
    assertContains(plans, "janvier 2024 – été 2026")
    assertNotContains(plans, "juin 2026")


def test_it_counts_commitments_by_status_in_a_table_beside_the_chart(client):
    build_plan()

    response = client.get(PLAN_URL)

    html = response.content.decode()
    assert 'data-status="completed"' in html
    assert '<svg class="status-chart"' in html
    rows = re.findall(
        r'<tr data-status="(\w+)">.*?<td>\s*(?:<a[^>]*>)?(\d+)', html, re.S
    )
    # The third commitment has no update: one milestone of three done makes
    # it "in progress".
    assert dict(rows) == {
        "completed": "1",
        "in_progress": "2",
        "not_started": "0",
        "withdrawn": "0",
    }


def test_it_never_tells_a_status_by_colour_alone(client):
    build_plan()

    response = client.get(PLAN_URL)

    # Every badge carries its status as words, and the chart has a title.
    badges = re.findall(r'data-status="\w+">([^<]*)</span>', response.content.decode())
    assert badges
    assert all(text.strip() for text in badges)
    assertContains(response, '<title id="status-chart-title">')


def test_it_lists_progress_by_lead_institution(client):
    data = build_plan()
    lead = data.institutions[0]

    response = client.get(PLAN_URL)

    assertContains(response, f"/fr/institutions/{lead.slug}/")
    assertContains(response, f"?institution={lead.slug}")


def test_it_lists_late_and_upcoming_milestones_and_recent_updates(client):
    build_plan()

    response = client.get(PLAN_URL)

    html = response.content.decode()
    late = html.split('data-list="late-milestones"')[1].split("</ul>")[0]
    upcoming = html.split('data-list="upcoming-milestones"')[1].split("</ul>")[0]
    assert late.count("<li>") == 3
    assert upcoming.count("<li>") == 3
    assert 'data-list="recent"' in html


def test_it_shows_the_current_plan_on_the_home_page(client, settings):
    build_plan()
    ActionPlanFactory(slug="older", start=datetime.date(2018, 1, 1))

    response = client.get("/fr/")

    assert response.context["plan"].slug == "fr-2021-2023"
    assert response.context["is_home"] is True


def test_it_shows_the_configured_plan_on_the_home_page(client, settings):
    build_plan()
    ActionPlanFactory(slug="older", start=datetime.date(2018, 1, 1))
    settings.OGP_CURRENT_PLAN = "older"

    response = client.get("/fr/")

    assert response.context["plan"].slug == "older"


def test_it_shows_the_latest_plan_when_the_configured_one_is_missing(client, settings):
    build_plan()
    ActionPlanFactory(slug="older", start=datetime.date(2018, 1, 1))
    settings.OGP_CURRENT_PLAN = "no-such-plan"

    response = client.get("/fr/")

    assert response.context["plan"].slug == "fr-2021-2023"


def test_it_says_so_when_no_plan_is_published(client):
    ActionPlanFactory(is_published=False)

    response = client.get("/fr/")

    assert response.status_code == 200
    assertContains(response, "data-empty-state")


def test_it_hides_unpublished_plans(client):
    ActionPlanFactory(slug="draft", is_published=False)

    response = client.get("/fr/plans/draft/")

    assert response.status_code == 404


def test_it_answers_an_unknown_plan_with_a_404_in_the_visitors_language(client):
    response = client.get("/en/plans/nope/")

    assert response.status_code == 404
    assertContains(response, '<html lang="en"', status_code=404)
    assertContains(response, 'data-page="not-found"', status_code=404)


def test_it_shows_the_plan_as_of_a_past_date(client):
    with time_machine.travel(datetime.datetime(2022, 1, 10, tzinfo=datetime.UTC)):
        data = build_plan()
    first = data.commitments[0]
    with one_version(first):
        first.title_fr = "Titre changé en septembre"
        first.save()
    CommitmentFactory(plan=data.plan, title_fr="Engagement ajouté en septembre")

    past = client.get(PLAN_URL + "?as_of=2022-01-15")
    today = client.get(PLAN_URL)

    assert figure(past, "commitments") == "3"
    assert figure(today, "commitments") == "4"
    assertContains(past, 'data-as-of="2022-01-15"')
    assertNotContains(today, "data-as-of")


def test_it_shows_an_empty_state_before_anything_existed(client):
    build_plan()

    response = client.get(PLAN_URL + "?as_of=2020-01-01")

    assert response.status_code == 200
    assertContains(response, "data-empty-state")
    assertNotContains(response, 'data-figure="commitments"')


@pytest.mark.parametrize(
    "value", ["2022-02-30", "yesterday", "2030-01-01", "<script>alert(1)</script>"]
)
def test_it_ignores_a_bad_date_and_says_so(client, value):
    build_plan()

    response = client.get(PLAN_URL, {"as_of": value})

    assert response.status_code == 200
    assertContains(response, "data-ignored")
    assertNotContains(response, "data-as-of")
    assertNotContains(response, "<script>alert(1)</script>")


def test_it_costs_the_same_queries_with_ten_times_the_data(client):
    data = build_plan()
    # Ours: plan, commitments with facts, milestone lists and institutions;
    # the community and workshops sections add three.
    expected = 7

    small, _ = count_queries(client, PLAN_URL)
    build_plan(size=10, data=data)
    large, response = count_queries(client, PLAN_URL)

    assert figure(response, "commitments") == "33"
    assert small == large == expected


def test_it_costs_the_same_queries_as_of_a_date_with_ten_times_the_data(client):
    data = build_plan()
    url = PLAN_URL + "?as_of=2022-09-01"

    small, _ = count_queries(client, url)
    build_plan(size=10, data=data)
    large, response = count_queries(client, url)

    assert figure(response, "commitments") == "33"
    assert small == large == 7


def test_it_refuses_other_methods(client):
    build_plan()

    response = client.post(PLAN_URL)

    assert response.status_code == 405


def test_it_counts_a_deleted_commitment_no_more(client):
    data = build_plan()
    Commitment.objects.filter(
        pk=data.commitments[2].pk
    ).first().milestones.all().delete()
    doomed = data.commitments[2]
    doomed.updates.all().delete()
    doomed.irm.delete()
    doomed.delete()

    response = client.get(PLAN_URL)

    assert figure(response, "commitments") == "2"
    assert ActionPlan.objects.count() == 1
