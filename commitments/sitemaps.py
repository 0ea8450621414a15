"""The /sitemap.xml of the public pages, in every language."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from commitments.models import ActionPlan, Commitment, Institution


class PageSitemap(Sitemap):
    """Pages that exist once: dashboard, plan list and site-wide pages."""

    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[str]:
        return [
            "commitments:dashboard",
            "commitments:plan_list",
            "site:site_map",
            "site:accessibility",
            "site:legal_notice",
            "site:personal_data",
            "site:cookies",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class PlanSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return ActionPlan.objects.filter(is_published=True).order_by("pk")

    def location(self, plan: ActionPlan) -> str:
        return reverse("commitments:plan_dashboard", kwargs={"plan": plan.slug})


class PlanListSitemap(PlanSitemap):
    def location(self, plan: ActionPlan) -> str:
        return reverse("commitments:commitment_list", kwargs={"plan": plan.slug})


class CommitmentSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return (
            Commitment.objects.filter(plan__is_published=True)
            .select_related("plan")
            .only("number", "ogp_id", "plan__slug")
            .order_by("pk")
        )

    def location(self, commitment: Commitment) -> str:
        kwargs = {"plan": commitment.plan.slug, "ref": commitment.reference}
        return reverse("commitments:commitment_detail", kwargs=kwargs)


class InstitutionSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return (
            Institution.objects.filter(led_commitments__plan__is_published=True)
            .distinct()
            .only("slug")
            .order_by("pk")
        )

    def location(self, institution: Institution) -> str:
        kwargs = {"institution": institution.slug}
        return reverse("commitments:institution_detail", kwargs=kwargs)


SITEMAPS = {
    "pages": PageSitemap,
    "plans": PlanSitemap,
    "lists": PlanListSitemap,
    "commitments": CommitmentSitemap,
    "institutions": InstitutionSitemap,
}
