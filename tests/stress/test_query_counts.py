"""Every public page costs the same number of SQL queries at 1x and 10x the data.

The data comes from the generate_fake_data command at a small scale and at
ten times that scale (the benchmark does the same at the realistic and the
stress scale). Each page is counted with a cold cache but for the
footer's accessibility level, shared by every page, so that a cached page
cannot hide its real cost.
"""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.pages import public_pages
from commitments.management.commands.generate_fake_data import Scale, generate
from ogp_tracker.templatetags.site_tags import accessibility_compliance

SMALL = Scale(
    plans=2,
    commitments=12,
    milestones=36,
    comments=160,
    history_rows=300,
    workshops=3,
    users=12,
    institutions=4,
    hot_comments=60,
    typical_comments=10,
)
# DESIGN.md's budgets: anonymous dashboard, commitment page, lists.
BUDGETS = {"dashboard": 8, "commitment": 10, "list": 6}


class _Discard(Exception):
    """Raised to roll the generated rows back at the end of a measurement."""


def measure(client, scale: Scale) -> dict[str, tuple[int, int]]:
    """Return {page: (status, queries)} with scale's data, then remove the data."""
    counts = {}
    try:
        with transaction.atomic():
            generate(scale, seed=7)
            pages, missing = public_pages(typical_comments=scale.typical_comments)
            assert missing == [], f"public pages not found: {missing}"
            for page in pages:
                cache.clear()
                # The footer's accessibility level is cached for every page
                # alike; only the page's own queries are counted.
                accessibility_compliance()
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(page.url)
                counts[page.name] = (response.status_code, len(captured), page.budget)
            raise _Discard
    except _Discard:
        pass

    return counts


_measured: list = []


@pytest.fixture
def counts(client, db):
    # Measured once for the three tests: each measurement rolls its own rows
    # back, so the figures do not depend on the test that asks first.
    if not _measured:
        _measured.append((measure(client, SMALL), measure(client, SMALL.times(10))))
    return _measured[0]


def test_it_answers_every_public_page_at_both_scales(counts):
    small, large = counts

    statuses = {name: (small[name][0], large[name][0]) for name in small}

    assert statuses == dict.fromkeys(small, (200, 200))


def test_it_runs_the_same_queries_at_ten_times_the_data(counts):
    small, large = counts

    assert {name: c[1] for name, c in large.items()} == {
        name: c[1] for name, c in small.items()
    }


@pytest.mark.parametrize("kind", ["dashboard", "list", "commitment"])
def test_it_keeps_each_page_within_its_query_budget(counts, kind):
    _small, large = counts

    over = {
        name: f"{queries} > {BUDGETS[budget]}"
        for name, (_status, queries, budget) in large.items()
        if budget == kind and queries > BUDGETS[budget]
    }

    assert over == {}
