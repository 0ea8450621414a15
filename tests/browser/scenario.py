"""A small plan the journeys walk through, built the way the site builds data.

Two ministries each lead commitments; one commitment has milestones, progress
updates and an edit in its history, so that its page has a chart and a
changelog to show.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from commitments import services
from commitments.models import ActionPlan, Commitment, Institution, Milestone, Status
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    UserFactory,
)


@dataclass
class Scenario:
    plan: ActionPlan
    ministry: Institution
    other_ministry: Institution
    own: Commitment
    second_own: Commitment
    other: Commitment
    milestone: Milestone


def build(editor=None) -> Scenario:
    """Write the plan; editor, when given, records its progress updates."""
    ministry = Institution.objects.filter(slug="ministry-a").first() or (
        InstitutionFactory(
            slug="ministry-a", name_fr="Ministère A", name_en="Ministry A"
        )
    )
    other_ministry = Institution.objects.filter(slug="ministry-b").first() or (
        InstitutionFactory(
            slug="ministry-b", name_fr="Ministère B", name_en="Ministry B"
        )
    )
    plan = ActionPlanFactory(
        slug="plan-navigateur",
        title_fr="Plan d'action de test",
        title_en="Test action plan",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 12, 1),
    )
    own = CommitmentFactory(
        plan=plan,
        number=1,
        title_fr="Ouvrir les données des marchés publics",
        title_en="Open public procurement data",
        summary_fr="Publier les données des marchés.",
        summary_en="Publish procurement data.",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 6, 1),
        lead_institutions=[ministry],
    )
    second_own = CommitmentFactory(
        plan=plan,
        number=2,
        title_fr="Associer les usagers aux services publics",
        title_en="Involve users in public services",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 6, 1),
        lead_institutions=[ministry],
    )
    other = CommitmentFactory(
        plan=plan,
        number=3,
        title_fr="Publier les algorithmes publics",
        title_en="Publish public algorithms",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2027, 6, 1),
        lead_institutions=[other_ministry],
    )
    milestone = MilestoneFactory(
        commitment=own,
        position=1,
        title_fr="Publier le premier jeu de données",
        title_en="Publish the first dataset",
        planned_start=datetime.date(2025, 2, 1),
        planned_end=datetime.date(2025, 6, 30),
        status=Milestone.Status.DONE,
        completed_on=datetime.date(2025, 6, 15),
    )
    MilestoneFactory(
        commitment=own,
        position=2,
        title_fr="Documenter les colonnes",
        title_en="Document the columns",
        planned_start=datetime.date(2025, 7, 1),
        planned_end=datetime.date(2027, 3, 31),
    )

    # History: a first version of every object, then an edit of the title, so
    # the changelog has a field-level change to show.
    author = editor or UserFactory(username="scenario-coordinator", is_superuser=True)
    for obj in (plan, own, second_own, other, milestone):
        services.save_versioned(obj=obj, user=author)
    own.summary_fr = "Publier les données des marchés, chaque mois."
    services.save_versioned(obj=own, user=author, reason="précision du résumé")

    if editor is not None:
        for start, end, percentage in (
            (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), 20),
            (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31), 45),
        ):
            services.record_progress(
                commitment=own,
                user=editor,
                author_institution=ministry,
                period_start=start,
                period_end=end,
                status=Status.IN_PROGRESS,
                percentage=Decimal(percentage),
                achievements="Jeux de données publiés.",
            )

    return Scenario(plan, ministry, other_ministry, own, second_own, other, milestone)
