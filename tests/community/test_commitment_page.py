"""The conversation inside the real commitment page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.links import commitment_url
from ogp_tracker.templatetags.site_tags import accessibility_compliance
from tests.community.conftest import bulk_threads
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


def page_queries(client, commitment, query=""):
    # The footer's accessibility level is cached for every page alike.
    accessibility_compliance()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(commitment_url(commitment) + query)
    assert response.status_code == 200
    return len(queries), response


def test_it_sets_no_cookie_for_anonymous_visitors(client, commitment, citizen):
    bulk_threads(commitment, citizen, 3)

    response = client.get(commitment_url(commitment))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="comments"' in html
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies


def test_it_costs_the_same_queries_for_5_50_and_the_last_of_5000_comments(
    client, plan, citizen
):
    small, big, huge = (CommitmentFactory(plan=plan) for _ in range(3))
    bulk_threads(small, citizen, 5, replies_each=2)
    bulk_threads(big, citizen, 50, replies_each=2)
    bulk_threads(huge, citizen, 5000, replies_each=0)

    counts = [
        page_queries(client, small)[0],
        page_queries(client, big)[0],
        page_queries(client, huge, "?comments_page=250")[0],
    ]

    assert counts[0] == counts[1] == counts[2]


def test_it_shows_members_the_comment_form(client, commitment, member):
    client.force_login(member)

    _count, response = page_queries(client, commitment)

    assert "csrfmiddlewaretoken" in response.content.decode()
    assert f"/comments/on/{commitment.pk}/" in response.content.decode()
