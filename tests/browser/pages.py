"""Addresses of every public page type, for the accessibility and keyboard checks."""

import datetime

from django.urls import reverse
from django.utils import timezone, translation

from ogp_tracker.accessibility import PAGE_TYPES
from tests.browser.scenario import Scenario


def make_workshop(scenario: Scenario):
    """Return a published, held workshop linked to the scenario's commitment."""
    from workshops.models import Document, Workshop

    starts = timezone.make_aware(datetime.datetime(2025, 5, 12, 14, 0))
    workshop = Workshop.objects.create(
        title="Atelier de co-construction des données",
        status=Workshop.Status.HELD,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        place="Salle 1, 20 avenue de Ségur, Paris",
        description="Un atelier **ouvert** à tous.",
        minutes="Les participants ont priorisé trois jeux de données.",
        attendees=24,
    )
    workshop.organisers.add(scenario.ministry)
    workshop.commitments.add(scenario.own)
    workshop.milestones.add(scenario.milestone)
    Document.objects.create(
        title="Synthèse de l'atelier",
        kind=Document.Kind.SYNTHESIS,
        workshop=workshop,
        url="https://example.org/synthese.pdf",
        date=starts.date(),
    )

    return workshop


def public_pages(scenario: Scenario, workshop, language: str) -> dict[str, str]:
    """Return {page type: address} for one language, one per entry of PAGE_TYPES."""
    plan = {"plan": scenario.plan.slug}
    commitment = {**plan, "ref": scenario.own.reference}
    with translation.override(language):
        home = reverse("commitments:dashboard")
        pages = {
            "dashboard": home,
            "dashboard as of a past date": f"{home}?as_of=2025-08-01",
            "plan list": reverse("commitments:plan_list"),
            "plan dashboard": reverse("commitments:plan_dashboard", kwargs=plan),
            "commitment list": reverse("commitments:commitment_list", kwargs=plan),
            "search": reverse("commitments:search") + "?q=donnees",
            "commitment": reverse("commitments:commitment_detail", kwargs=commitment),
            "commitment changelog": reverse(
                "commitments:commitment_history", kwargs=commitment
            ),
            "institution": reverse(
                "commitments:institution_detail",
                kwargs={"institution": scenario.ministry.slug},
            ),
            "workshop list": reverse("workshops:workshop_list"),
            "workshop": reverse("workshops:workshop_detail", args=[workshop.pk]),
            "sign-up": reverse("account_signup"),
            "log-in": reverse("account_login"),
            "open data": reverse("opendata:opendata_index"),
            "site map": reverse("site:site_map"),
            "accessibility statement": reverse("site:accessibility"),
            "legal notice": reverse("site:legal_notice"),
            "personal data": reverse("site:personal_data"),
            "cookies": reverse("site:cookies"),
        }

    # The accessibility statement lists PAGE_TYPES as the pages axe-core
    # checks: a page type added or dropped here must be added or dropped there.
    unlisted = pages.keys() - PAGE_TYPES.keys()
    unvisited = PAGE_TYPES.keys() - pages.keys()
    if unlisted or unvisited:
        raise AssertionError(
            f"not in PAGE_TYPES: {sorted(unlisted)}; no address: {sorted(unvisited)}"
        )

    return pages
