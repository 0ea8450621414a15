"""Fixtures of the community tests: a commitment to talk about, and helpers."""

import datetime

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from community.models import Comment
from community.services import fingerprint
from tests.factories import ActionPlanFactory, CommitmentFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Local-memory caches of the same name share their data within the test
    # process, so rate-limit counters would leak from one test to the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(db):
    return ActionPlanFactory(slug="fr-2021-2023")


@pytest.fixture
def commitment(plan, ministry):
    return CommitmentFactory(plan=plan, number=38, lead_institutions=[ministry])


@pytest.fixture
def other_commitment(plan, other_ministry):
    return CommitmentFactory(plan=plan, number=39, lead_institutions=[other_ministry])


@pytest.fixture
def rf():
    return RequestFactory()


def make_comment(commitment, author, body="A question.", **fields) -> Comment:
    """Create a comment directly, bypassing the posting rules."""
    parent = fields.get("parent")
    if parent is not None:
        fields.setdefault("root_id", parent.root_id or parent.pk)
        fields.setdefault("depth", parent.depth + 1)
    return Comment.objects.create(
        commitment=commitment,
        author=author,
        body=body,
        body_html=f"<p>{body}</p>",
        body_hash=fingerprint(body),
        **fields,
    )


def bulk_threads(commitment, author, count: int, replies_each: int = 1):
    """Create count top-level comments, each with replies, in a few queries."""
    start = timezone.now() - datetime.timedelta(days=30)
    top = Comment.objects.bulk_create(
        Comment(
            commitment=commitment,
            author=author,
            body=f"Comment {n}",
            body_html=f"<p>Comment {n}</p>",
            body_hash=fingerprint(f"Comment {n}"),
            created_at=start + datetime.timedelta(seconds=n),
        )
        for n in range(count)
    )
    if not top or top[0].pk is None:
        top = list(Comment.objects.filter(commitment=commitment, parent=None))
    Comment.objects.bulk_create(
        Comment(
            commitment=commitment,
            author=author,
            parent=parent,
            root=parent,
            depth=1,
            body=f"Reply {r} to {parent.pk}",
            body_html=f"<p>Reply {r} to {parent.pk}</p>",
            body_hash=fingerprint(f"Reply {r} to {parent.pk}"),
            created_at=parent.created_at + datetime.timedelta(seconds=r + 1),
        )
        for parent in top
        for r in range(replies_each)
    )
    return top


def en_url(name: str, *args) -> str:
    """Reverse a URL under /en/, so that pages answer in English msgids."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def login(client):
    """Log a user in on the test client and return the client."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in
