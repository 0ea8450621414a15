"""Query counts of workshop pages, apart from what the site's layout costs.

The header and footer (base.html) belong to other parts of the site and may
read the database; counting them separately keeps these tests exact about
the workshop pages' own queries while the layout evolves.
"""

from contextlib import contextmanager

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext


def layout_queries(path: str) -> int:
    """Return the queries that base.html costs an anonymous visitor on path."""
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        render_to_string("base.html", request=request)
    cache.clear()

    return len(context)


@contextmanager
def own_queries(path: str, expected: int):
    """Check that a request to path costs the layout plus expected queries."""
    layout = layout_queries(path)
    with CaptureQueriesContext(connection) as context:
        yield context
    done = len(context) - layout
    sql = "\n".join(query["sql"][:200] for query in context.captured_queries)
    assert done == expected, f"{done} queries besides the layout's {layout}:\n{sql}"
