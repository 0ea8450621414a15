import datetime
import re

import pytest
import time_machine
from django.http import QueryDict
from pytest_django.asserts import assertContains, assertNotContains

from commitments.filters import CommitmentFilter
from commitments.models import Status
from tests.commitments.public_data import NOW, build_plan, count_queries
from tests.factories import CommitmentFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

URL = "/fr/plans/fr-2021-2023/commitments/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def refs(response) -> list[str]:
    return [c.reference for c in response.context["page"].objects]


def test_it_lists_the_commitments_of_the_plan_by_number(client):
    data = build_plan()

    response = client.get(URL)

    assert response.status_code == 200
    assert refs(response) == [c.reference for c in data.commitments]
    assertContains(response, 'data-count="3"')


def test_it_filters_by_lead_institution(client):
    data = build_plan(size=2)
    lead = data.institutions[2]

    response = client.get(URL, {"institution": lead.slug})

    assert refs(response) == [c.reference for c in data.commitments[3:]]


def test_it_filters_by_status_late_and_stale(client):
    data = build_plan()

    completed = client.get(URL, {"status": Status.COMPLETED})
    late = client.get(URL, {"late": "1"})
    stale = client.get(URL, {"stale": "1"})

    assert refs(completed) == [data.commitments[0].reference]
    # Commitments 2 and 3 have a milestone past its revised date.
    assert refs(late) == [c.reference for c in data.commitments[1:]]
    # Only the third has never been updated since the plan started a year ago.
    assert refs(stale) == [data.commitments[2].reference]


def test_it_filters_by_policy_area_and_ogp_value(client):
    data = build_plan()
    build_plan(data=data)
    area = data.commitments[3].policy_areas.get()

    by_area = client.get(URL, {"area": area.slug})
    by_value = client.get(URL, {"value": "access_to_information"})

    assert refs(by_area) == [c.reference for c in data.commitments[3:]]
    assert refs(by_value) == [
        data.commitments[0].reference,
        data.commitments[3].reference,
    ]


def test_it_sorts_by_progress_and_by_last_update(client):
    data = build_plan()
    first, second, third = data.commitments

    by_progress = client.get(URL, {"sort": "progress"})
    by_update = client.get(URL, {"sort": "-updated"})

    assert refs(by_progress)[0] == first.reference
    assert refs(by_update)[0] == third.reference


def test_it_keeps_filters_and_page_in_the_query_string(client):
    build_plan(size=10)

    response = client.get(URL, {"q": "engagement", "page": "2"})

    assert response.context["page"].number == 2
    assert len(refs(response)) == 10
    assertContains(response, 'href="?q=engagement&amp;page=1"')


def test_it_paginates_twenty_at_a_time(client):
    build_plan(size=10)

    first = client.get(URL)
    second = client.get(URL, {"page": "2"})

    assert len(refs(first)) == 20
    assert len(refs(second)) == 10
    assert set(refs(first)).isdisjoint(refs(second))


@pytest.mark.parametrize("page", ["abc", "0", "99999", "-1", "1" * 40])
def test_it_shows_the_first_page_for_a_bad_page_number_and_says_so(client, page):
    build_plan()

    response = client.get(URL, {"page": page})

    assert response.status_code == 200
    assert response.context["page"].number == 1
    assertContains(response, "data-ignored")


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nope"},
        {"institution": "<b>x</b>"},
        {"area": "unknown"},
        {"value": "1"},
        {"late": "yes"},
        {"sort": "title; DROP TABLE"},
        {"q": "x" * 201},
        {"as_of": "2022-02-30"},
        {"as_of": "yesterday"},
    ],
)
def test_it_ignores_invalid_values_and_says_which(client, params):
    build_plan()

    response = client.get(URL, params)

    assert response.status_code == 200
    assertContains(response, "data-ignored")
    assert len(refs(response)) == 3
    assertNotContains(response, "<b>x</b>")


@pytest.mark.parametrize(
    ("params", "ignored"),
    [
        ({"q": "é" * 201, "status": "in_progress"}, "q"),
        ({"status": "nope", "late": "1"}, "status"),
        ({"as_of": "2022-02-30", "late": "1"}, "as_of"),
    ],
)
def test_its_links_leave_out_the_values_it_ignored(client, params, ignored):
    build_plan()

    response = client.get(URL.replace("/fr/", "/en/"), params)

    html = response.content.decode()
    kept = next(name for name in params if name != ignored)
    exports = re.findall(r'href="([^"]*export[^"]*)"', html)
    assert exports and all(f"{kept}=" in link for link in exports)
    assert not any(f"{ignored}=" in link for link in exports)
    assert f"{ignored}=" not in response.context["request"].GET.urlencode()
    assert all(" : " not in message for message in response.context["ignored"])


@pytest.mark.parametrize("value", ["\x00", "\u202eevil", "a\x1bb"])
def test_it_quotes_an_ignored_value_without_its_control_characters(client, value):
    build_plan()

    response = client.get(URL, {"institution": value})

    html = response.content.decode()
    assert response.status_code == 200
    assertContains(response, "data-ignored")
    assert value not in html
    assert "\ufffd" in "".join(response.context["ignored"])


def test_it_shows_the_list_as_of_a_past_date(client):
    with time_machine.travel(datetime.datetime(2022, 1, 10, tzinfo=datetime.UTC)):
        data = build_plan()
    CommitmentFactory(plan=data.plan)

    past = client.get(URL, {"as_of": "2022-01-15"})
    before = client.get(URL, {"as_of": "2020-01-01"})

    assert len(refs(past)) == 3
    assertContains(past, 'data-as-of="2022-01-15"')
    assert refs(before) == []
    assertContains(before, "data-empty-state")


def test_its_filterset_gives_exactly_the_rows_of_the_page(client):
    data = build_plan(size=2)
    params = {"late": "1", "sort": "progress", "q": "engagement"}

    response = client.get(URL, params)
    rows = CommitmentFilter(QueryDict(mutable=True) | params, plan=data.plan).qs

    assert [c.reference for c in rows] == refs(response)


def test_its_filterset_yields_commitments_with_facts_as_of_a_date():
    data = build_plan()
    ProgressUpdateFactory(commitment=data.commitments[2], percentage=10)

    rows = list(CommitmentFilter({"as_of": "2022-09-01"}, plan=data.plan).qs)

    assert [c.pk for c in rows] == [c.pk for c in data.commitments]
    assert rows[2].current_percentage == 10
    assert rows[2].title == data.commitments[2].title


def test_it_costs_the_same_queries_with_ten_times_the_data(client):
    data = build_plan()
    url = URL + "?late=1&sort=progress&q=engagement"
    # Plan, institution and policy-area choices, count and page.
    expected = 5

    small, _ = count_queries(client, url)
    build_plan(size=10, data=data)
    large, response = count_queries(client, url)

    assert response.context["page"].count == 22
    assert small == large == expected


def test_it_costs_the_same_queries_as_of_a_date_with_ten_times_the_data(client):
    data = build_plan()
    url = URL + "?as_of=2022-09-01&institution=" + data.institutions[0].slug

    small, _ = count_queries(client, url)
    build_plan(size=10, data=data)
    large, _ = count_queries(client, url)

    assert small == large == 5


def test_it_answers_an_unknown_plan_with_a_404(client):
    response = client.get("/fr/plans/unknown/commitments/")

    assert response.status_code == 404
