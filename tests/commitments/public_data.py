"""Data and helpers shared by the tests of the public pages.

``build_plan`` makes a plan whose commitments have every kind of thing a
public page shows (lead institutions, partners, policy areas, milestones done,
late and upcoming, progress updates with evidence, an IRM assessment); called
again with ``size=10`` it adds ten times as much, to check that query counts do
not grow with the data.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import EvidenceLink, IrmAssessment, Milestone, Status
from ogp_tracker.templatetags.site_tags import accessibility_compliance
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    PolicyAreaFactory,
    ProgressUpdateFactory,
)

# "Today" in these tests: inside the 2021-2023 plan, with milestones before
# and after it.
TODAY = datetime.date(2022, 9, 1)
NOW = datetime.datetime(2022, 9, 1, 10, 0, tzinfo=datetime.UTC)


@dataclass
class PlanData:
    plan: object
    commitments: list = field(default_factory=list)
    institutions: list = field(default_factory=list)


def build_plan(size: int = 1, data: PlanData | None = None) -> PlanData:
    """Add 3 x size commitments, each with everything a page can show."""
    if data is None:
        plan = ActionPlanFactory(
            slug="fr-2021-2023",
            title_fr="Plan d'action 2021-2023",
            title_en="Action plan 2021-2023",
            start=datetime.date(2021, 9, 1),
            end=datetime.date(2023, 9, 1),
            announced_commitments=59,
        )
        data = PlanData(plan=plan)
    area = PolicyAreaFactory()
    for _ in range(size):
        lead = InstitutionFactory()
        partner = InstitutionFactory()
        data.institutions += [lead, partner]
        for index in range(3):
            data.commitments.append(_commitment(data.plan, lead, partner, area, index))

    return data


def _commitment(plan, lead, partner, area, index: int):
    commitment = CommitmentFactory(
        plan=plan,
        lead_institutions=[lead],
        summary_fr="Un **résumé** en Markdown.",
        problem_fr="Le problème à résoudre.",
        value_access_to_information=index == 0,
        sources=["https://example.org/source"],
    )
    commitment.partners.add(partner)
    commitment.policy_areas.add(area)
    MilestoneFactory(
        commitment=commitment,
        status=Milestone.Status.DONE,
        completed_on=datetime.date(2022, 3, 1),
    )
    MilestoneFactory(
        commitment=commitment,
        planned_end=datetime.date(2022, 6, 30),
        revised_due=datetime.date(2022, 8, 15),
    )
    MilestoneFactory(commitment=commitment, planned_end=datetime.date(2022, 10, 1))
    if index < 2:
        update = ProgressUpdateFactory(
            commitment=commitment,
            author_institution=lead,
            status=Status.COMPLETED if index == 0 else Status.IN_PROGRESS,
            percentage=100 if index == 0 else 40,
            achievements="Ce qui a été **fait**.",
            challenges="Ce qui bloque.",
            help_wanted=True,
        )
        EvidenceLink.objects.create(
            update=update, title="Rapport", url="https://example.org/rapport"
        )
    IrmAssessment.objects.create(
        commitment=commitment, verifiable="yes", ambition="moderate"
    )

    return commitment


def count_queries(client, url: str) -> tuple[int, object]:
    """Return the number of queries to answer url, and the response.

    The footer's accessibility level, cached for every page alike, is read
    first: the count is the page's own.
    """
    accessibility_compliance()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)

    return len(context.captured_queries), response


def describe(context_queries) -> str:
    return "\n".join(query["sql"][:300] for query in context_queries)
