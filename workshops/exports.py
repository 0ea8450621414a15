"""The open-data files of workshops and of their documents' metadata.

Both follow the workshop list's filters (workshops/filters.py) over published
workshops. The documents file describes each public document (title, kind,
format, size, address) without its content, which is downloaded from the
address given.
"""

from django.db.models import JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import JSONArray
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ogp_tracker.exports import Column, Dataset, JsonGroup
from workshops.models import Document, Workshop

WorkshopOrganisers = Workshop.organisers.through
WorkshopCommitments = Workshop.commitments.through
WorkshopMilestones = Workshop.milestones.through
DocumentCommitments = Document.commitments.through
DocumentMilestones = Document.milestones.through


def _gathered(through, owner: str, *values: str) -> Subquery:
    """Gather values of the rows related through a many-to-many, as JSON."""
    item = JSONArray(*values) if len(values) > 1 else values[0]
    grouped = (
        through.objects.filter(**{owner: OuterRef("id")})
        .order_by()
        .values(owner)
        .annotate(items=JsonGroup(item))
        .values("items")
    )
    return Subquery(grouped, output_field=JSONField())


def _sorted_ids(key: str):
    return lambda row, context: sorted(row[key] or [])


def _commitment_refs(key: str):
    """Return "<plan>/<ref>" of each linked commitment, by plan and number."""

    def read(row: dict, context: dict) -> list[str]:
        refs = []
        for _id, plan, number, ogp_id in sorted(
            row[key] or [], key=lambda item: (item[1], item[2] or 0, item[3])
        ):
            refs.append(f"{plan}/{number if number is not None else ogp_id}")
        return refs

    return read


def _organisers(position: int):
    def read(row: dict, context: dict) -> list[str]:
        triples = sorted(row["organiser_items"] or [], key=lambda item: item[0])
        if position == 0:
            return [slug for slug, _fr, _en in triples]
        french = context.get("language", "fr") == "fr"
        return [
            ((fr if french else en) or (en if french else fr) or slug)
            for slug, fr, en in triples
        ]

    return read


def _absolute(context: dict, path: str) -> str:
    return context.get("site", "") + path


# Workshops.


def _prepare_workshops(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        organiser_items=_gathered(
            WorkshopOrganisers,
            "workshop_id",
            "institution__slug",
            "institution__name_fr",
            "institution__name_en",
        ),
        commitment_items=_gathered(
            WorkshopCommitments,
            "workshop_id",
            "commitment_id",
            "commitment__plan__slug",
            "commitment__number",
            "commitment__ogp_id",
        ),
        milestone_ids=_gathered(WorkshopMilestones, "workshop_id", "milestone_id"),
    )


def _workshop_url(row: dict, context: dict) -> str:
    path = reverse("workshops:workshop_detail", args=[row["id"]])
    return _absolute(context, path)


WORKSHOPS = Dataset(
    name="workshops",
    title=_("Workshops"),
    description=_(
        "One row per published workshop, forum or webinar: when and where it "
        "happened, who organised it, which commitments and milestones it fed, "
        "its agenda and minutes."
    ),
    list_path="workshops/",
    fetch={
        "id": "id",
        "title": "title",
        "kind": "kind",
        "status": "status",
        "cancellation_reason": "cancellation_reason",
        "starts_at": "starts_at",
        "ends_at": "ends_at",
        "place": "place",
        "online_url": "online_url",
        "organiser_items": "organiser_items",
        "commitment_items": "commitment_items",
        "milestone_ids": "milestone_ids",
        "description": "description",
        "agenda": "agenda",
        "minutes": "minutes",
        "attendees": "attendees",
        "organisations_represented": "organisations_represented",
        "submission": "submission",
    },
    prepare=_prepare_workshops,
    columns=[
        Column(
            "id",
            _("Database identifier of the workshop; never reused."),
            type="integer",
            required=True,
        ),
        Column("title", _("Title."), required=True),
        Column(
            "kind",
            _("Kind of event."),
            enum=[choice.value for choice in Workshop.Kind],
            required=True,
        ),
        Column(
            "status",
            _("planned, held or cancelled."),
            enum=[choice.value for choice in Workshop.Status],
            required=True,
        ),
        Column("cancellation_reason", _("Why it was cancelled.")),
        Column("starts_at", _("Start (UTC)."), type="datetime", required=True),
        Column("ends_at", _("End (UTC)."), type="datetime", required=True),
        Column("place", _("Address or room.")),
        Column("online_url", _("Link to follow it online.")),
        Column(
            "organisers",
            _("Short names of the organising institutions and organisations."),
            value=_organisers(0),
            many=True,
        ),
        Column(
            "organiser_names",
            _("Names of the organisers, in the same order."),
            value=_organisers(1),
            many=True,
        ),
        Column(
            "commitments",
            _('Commitments it fed, as "<plan>/<number or OGP identifier>".'),
            value=_commitment_refs("commitment_items"),
            many=True,
        ),
        Column(
            "commitment_ids",
            _("Database identifiers of the commitments it fed."),
            value=lambda row, context: sorted(
                item[0] for item in row["commitment_items"] or []
            ),
            many=True,
        ),
        Column(
            "milestone_ids",
            _("Database identifiers of the milestones it fed."),
            value=_sorted_ids("milestone_ids"),
            many=True,
        ),
        Column("description", _("Description (Markdown).")),
        Column("agenda", _("Agenda (Markdown).")),
        Column("minutes", _("Minutes or report (Markdown).")),
        Column(
            "attendees",
            _("Number of attendees."),
            type="integer",
            constraints={"minimum": 0},
        ),
        Column(
            "organisations_represented",
            _("Number of organisations represented."),
            type="integer",
            constraints={"minimum": 0},
        ),
        Column(
            "is_civil_society_report",
            _("Reported by a civil-society organisation, then reviewed."),
            type="boolean",
            required=True,
            value=lambda row, context: bool(row["submission"]),
        ),
        Column("url", _("Address of the workshop's public page."), value=_workshop_url),
    ],
)


def workshops_of(filtered: QuerySet) -> QuerySet:
    """Return the workshops of the filtered list, in the order they happen."""
    return filtered.order_by("starts_at", "id")


# Documents.


def documents_of(filtered: QuerySet, *, filtering: bool) -> QuerySet:
    """Return the public documents of the listed workshops.

    Without any filter the list is every published workshop, and the file
    then also holds the documents tied to no workshop at all.
    """
    of_listed = Q(workshop_id__in=filtered.order_by().values("id"))
    scope = of_listed if filtering else of_listed | Q(workshop__isnull=True)

    return Document.objects.public().filter(scope).order_by("date", "id")


def _prepare_documents(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        commitment_items=_gathered(
            DocumentCommitments,
            "document_id",
            "commitment_id",
            "commitment__plan__slug",
            "commitment__number",
            "commitment__ogp_id",
        ),
        milestone_ids=_gathered(DocumentMilestones, "document_id", "milestone_id"),
    )


def _document_address(row: dict, context: dict) -> str:
    if row["file"]:
        path = reverse("workshops:document_download", args=[row["id"]])
        return _absolute(context, path)
    return row["url"]


def _producer_name(row: dict, context: dict) -> str | None:
    if row["producer_slug"] is None:
        return None
    french = context.get("language", "fr") == "fr"
    first, second = ("fr", "en") if french else ("en", "fr")
    return (
        row[f"producer_name_{first}"]
        or row[f"producer_name_{second}"]
        or row["producer_slug"]
    )


DOCUMENTS = Dataset(
    name="documents",
    title=_("Documents (metadata)"),
    description=_(
        "One row per public document: minutes, syntheses, slides, reports and "
        "data produced by workshops or for commitments. The file describes "
        "each document; its address gives the document itself."
    ),
    list_path="workshops/documents/",
    fetch={
        "id": "id",
        "title": "title",
        "kind": "kind",
        "language": "language",
        "date": "date",
        "producer_slug": "producer__slug",
        "producer_name_fr": "producer__name_fr",
        "producer_name_en": "producer__name_en",
        "workshop_id": "workshop_id",
        "commitment_items": "commitment_items",
        "milestone_ids": "milestone_ids",
        "file": "file",
        "file_format": "file_format",
        "file_size": "file_size",
        "url": "url",
    },
    prepare=_prepare_documents,
    columns=[
        Column(
            "id",
            _("Database identifier of the document; never reused."),
            type="integer",
            required=True,
        ),
        Column("title", _("Title."), required=True),
        Column(
            "kind",
            _("Kind of document."),
            enum=[choice.value for choice in Document.Kind],
            required=True,
        ),
        Column(
            "language",
            _("Language of the document."),
            enum=[choice.value for choice in Document.Language],
            required=True,
        ),
        Column("date", _("Date of the document."), type="date"),
        Column(
            "producer",
            _("Short name of the producing organisation."),
            value=lambda row, context: row["producer_slug"],
        ),
        Column(
            "producer_name",
            _("Name of the producing organisation."),
            value=_producer_name,
        ),
        Column(
            "workshop_id",
            _("Database identifier of its workshop, if any."),
            type="integer",
        ),
        Column(
            "commitments",
            _('Commitments it concerns, as "<plan>/<number or OGP identifier>".'),
            value=_commitment_refs("commitment_items"),
            many=True,
        ),
        Column(
            "milestone_ids",
            _("Database identifiers of the milestones it concerns."),
            value=_sorted_ids("milestone_ids"),
            many=True,
        ),
        Column(
            "is_file",
            _("An uploaded file (true) or a link to another site (false)."),
            type="boolean",
            required=True,
            value=lambda row, context: bool(row["file"]),
        ),
        Column(
            "format",
            _("Format of an uploaded file, such as pdf or odt."),
            value=lambda row, context: row["file_format"] or None,
        ),
        Column(
            "size_bytes",
            _("Size of an uploaded file, in bytes."),
            type="integer",
            constraints={"minimum": 0},
            value=lambda row, context: row["file_size"],
        ),
        Column(
            "url",
            _("Address to download the file, or the external link."),
            value=_document_address,
            required=True,
        ),
    ],
)

DATASETS = {dataset.name: dataset for dataset in (WORKSHOPS, DOCUMENTS)}
