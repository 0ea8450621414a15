"""The SQL behind the plan as of a past day: computed once, usable anywhere."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import asof
from commitments.models import Commitment, Status
from tests.commitments.public_data import NOW, TODAY, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_reads_the_milestone_history_once_per_statement():
    data = build_plan(size=2)
    past = asof.commitments(data.plan, TODAY).filter(is_late=False)

    with CaptureQueriesContext(connection) as captured:
        list(past.exclude(current_status=Status.WITHDRAWN))

    # The grouped count and its latest-row check read the table, however many
    # facts and filters refer to the counts.
    table = asof.HistoricalMilestone._meta.db_table
    assert captured.captured_queries[0]["sql"].count(f'FROM "{table}"') == 2


def test_it_filters_counts_and_nests_like_any_queryset():
    data = build_plan(size=3)
    past = asof.commitments(data.plan, TODAY)
    ids = {row.pk for row in past}

    nested = Commitment.objects.filter(pk__in=past.values("id"))
    late = past.filter(is_late=True).count() + past.filter(is_late=False).count()

    assert ids
    assert set(nested.values_list("pk", flat=True)) == ids
    assert late == past.count() == len(ids)
    assert past.filter(id=min(ids)).get().pk == min(ids)
