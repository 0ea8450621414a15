"""The public pages the benchmark reads, found in a database of fictional data.

Each page is built from the demo rows (see the generate_fake_data command) and
from URL names; a page whose URL name does not exist (the feature is not
there) is reported as missing rather than guessed.
"""

import datetime
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import translation


@dataclass
class Page:
    name: str
    url: str
    # Which DESIGN.md query budget applies: dashboard, commitment or list.
    budget: str = ""


def _reverse(*candidates) -> str | None:
    """Return the first of (name, kwargs) that reverses, or None."""
    for name, kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def _commitment_url(commitment) -> str | None:
    if hasattr(commitment, "get_absolute_url"):
        return commitment.get_absolute_url()
    plan = commitment.plan.slug
    return _reverse(
        ("commitments:commitment_detail", {"plan": plan, "ref": commitment.reference}),
        ("commitments:commitment_detail", {"plan": plan, "number": commitment.number}),
        ("commitments:commitment_detail", {"pk": commitment.pk}),
    )


def _hot_and_typical(typical_comments: int):
    """Return the commitment with the most comments, and a typical one."""
    from django.db.models import Count

    from commitments.models import Commitment

    demo = Commitment.objects.filter(plan__slug="demo-plan-01").order_by("number")
    counted = demo.annotate(n=Count("comments"))
    typical = counted.filter(n=typical_comments).first() or demo.first()
    hot = counted.order_by("-n", "number").first()
    if hot is not None and hot.n <= typical_comments:
        hot = None

    return hot, typical


def public_pages(
    language: str = "fr", typical_comments: int = 50
) -> tuple[list[Page], list[str]]:
    """Return the pages to measure and the names of those not found."""
    from commitments.models import ActionPlan, Institution

    pages: list[Page] = []
    missing: list[str] = []

    def add(name: str, url: str | None, budget: str = "") -> None:
        if url is None:
            missing.append(name)
        else:
            pages.append(Page(name, url, budget))

    with translation.override(language):
        plan = ActionPlan.objects.get(slug="demo-plan-01")
        institution = Institution.objects.filter(slug="demo-ministere-01").first()
        hot, typical = _hot_and_typical(typical_comments)

        add("dashboard", _reverse(("commitments:dashboard", {})), "dashboard")
        plan_kwargs = {"plan": plan.slug}
        add(
            "plan_dashboard",
            _reverse(("commitments:plan_dashboard", plan_kwargs)),
            "dashboard",
        )
        add("plan_list", _reverse(("commitments:plan_list", {})), "list")
        list_url = _reverse(
            ("commitments:commitment_list", plan_kwargs),
            ("commitments:commitment_list", {}),
        )
        add("commitment_list", list_url, "list")
        if list_url and institution:
            add(
                "commitment_list_by_institution",
                f"{list_url}?institution={institution.slug}",
                "list",
            )
        # The header's search box lands on the list with ?q=; "donnees" also
        # tests that accents are ignored (the titles say "données").
        add("search_fr", f"{list_url}?q=donnees" if list_url else None, "list")
        add("commitment_50_comments", _commitment_url(typical), "commitment")
        if hot is not None:
            hot_url = _commitment_url(hot)
            add("commitment_hot_first_page", hot_url, "commitment")
            if hot_url:
                from community.threads import PAGE_SIZE

                threads = hot.comments.filter(parent=None).count()
                last = max(1, -(-threads // PAGE_SIZE))
                add(
                    "commitment_hot_last_page",
                    f"{hot_url}?comments_page={last}",
                    "commitment",
                )
        history_kwargs = {"plan": plan.slug, "ref": typical.reference}
        add(
            "commitment_changelog",
            _reverse(("commitments:commitment_history", history_kwargs)),
            "commitment",
        )
        home = _reverse(("commitments:dashboard", {}))
        day = datetime.date(2026, 3, 1).isoformat()
        add("dashboard_as_of", f"{home}?as_of={day}" if home else None, "dashboard")
        if institution:
            add(
                "institution",
                _reverse(
                    (
                        "commitments:institution_detail",
                        {"institution": institution.slug},
                    ),
                ),
                "list",
            )
        add("workshop_list", _reverse(("workshops:workshop_list", {})), "list")
        from workshops.models import Workshop

        workshop = Workshop.objects.filter(title__startswith="Exemple fictif").first()
        if workshop:
            add("workshop_detail", workshop.get_absolute_url())

    return pages, missing
