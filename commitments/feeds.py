"""Atom feeds of progress updates and status changes, and of new workshops.

Each progress feed exists for the whole site, a plan, a commitment and an
institution (the commitments it leads), in two kinds: every progress update,
or only those that changed the commitment's status. An update changes the
status when its status differs from the update before it; the first update
of a commitment is compared with the status declared in the plan at the time
it was recorded (from the commitment's history), so that a later change of
the declared status does not rewrite what the feed said.

A feed is one query for its entries, whatever the number of updates, and
holds only published plans and published workshops.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import CharField, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from commitments import asof, opendata
from commitments.exports import previous_status
from commitments.models import EvidenceLink, Institution, ProgressUpdate, Status
from ogp_tracker.formats import long_date
from ogp_tracker.markdown import render

ENTRIES = 50
STATUS_LABELS = dict(Status.choices)


def declared_status_then() -> Subquery:
    """Annotate a progress update with its commitment's declared status then."""
    versions = asof.HistoricalCommitment.objects.filter(
        id=OuterRef("commitment_id"), history_date__lt=OuterRef("recorded_at")
    ).order_by("-history_date", "-history_id")
    return Subquery(versions.values("status")[:1], output_field=CharField())


class Scope:
    """What one feed covers: everything, a plan, a commitment or an institution."""

    def __init__(self, *, address="", plan=None, commitment=None, institution=None):
        self.address = address
        self.plan = plan
        self.commitment = commitment
        self.institution = institution

    def filter(self, updates: QuerySet) -> QuerySet:
        if self.commitment is not None:
            return updates.filter(commitment=self.commitment)
        if self.plan is not None:
            return updates.filter(commitment__plan=self.plan)
        if self.institution is not None:
            return updates.filter(commitment__lead_institutions=self.institution)
        return updates

    @property
    def name(self) -> str:
        if self.commitment is not None:
            commitment = self.commitment
            return _("commitment %(ref)s of %(plan)s") % {
                "ref": opendata.reference(commitment.number, commitment.ogp_id),
                "plan": commitment.plan.title,
            }
        if self.plan is not None:
            return self.plan.title
        if self.institution is not None:
            return self.institution.name
        return _("all plans")

    @property
    def page(self) -> str:
        if self.commitment is not None:
            ref = opendata.reference(self.commitment.number, self.commitment.ogp_id)
            return opendata.commitment_path(self.commitment.plan.slug, ref)
        if self.plan is not None:
            return opendata.plan_path(self.plan.slug)
        if self.institution is not None:
            return opendata.institution_path(self.institution.slug)
        return opendata.site_root()


class ProgressFeed(Feed):
    """Every progress update in a scope, newest first; status changes are marked."""

    feed_type = Atom1Feed
    only_status_changes = False

    def get_object(self, request, plan=None, ref=None, institution=None):
        # Each feed's own address is its Atom id: two feeds of one page (all
        # updates, status changes) must not share an id.
        address = _permanent_id(request.path)
        if ref is not None:
            commitment = opendata.published_commitment(plan, ref)
            return Scope(address=address, commitment=commitment)
        if plan is not None:
            return Scope(address=address, plan=opendata.published_plan(plan))
        if institution is not None:
            found = get_object_or_404(Institution, slug=institution)
            return Scope(address=address, institution=found)
        return Scope(address=address)

    def feed_guid(self, scope: Scope) -> str:
        return scope.address

    def title(self, scope: Scope) -> str:
        if self.only_status_changes:
            return _("Status changes: %(scope)s") % {"scope": scope.name}
        return _("Progress updates: %(scope)s") % {"scope": scope.name}

    def subtitle(self, scope: Scope) -> str:
        return _(
            "Progress reported by the institutions on their open government "
            "commitments."
        )

    def link(self, scope: Scope) -> str:
        return scope.page

    def author_name(self) -> str:
        return _("Open government tracker")

    def items(self, scope: Scope) -> list[ProgressUpdate]:
        updates = (
            scope.filter(ProgressUpdate.objects.all())
            .filter(commitment__plan__is_published=True)
            .annotate(
                previous=Coalesce(
                    previous_status(), declared_status_then(), F("commitment__status")
                )
            )
            .select_related("commitment__plan", "author_institution")
            .prefetch_related(
                Prefetch("evidence", queryset=EvidenceLink.objects.order_by("id"))
            )
            .order_by("-recorded_at", "-id")
        )
        if self.only_status_changes:
            updates = updates.filter(~Q(status=F("previous")))

        return list(updates[:ENTRIES])

    def item_title(self, update: ProgressUpdate) -> str:
        commitment = update.commitment
        values = {
            "ref": opendata.reference(commitment.number, commitment.ogp_id),
            "title": commitment.title,
            "status": STATUS_LABELS.get(update.status, update.status),
            "percentage": opendata.percentage_text(update.percentage),
        }
        if update.status != update.previous:
            values["previous"] = STATUS_LABELS.get(update.previous, update.previous)
            return (
                _(
                    "No. %(ref)s – %(title)s: status changed from %(previous)s to "
                    "%(status)s (%(percentage)s)"
                )
                % values
            )
        return _("No. %(ref)s – %(title)s: %(status)s, %(percentage)s") % values

    def item_description(self, update: ProgressUpdate) -> str:
        period = _("Reporting period: %(start)s to %(end)s.") % {
            "start": long_date(update.period_start),
            "end": long_date(update.period_end),
        }
        parts = [format_html("<p>{}</p>", period)]
        if update.achievements:
            parts.append(
                format_html("<h2>{}</h2>{}", _("Achieved"), render(update.achievements))
            )
        if update.challenges:
            parts.append(
                format_html("<h2>{}</h2>{}", _("Challenges"), render(update.challenges))
            )
        if update.help_wanted:
            parts.append(format_html("<p>{}</p>", _("Help from civil society wanted.")))
        evidence = list(update.evidence.all())
        if evidence:
            links = format_html_join(
                "", '<li><a href="{}">{}</a></li>', ((e.url, e.title) for e in evidence)
            )
            parts.append(format_html("<h2>{}</h2><ul>{}</ul>", _("Evidence"), links))

        return "".join(parts)

    def item_link(self, update: ProgressUpdate) -> str:
        commitment = update.commitment
        ref = opendata.reference(commitment.number, commitment.ogp_id)
        return opendata.commitment_path(commitment.plan.slug, ref)

    def item_guid(self, update: ProgressUpdate) -> str:
        return _permanent_id(f"{self.item_link(update)}#update-{update.pk}")

    def item_guid_is_permalink(self, update: ProgressUpdate) -> bool:
        return False

    def item_pubdate(self, update: ProgressUpdate):
        return update.recorded_at

    def item_updateddate(self, update: ProgressUpdate):
        return update.recorded_at

    def item_author_name(self, update: ProgressUpdate) -> str:
        return update.author_institution.name

    def item_categories(self, update: ProgressUpdate) -> list[str]:
        categories = [update.status]
        if update.status != update.previous:
            categories.append("status-change")
        return categories


class StatusChangeFeed(ProgressFeed):
    """Only the progress updates that changed a commitment's status."""

    only_status_changes = True


class WorkshopFeed(Feed):
    """Workshops as they are published, newest first."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("New workshops")

    def subtitle(self) -> str:
        return _("Workshops, forums and webinars of the open government community.")

    def link(self) -> str:
        from django.urls import reverse

        return reverse("workshops:workshop_list")

    def author_name(self) -> str:
        return _("Open government tracker")

    def items(self):
        from workshops.models import Workshop

        # A civil-society report is new when it is published, not when it
        # was submitted for review.
        published_at = Coalesce("reviewed_at", "created_at")
        return list(
            Workshop.objects.published()
            .annotate(published_at=published_at)
            .prefetch_related("organisers")
            .order_by("-published_at", "-id")[:ENTRIES]
        )

    def item_title(self, workshop) -> str:
        return _("%(title)s (%(kind)s, %(date)s)") % {
            "title": workshop.title,
            "kind": workshop.get_kind_display(),
            "date": long_date(timezone.localtime(workshop.starts_at)),
        }

    def item_description(self, workshop) -> str:
        status = _("Status: %(status)s.") % {"status": workshop.get_status_display()}
        where = workshop.place or workshop.online_url
        return format_html(
            "<p>{}</p><p>{}</p>{}", status, where, workshop.description_html
        )

    def item_link(self, workshop) -> str:
        return workshop.get_absolute_url()

    def item_pubdate(self, workshop):
        return workshop.published_at

    def item_updateddate(self, workshop):
        return workshop.updated_at

    def item_author_name(self, workshop) -> str:
        names = sorted(organiser.name for organiser in workshop.organisers.all())
        return ", ".join(names) or _("Open government tracker")


def _permanent_id(path: str) -> str:
    """Return the full address that identifies a feed or an entry for good.

    Atom asks for absolute identifiers; they are built on OGP_SITE_URL so that
    they stay the same whatever host name a reader used.
    """
    return settings.OGP_SITE_URL.rstrip("/") + path
