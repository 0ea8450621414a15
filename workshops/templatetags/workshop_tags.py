"""Workshop fragments for other apps' pages, each costing a fixed number of queries."""

from urllib.parse import urlsplit

from django import template
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from community.links import commitment_url
from ogp_tracker.formats import long_date
from workshops import times, uploads
from workshops.models import Document, Workshop

register = template.Library()

COMMITMENT_WORKSHOPS = 10
COMMITMENT_DOCUMENTS = 20
NEXT_WORKSHOPS = 4


@register.inclusion_tag("workshops/includes/commitment_workshops.html")
def commitment_workshops(commitment):
    """Show the workshops and documents that fed a commitment (two queries)."""
    workshops = list(
        Workshop.objects.published()
        .filter(
            pk__in=Workshop.commitments.through.objects.filter(
                commitment=commitment
            ).values("workshop_id")
        )
        .order_by("-starts_at", "-pk")[: COMMITMENT_WORKSHOPS + 1]
    )
    linked = (
        Q(
            pk__in=Document.commitments.through.objects.filter(
                commitment=commitment
            ).values("document_id")
        )
        | Q(
            pk__in=Document.milestones.through.objects.filter(
                milestone__commitment=commitment
            ).values("document_id")
        )
        | Q(
            workshop__in=Workshop.commitments.through.objects.filter(
                commitment=commitment
            ).values("workshop_id")
        )
    )
    documents = list(
        Document.objects.public()
        .filter(linked)
        .select_related("workshop")
        .order_by("-date", "title", "pk")[: COMMITMENT_DOCUMENTS + 1]
    )

    return {
        "commitment": commitment,
        "workshops": workshops[:COMMITMENT_WORKSHOPS],
        "more_workshops": len(workshops) > COMMITMENT_WORKSHOPS,
        "documents": documents[:COMMITMENT_DOCUMENTS],
        "more_documents": len(documents) > COMMITMENT_DOCUMENTS,
    }


@register.inclusion_tag("workshops/includes/next_workshops.html")
def next_workshops(plan=None):
    """Show the next workshops, those that feed plan first (one query)."""
    workshops = Workshop.objects.published().upcoming(timezone.now())
    order = ["starts_at", "pk"]
    if plan is not None:
        # Other workshops still follow: a forum on open government in general,
        # or one about another plan, is news for the dashboard's readers too.
        fed = Workshop.commitments.through.objects.filter(
            workshop=OuterRef("pk"), commitment__plan=plan
        )
        workshops = workshops.annotate(feeds_plan=Exists(fed))
        order = ["-feeds_plan", *order]

    return {
        "workshops": list(workshops.order_by(*order)[:NEXT_WORKSHOPS]),
        "plan": plan,
    }


@register.filter
def download_detail(document) -> str:
    """Return what a link leads to: "PDF – 1,2 Mo", or the site of an outside link."""
    if document.format is not None:
        size = uploads.size_label(document.file_size or 0)
        return f"{document.format.label} – {size}"
    host = urlsplit(document.url).hostname or ""
    return _("External link – %(site)s") % {"site": host.removeprefix("www.")}


@register.simple_tag
def commitment_link(commitment) -> str:
    """Return the public page of a commitment."""
    return commitment_url(commitment)


@register.filter
def when(workshop) -> str:
    """Return when a workshop happens, in Paris time: "14 mars 2023, 14:00 – 16:00"."""
    start, end = times.to_local(workshop.starts_at), times.to_local(workshop.ends_at)
    if start.date() == end.date():
        return _("%(day)s, %(start)s – %(end)s") % {
            "day": long_date(start),
            "start": time_format(start, "TIME_FORMAT"),
            "end": time_format(end, "TIME_FORMAT"),
        }
    return _("%(start)s – %(end)s") % {
        "start": long_date(start, "DATETIME_FORMAT"),
        "end": long_date(end, "DATETIME_FORMAT"),
    }
