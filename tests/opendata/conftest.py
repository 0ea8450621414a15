"""Fixtures of the open-data tests: a small published plan and file readers."""

import csv
import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from commitments.models import Milestone, Status
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    PolicyAreaFactory,
    ProgressUpdateFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached fragments live in the local-memory cache, which
    # is shared within the test process.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(db):
    return ActionPlanFactory(slug="fr-2021-2023", title_fr="Plan 2021-2023")


@pytest.fixture
def hidden_plan(db):
    return ActionPlanFactory(slug="draft-plan", is_published=False)


@pytest.fixture
def area(db):
    return PolicyAreaFactory(slug="open-data", name_en="Open Data", name_fr="Données")


@pytest.fixture
def partner(db):
    return InstitutionFactory(slug="asso-z", name_fr="Association Z", name_en="")


@pytest.fixture
def commitments(plan, ministry, other_ministry, partner, area):
    """Return three commitments: two led by ministry A, one by ministry B."""
    first = CommitmentFactory(
        plan=plan,
        number=38,
        ogp_id="FR0088",
        title_fr="Outiller le Gouvernement ouvert",
        title_en="Tools for open government",
        start=datetime.date(2021, 12, 1),
        end=datetime.date(2023, 6, 1),
        value_civic_participation=True,
        lead_institutions=[ministry],
    )
    first.partners.set([partner])
    first.policy_areas.set([area])
    second = CommitmentFactory(plan=plan, number=39, lead_institutions=[ministry])
    third = CommitmentFactory(plan=plan, number=40, lead_institutions=[other_ministry])

    return [first, second, third]


@pytest.fixture
def milestone(commitments):
    return MilestoneFactory(
        commitment=commitments[0],
        position=1,
        title_fr="Lancer la plateforme",
        planned_start=datetime.date(2021, 12, 1),
        planned_start_precision="month",
        planned_end=datetime.date(2022, 6, 1),
        planned_end_precision="month",
        revised_due=datetime.date(2022, 9, 30),
        status=Milestone.Status.IN_PROGRESS,
    )


@pytest.fixture
def update(commitments, ministry):
    return ProgressUpdateFactory(
        commitment=commitments[0],
        recorded_at=timezone.make_aware(datetime.datetime(2022, 3, 1, 10, 0)),
        status=Status.IN_PROGRESS,
        percentage=62.5,
        achievements="Plateforme ouverte",
        author_institution=ministry,
    )


def body_of(response) -> bytes:
    assert response.streaming, "exports must stream"
    return b"".join(response.streaming_content)


def read_csv(response) -> list[dict]:
    """Parse a canonical CSV response into rows of {column: text}."""
    data = body_of(response)
    assert not data.startswith(b"\xef\xbb\xbf"), "the canonical CSV has no BOM"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def read_excel_csv(response) -> list[dict]:
    data = body_of(response)
    assert data.startswith(b"\xef\xbb\xbf"), "the Excel CSV starts with a BOM"
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def read_json(response) -> list[dict]:
    return json.loads(body_of(response))


def header_of(response) -> list[str]:
    data = body_of(response).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(data, newline="")))
