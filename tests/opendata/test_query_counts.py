"""Exports, feeds and badges cost a fixed number of queries, whatever the data.

Each export is one SQL statement per dataset, read through a cursor as it
streams; the other queries find the plan and the list's filter choices. On
PostgreSQL the export also opens a savepoint (a transaction in production),
so that the rows come from a server-side cursor.
"""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Comment
from tests.factories import CommitmentFactory, MilestoneFactory, ProgressUpdateFactory
from tests.opendata.conftest import body_of

pytestmark = pytest.mark.django_db
# Numbers far from the fixtures' 38 to 40, unique in the plan.
NUMBERS = itertools.count(1000)
PLAN = "/fr/plans/fr-2021-2023/"
# Address, queries on SQLite, and whether it streams inside a transaction.
CASES = [
    ("commitments/export.csv?institution=ministry-a&late=1", 4, True),
    ("commitments/export-excel.csv?as_of=2022-01-01", 4, True),
    ("commitments/milestones/export.json", 4, True),
    ("commitments/updates/export.csv", 4, True),
    ("commitments/history/export.csv", 5, True),
    ("commitments/comments/export.csv", 4, True),
    ("commitments/38/history/export.csv", 3, True),
    ("commitments/38/comments/export.json", 2, True),
    ("updates.atom", 3, False),
    ("status.atom", 3, False),
    ("commitments/38/badge.svg", 1, False),
]


def _grow(commitments, ministry, member, times: int) -> None:
    """Add data to every dataset, times as much for a larger run."""
    plan = commitments[0].plan
    for _ in range(times):
        extra = CommitmentFactory(
            plan=plan, number=next(NUMBERS), lead_institutions=[ministry]
        )
        MilestoneFactory(commitment=commitments[0])
        ProgressUpdateFactory(commitment=extra, author_institution=ministry)
        ProgressUpdateFactory(commitment=commitments[0], author_institution=ministry)
        Comment.objects.create(commitment=commitments[0], author=member, body="?")
        Comment.objects.create(
            commitment=extra, author=member, body="x", hidden_at=timezone.now()
        )


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PLAN + path)
        body = body_of(response) if response.streaming else response.content
    assert response.status_code == 200, body[:200]
    return len(queries)


@pytest.mark.parametrize("path, expected, transaction", CASES)
def test_it_costs_the_same_queries_at_ten_times_the_data(
    client, commitments, ministry, member, path, expected, transaction
):
    if transaction and connection.vendor == "postgresql":
        expected += 2

    _grow(commitments, ministry, member, 2)
    small = _queries(client, path)
    _grow(commitments, ministry, member, 18)
    large = _queries(client, path)

    assert (small, large) == (expected, expected)


def test_it_answers_exports_with_a_stream(client, commitments):
    response = client.get(PLAN + "commitments/export.csv")

    assert response.streaming
    assert not hasattr(response, "content")
