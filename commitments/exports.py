"""The open-data files of a plan: commitments, milestones, progress updates, history.

Each export starts from the commitment list exactly as the public page filters
it (commitments/filters.py), live or as of a past day, so the files hold the
rows on screen: the commitments themselves, or the milestones, updates and
versions of those commitments.

Rows are read as dicts with every many-valued column (lead institutions,
evidence…) gathered by a JSON subquery, so one export is one SQL statement
whatever its size. Names come in the visitor's language, falling back to the
other one; identifiers (slugs, numbers, ids) never depend on the language.
"""

import datetime
from collections.abc import Iterator

from django.db.models import (
    CharField,
    F,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import JSONArray, JSONObject
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments import asof, dates, facts
from commitments.dates import Precision
from commitments.models import (
    Commitment,
    EvidenceLink,
    IrmAssessment,
    Milestone,
    ProgressUpdate,
    Status,
)
from ogp_tracker.exports import CHUNK_SIZE, Column, Dataset, JsonGroup, described

LeadThrough = Commitment.lead_institutions.through
PartnerThrough = Commitment.partners.through
AreaThrough = Commitment.policy_areas.through
HistoricalCommitment = asof.HistoricalCommitment
HistoricalMilestone = asof.HistoricalMilestone

PARTIAL_DATE = (
    r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?"
    r"|-(spring|summer|autumn|winter))?"
)
PRECISIONS = [choice.value for choice in Precision]
STATUSES = [choice.value for choice in Status]
MILESTONE_STATUSES = [choice.value for choice in Milestone.Status]
IRM_FIELDS = [
    "generation",
    "verifiable",
    "relevant_to_ogp_values",
    "ambition",
    "completion",
    "early_results",
]


# Reading helpers shared by the column definitions.


def _in_language(row: dict, context: dict, field: str) -> str:
    """Return row's <field>_<language>, falling back to the other language."""
    first = context.get("language", "fr")
    second = "en" if first == "fr" else "fr"
    return row[f"{field}_{first}"] or row[f"{field}_{second}"]


def _pairs(row: dict, key: str) -> list[list]:
    """Return the [slug, name_fr, name_en] triples of a relation, by slug."""
    return sorted(row[key] or [], key=lambda triple: triple[0])


def _slugs(key: str):
    return lambda row, context: [triple[0] for triple in _pairs(row, key)]


def _names(key: str):
    def read(row: dict, context: dict) -> list[str]:
        french = context.get("language", "fr") == "fr"
        names = []
        for slug, name_fr, name_en in _pairs(row, key):
            first, second = (name_fr, name_en) if french else (name_en, name_fr)
            names.append(first or second or slug)
        return names

    return read


def _partial(field: str):
    return lambda row, context: dates.iso(row[field], row[f"{field}_precision"])


def _last_day(field: str):
    def read(row: dict, context: dict):
        first_day = row[field]
        if first_day is None:
            return None
        return dates.last_day(first_day, row[f"{field}_precision"])

    return read


def related_triples(through, owner: str, outer: str, target: str) -> Subquery:
    """Gather [slug, name_fr, name_en] of each related row, as a JSON array."""
    triples = JSONArray(f"{target}__slug", f"{target}__name_fr", f"{target}__name_en")
    grouped = (
        through.objects.filter(**{owner: OuterRef(outer)})
        .order_by()
        .values(owner)
        .annotate(items=JsonGroup(triples))
        .values("items")
    )
    return Subquery(grouped, output_field=JSONField())


def _irm(outer: str) -> Subquery:
    assessment = IrmAssessment.objects.filter(commitment_id=OuterRef(outer)).values(
        facts=JSONObject(**{name: name for name in IRM_FIELDS})
    )
    return Subquery(assessment[:1], output_field=JSONField())


def is_historical(queryset: QuerySet) -> bool:
    """Tell whether queryset reads history rows (a plan as of a past day)."""
    return hasattr(queryset.model, "instance_type")


def _page_url(row: dict, context: dict) -> str:
    template = context.get("commitment_url")
    if not template:
        return ""
    reference = row["number"] if row["number"] is not None else row["ogp_id"]
    return template.format(plan=row["plan_slug"], ref=reference)


def _text(name: str, description, **kwargs) -> Column:
    return Column(name, description, **kwargs)


def _date(name: str, description, **kwargs) -> Column:
    return Column(name, description, type="date", **kwargs)


def _flag(name: str, description, **kwargs) -> Column:
    return Column(name, description, type="boolean", required=True, **kwargs)


def _count(name: str, description) -> Column:
    return Column(
        name, description, type="integer", constraints={"minimum": 0}, required=True
    )


def _commitment_reference_columns() -> list[Column]:
    return [
        Column(
            "commitment_id",
            _("Database identifier of the commitment."),
            type="integer",
            required=True,
        ),
        _text("plan", _("Short name of the action plan."), required=True),
        Column(
            "commitment_number",
            _("Number of the commitment in its plan."),
            type="integer",
        ),
        _text(
            "commitment_ogp_id",
            _("OGP identifier of the commitment, such as FR0051."),
        ),
    ]


# Commitments.


def _prepare_commitments(queryset: QuerySet) -> QuerySet:
    if is_historical(queryset):
        relations = {
            "leads": (asof.HistoricalLead, "history_id", "institution"),
            "partners_": (asof.HistoricalPartner, "history_id", "institution"),
            "areas": (asof.HistoricalArea, "history_id", "policyarea"),
        }
        outer = "history_id"
    else:
        queryset = queryset.annotate(milestones_late=facts.late_milestone_count())
        relations = {
            "leads": (LeadThrough, "commitment_id", "institution"),
            "partners_": (PartnerThrough, "commitment_id", "institution"),
            "areas": (AreaThrough, "commitment_id", "policyarea"),
        }
        outer = "id"
    annotations = {
        key: related_triples(through, owner, outer, target)
        for key, (through, owner, target) in relations.items()
    }

    return queryset.annotate(**annotations, irm_facts=_irm("id"))


def _irm_value(name: str):
    def read(row: dict, context: dict) -> str | None:
        facts = row["irm_facts"]
        return (facts or {}).get(name) or None

    return read


DESCRIPTION_SECTIONS = [
    ("problem", _("problem addressed")),
    ("commitment", _("what is committed")),
    ("contribution", _("how it helps")),
    ("relevance", _("relevance to OGP values")),
]
LANGUAGES = [("fr", _("in French")), ("en", _("in English"))]

COMMITMENTS = Dataset(
    name="commitments",
    list_path="plans/{plan}/commitments/",
    title=_("Commitments"),
    description=_(
        "One row per commitment of the plan, with its current status and "
        "progress, its dates, institutions, OGP policy areas and values, and "
        "the IRM assessment when there is one."
    ),
    fetch={
        "id": "id",
        "plan_slug": "plan__slug",
        "number": "number",
        "ogp_id": "ogp_id",
        **{
            f"{field}_{language}": f"{field}_{language}"
            for field in ("title", "summary")
            for language, _label in LANGUAGES
        },
        **{
            f"description_{section}_{language}": f"{section}_{language}"
            for section, _label in DESCRIPTION_SECTIONS
            for language, _name in LANGUAGES
        },
        "leads": "leads",
        "partners_": "partners_",
        "areas": "areas",
        "value_access_to_information": "value_access_to_information",
        "value_civic_participation": "value_civic_participation",
        "value_public_accountability": "value_public_accountability",
        "value_technology_innovation": "value_technology_innovation",
        "start": "start",
        "start_precision": "start_precision",
        "end": "end",
        "end_precision": "end_precision",
        "current_status": "current_status",
        "current_percentage": "current_percentage",
        "last_update_at": "last_update_at",
        "milestones_total": "milestones_total",
        "milestones_done": "milestones_done",
        "milestones_late": "milestones_late",
        "is_late": "is_late",
        "is_stale": "is_stale",
        "irm_facts": "irm_facts",
    },
    prepare=_prepare_commitments,
    columns=[
        Column(
            "id",
            _("Database identifier of the commitment; never reused."),
            type="integer",
            required=True,
        ),
        _text(
            "plan",
            _("Short name of the action plan."),
            required=True,
            value=lambda row, context: row["plan_slug"],
        ),
        Column("number", _("Number of the commitment in its plan."), type="integer"),
        _text("ogp_id", _("OGP identifier, such as FR0051."), example="FR0051"),
        *[
            _text(
                f"{field}_{language}",
                described(
                    _("%(field)s, %(language)s."), field=label, language=language_label
                ),
            )
            for field, label in (("title", _("Title")), ("summary", _("Summary")))
            for language, language_label in LANGUAGES
        ],
        *[
            _text(
                f"description_{section}_{language}",
                described(
                    _("Description, %(section)s, %(language)s (Markdown)."),
                    section=label,
                    language=language_label,
                ),
            )
            for section, label in DESCRIPTION_SECTIONS
            for language, language_label in LANGUAGES
        ],
        _text(
            "lead_institutions",
            _("Short names of the lead institutions."),
            value=_slugs("leads"),
            many=True,
        ),
        _text(
            "lead_institution_names",
            _("Names of the lead institutions, in the same order."),
            value=_names("leads"),
            many=True,
        ),
        _text(
            "partners",
            _("Short names of the partner institutions and organisations."),
            value=_slugs("partners_"),
            many=True,
        ),
        _text(
            "partner_names",
            _("Names of the partners, in the same order."),
            value=_names("partners_"),
            many=True,
        ),
        _text(
            "policy_areas",
            _("Short names of the OGP policy areas."),
            value=_slugs("areas"),
            many=True,
        ),
        _text(
            "policy_area_names",
            _("Names of the OGP policy areas, in the same order."),
            value=_names("areas"),
            many=True,
        ),
        _flag("value_access_to_information", _("OGP value: access to information.")),
        _flag("value_civic_participation", _("OGP value: civic participation.")),
        _flag("value_public_accountability", _("OGP value: public accountability.")),
        _flag(
            "value_technology_innovation",
            _("OGP value: technology and innovation."),
        ),
        _text(
            "start",
            _(
                "Start, as precisely as the plan gives it: 2021-09-01, 2021-09, "
                "2021-autumn or 2021."
            ),
            value=_partial("start"),
            pattern=PARTIAL_DATE,
        ),
        _text(
            "start_precision",
            _("Precision of the start: day, month, season or year."),
            enum=PRECISIONS,
            required=True,
        ),
        _text(
            "end",
            _("End, as precisely as the plan gives it."),
            value=_partial("end"),
            pattern=PARTIAL_DATE,
        ),
        _text(
            "end_precision",
            _("Precision of the end: day, month, season or year."),
            enum=PRECISIONS,
            required=True,
        ),
        _date(
            "due_by",
            _("Last day of the end period: the commitment is late after it."),
            value=_last_day("end"),
        ),
        _text(
            "status",
            _(
                "Current status: the latest progress update's, else the one "
                "its milestones give, else the one declared in the plan."
            ),
            value=lambda row, context: row["current_status"],
            enum=STATUSES,
            required=True,
        ),
        Column(
            "progress",
            _("Current progress, in percent, worked out like the status."),
            type="number",
            value=lambda row, context: row["current_percentage"],
            constraints={"minimum": 0, "maximum": 100},
        ),
        Column(
            "last_update_at",
            _("When the latest progress update was recorded (UTC)."),
            type="datetime",
        ),
        _count("milestones_total", _("Milestones, not counting cancelled ones.")),
        _count("milestones_done", _("Milestones done.")),
        _count("milestones_late", _("Milestones past their due date and not done.")),
        _flag(
            "is_late",
            _("Not finished while a milestone or the commitment itself is overdue."),
        ),
        _flag("is_stale", _("Not finished and without a recent progress update.")),
        *[
            _text(
                f"irm_{name}",
                described(_("IRM assessment: %(indicator)s."), indicator=label),
                value=_irm_value(name),
                enum=values,
            )
            for name, label, values in (
                (
                    "generation",
                    _("generation of the indicators"),
                    [choice.value for choice in IrmAssessment.Generation],
                ),
                ("verifiable", _("verifiable"), None),
                ("relevant_to_ogp_values", _("relevant to OGP values"), None),
                ("ambition", _("ambition or potential for results"), None),
                ("completion", _("completion"), None),
                ("early_results", _("early results"), None),
            )
        ],
        _text(
            "url",
            _("Address of the commitment's public page."),
            value=_page_url,
        ),
    ],
)


def commitment_ids(commitments: QuerySet) -> QuerySet:
    """Return the ids of the (live or historical) commitments, for a subquery."""
    return commitments.order_by().values("id")


# Milestones.


def milestones_of(commitments: QuerySet, day: datetime.date | None) -> QuerySet:
    """Return the milestones of commitments, today or as they stood on day."""
    ids = commitment_ids(commitments)
    if day is None:
        milestones = Milestone.objects.filter(commitment_id__in=ids)
    else:
        milestones = asof.milestones(day, commitment_id__in=ids)

    return milestones.order_by(
        F("commitment__number").asc(nulls_last=True),
        "commitment__ogp_id",
        "commitment_id",
        "position",
        "id",
    )


def _planned_due(row: dict, context: dict) -> datetime.date | None:
    for field in ("planned_end", "planned_start"):
        if row[field] is not None:
            return dates.last_day(row[field], row[f"{field}_precision"])
    return None


def _has_slipped(row: dict, context: dict) -> bool:
    planned = _planned_due(row, context)
    return bool(row["revised_due"] and planned and row["revised_due"] > planned)


def _milestone_is_late(row: dict, context: dict) -> bool:
    today = context.get("today") or timezone.localdate()
    open_statuses = {Milestone.Status.NOT_STARTED, Milestone.Status.IN_PROGRESS}
    due = row["due_date"]
    return bool(due and due < today and row["status"] in open_statuses)


MILESTONES = Dataset(
    name="milestones",
    list_path="plans/{plan}/commitments/milestones/",
    title=_("Milestones"),
    description=_(
        "One row per milestone of the commitments, with the planned dates "
        "(the baseline, never overwritten) beside the revised due date, so "
        "that slippage shows."
    ),
    fetch={
        "id": "id",
        "commitment_id": "commitment_id",
        "plan": "commitment__plan__slug",
        "commitment_number": "commitment__number",
        "commitment_ogp_id": "commitment__ogp_id",
        "position": "position",
        "title_fr": "title_fr",
        "title_en": "title_en",
        "planned_start": "planned_start",
        "planned_start_precision": "planned_start_precision",
        "planned_end": "planned_end",
        "planned_end_precision": "planned_end_precision",
        "revised_due": "revised_due",
        "due_date": "due_date",
        "status": "status",
        "completed_on": "completed_on",
        "deliverable": "deliverable",
    },
    columns=[
        Column(
            "id",
            _("Database identifier of the milestone; never reused."),
            type="integer",
            required=True,
        ),
        *_commitment_reference_columns(),
        Column(
            "position",
            _("Order of the milestone within its commitment."),
            type="integer",
            required=True,
        ),
        _text("title_fr", _("Title in French.")),
        _text("title_en", _("Title in English.")),
        _text(
            "planned_start",
            _("Planned start, as precisely as the plan gives it."),
            value=_partial("planned_start"),
            pattern=PARTIAL_DATE,
        ),
        _text(
            "planned_start_precision",
            _("Precision of the planned start."),
            enum=PRECISIONS,
            required=True,
        ),
        _text(
            "planned_end",
            _("Planned end, as precisely as the plan gives it."),
            value=_partial("planned_end"),
            pattern=PARTIAL_DATE,
        ),
        _text(
            "planned_end_precision",
            _("Precision of the planned end."),
            enum=PRECISIONS,
            required=True,
        ),
        _date(
            "planned_due",
            _("Last day of the planned period: the original deadline."),
            value=_planned_due,
        ),
        _date(
            "revised_due",
            _("Revised due date, when the milestone slipped."),
        ),
        _date(
            "due_date",
            _("Date the milestone is due by: the revised date, else the planned one."),
        ),
        _flag(
            "has_slipped",
            _("The revised due date is later than the planned one."),
            value=_has_slipped,
        ),
        _text("status", _("Status."), enum=MILESTONE_STATUSES, required=True),
        _date("completed_on", _("Date the milestone was completed.")),
        _flag(
            "is_late",
            _("Past its due date and not done (on the day the file describes)."),
            value=_milestone_is_late,
        ),
        _text("deliverable", _("Expected deliverable.")),
    ],
)


# Progress updates.


def updates_of(commitments: QuerySet, day: datetime.date | None) -> QuerySet:
    """Return the progress updates of commitments recorded by the end of day."""
    updates = ProgressUpdate.objects.filter(
        commitment_id__in=commitment_ids(commitments)
    )
    if day is not None:
        updates = updates.filter(recorded_at__lt=asof.end_of(day))

    return updates.order_by("recorded_at", "id")


def previous_status() -> Subquery:
    """Annotate a progress update with the status of the update before it."""
    earlier = ProgressUpdate.objects.filter(
        Q(recorded_at__lt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), id__lt=OuterRef("id")),
        commitment_id=OuterRef("commitment_id"),
    ).order_by("-recorded_at", "-id")
    return Subquery(earlier.values("status")[:1], output_field=CharField())


def _prepare_updates(queryset: QuerySet) -> QuerySet:
    evidence = (
        EvidenceLink.objects.filter(update_id=OuterRef("id"))
        .order_by()
        .values("update_id")
        .annotate(items=JsonGroup(JSONArray("id", "title", "url")))
        .values("items")
    )
    return queryset.annotate(
        previous=previous_status(),
        evidence_items=Subquery(evidence, output_field=JSONField()),
    )


def _evidence(position: int):
    def read(row: dict, context: dict) -> list[str]:
        items = sorted(row["evidence_items"] or [], key=lambda item: item[0])
        return [item[position] for item in items]

    return read


UPDATES = Dataset(
    name="progress-updates",
    list_path="plans/{plan}/commitments/updates/",
    title=_("Progress updates"),
    description=_(
        "One row per progress update: the dated report of an institution on "
        "a commitment, with status and percentage at that date, what was "
        "achieved, evidence and challenges. Updates are never changed once "
        "recorded."
    ),
    fetch={
        "id": "id",
        "commitment_id": "commitment_id",
        "plan": "commitment__plan__slug",
        "commitment_number": "commitment__number",
        "commitment_ogp_id": "commitment__ogp_id",
        "recorded_at": "recorded_at",
        "period_start": "period_start",
        "period_end": "period_end",
        "status": "status",
        "previous": "previous",
        "percentage": "percentage",
        "achievements": "achievements",
        "challenges": "challenges",
        "help_wanted": "help_wanted",
        "author_slug": "author_institution__slug",
        "author_institution_name_fr": "author_institution__name_fr",
        "author_institution_name_en": "author_institution__name_en",
        "evidence_items": "evidence_items",
    },
    prepare=_prepare_updates,
    columns=[
        Column(
            "id",
            _("Database identifier of the progress update; never reused."),
            type="integer",
            required=True,
        ),
        *_commitment_reference_columns(),
        Column(
            "recorded_at",
            _("When the update was recorded (UTC)."),
            type="datetime",
            required=True,
        ),
        _date("period_start", _("First day of the reporting period."), required=True),
        _date("period_end", _("Last day of the reporting period."), required=True),
        _text(
            "status",
            _("Status of the commitment at that date."),
            enum=STATUSES,
            required=True,
        ),
        _text(
            "previous_status",
            _("Status given by the update before it; empty for the first one."),
            value=lambda row, context: row["previous"],
            enum=STATUSES,
        ),
        Column(
            "percentage",
            _("Progress of the commitment at that date, in percent."),
            type="number",
            required=True,
            constraints={"minimum": 0, "maximum": 100},
        ),
        _text("achievements", _("What was achieved (Markdown).")),
        _text("challenges", _("Challenges met (Markdown).")),
        _flag("help_wanted", _("The institution asks civil society for help.")),
        _text(
            "author_institution",
            _("Short name of the reporting institution."),
            required=True,
            value=lambda row, context: row["author_slug"],
        ),
        _text(
            "author_institution_name",
            _("Name of the reporting institution."),
            value=lambda row, context: _in_language(
                row, context, "author_institution_name"
            ),
        ),
        _text(
            "evidence_urls",
            _("Addresses of the evidence (links and documents)."),
            value=_evidence(2),
            many=True,
        ),
        _text(
            "evidence_titles",
            _("Titles of the evidence, in the same order."),
            value=_evidence(1),
            many=True,
        ),
    ],
)


# Full history: one row per version of each commitment and milestone.


class HistoryDataset(Dataset):
    """Versions of commitments and milestones, each with the fields it changed.

    The rows come ordered by object and date, so each version is compared
    with the one just before it while streaming: nothing is held in memory
    but the previous version of the current object.
    """

    def rows(self, commitments: QuerySet, context: dict | None = None):
        context = context or {}
        ids = commitment_ids(commitments)
        moment = asof.end_of(context["as_of"]) if context.get("as_of") else None
        yield from self._versions(
            "commitment", _commitment_versions(ids, moment), context
        )
        yield from self._versions(
            "milestone", _milestone_versions(ids, moment), context
        )

    def _versions(self, kind: str, queryset: QuerySet, context: dict) -> Iterator:
        tracked = _tracked_fields(queryset.model)
        readers = self.readers(context)
        previous = None
        for version in queryset.iterator(chunk_size=CHUNK_SIZE):
            if previous is None or previous["id"] != version["id"]:
                previous = None
            changes = _changes(previous, version, tracked)
            version.update(object_type=kind, changes=changes)
            yield [read(version) for read in readers]
            previous = version


RELATIONS = ("lead_institutions", "partners", "policy_areas")


def _tracked_fields(history_model) -> list[str]:
    names = [
        field.attname
        for field in history_model._meta.concrete_fields
        if not field.name.startswith("history_") and field.name not in ("id",)
    ]
    if history_model is HistoricalCommitment:
        names += RELATIONS
    return names


def _comparable(value):
    if isinstance(value, list):
        return sorted(value)
    return value


def _changes(previous: dict | None, version: dict, tracked: list[str]) -> dict:
    """Return {field: {"before": …, "after": …}} for what version changed."""
    if version["history_type"] == "-":
        return {}
    changes = {}
    for name in tracked:
        after = _comparable(version[name])
        before = _comparable(previous[name]) if previous is not None else None
        if previous is None and after in (None, "", [], False):
            continue
        if before != after:
            changes[name] = {"before": before, "after": after}

    return changes


def _relation_slugs(model, target: str) -> Subquery:
    slugs = (
        model.objects.filter(history_id=OuterRef("history_id"))
        .order_by()
        .values("history_id")
        .annotate(items=JsonGroup(f"{target}__slug"))
        .values("items")
    )
    return Subquery(slugs, output_field=JSONField())


def _commitment_versions(ids: QuerySet, moment) -> QuerySet:
    versions = HistoricalCommitment.objects.filter(id__in=ids)
    if moment is not None:
        versions = versions.filter(history_date__lt=moment)
    versions = versions.annotate(
        lead_institutions=_relation_slugs(asof.HistoricalLead, "institution"),
        partners=_relation_slugs(asof.HistoricalPartner, "institution"),
        policy_areas=_relation_slugs(asof.HistoricalArea, "policyarea"),
    )
    fields = _tracked_fields(HistoricalCommitment)

    return _version_values(versions, fields, commitment="id", plan="plan__slug")


def _milestone_versions(ids: QuerySet, moment) -> QuerySet:
    versions = HistoricalMilestone.objects.filter(commitment_id__in=ids)
    if moment is not None:
        versions = versions.filter(history_date__lt=moment)
    fields = _tracked_fields(HistoricalMilestone)

    return _version_values(
        versions, fields, commitment="commitment_id", plan="commitment__plan__slug"
    )


def _version_values(versions: QuerySet, fields: list[str], **refs) -> QuerySet:
    # The author is named only when they chose to be public; otherwise the
    # changelog, and so this file, names their institutions only.
    public_author = Q(history_user__name_is_public=True)
    return versions.order_by("id", "history_date", "history_id").values(
        *fields,
        "id",
        "history_id",
        "history_date",
        "history_type",
        "history_change_reason",
        commitment_ref=F(refs["commitment"]),
        plan_ref=F(refs["plan"]),
        author_name=_public_author_name(public_author),
        author_institutions=_author_institutions(),
    )


def _public_author_name(public_author: Q):
    from django.db.models import Case, Value, When

    # Only a display name is ever shown, never the account name (a login).
    return Case(
        When(public_author, then=F("history_user__display_name")), default=Value("")
    )


def _author_institutions() -> Subquery:
    from commitments.models import Institution

    members = (
        Institution.members.through.objects.filter(user_id=OuterRef("history_user_id"))
        .order_by()
        .values("user_id")
        .annotate(items=JsonGroup("institution__slug"))
        .values("items")
    )
    return Subquery(members, output_field=JSONField())


CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}

HISTORY = HistoryDataset(
    name="history",
    list_path="plans/{plan}/commitments/history/",
    title=_("Full history"),
    description=_(
        "One row per version of each commitment and milestone, oldest first "
        "for each object: when it was made, by which institution, and each "
        "field it changed with the value before and after."
    ),
    fetch={},
    primary_key=("object_type", "version_id"),
    columns=[
        _text(
            "object_type",
            _("What changed: commitment or milestone."),
            enum=["commitment", "milestone"],
            required=True,
        ),
        Column(
            "object_id",
            _("Database identifier of the commitment or milestone."),
            type="integer",
            required=True,
            value=lambda row, context: row["id"],
        ),
        Column(
            "commitment_id",
            _("Database identifier of the commitment it belongs to."),
            type="integer",
            value=lambda row, context: row["commitment_ref"],
        ),
        _text(
            "plan",
            _("Short name of the action plan."),
            value=lambda row, context: row["plan_ref"],
        ),
        Column(
            "version_id",
            _("Identifier of the version, unique for each object type."),
            type="integer",
            required=True,
            value=lambda row, context: row["history_id"],
        ),
        Column(
            "changed_at",
            _("When the version was recorded (UTC)."),
            type="datetime",
            required=True,
            value=lambda row, context: row["history_date"],
        ),
        _text(
            "change_type",
            _("created, changed or deleted."),
            enum=list(CHANGE_TYPES.values()),
            required=True,
            value=lambda row, context: CHANGE_TYPES.get(row["history_type"], ""),
        ),
        _text(
            "changed_by",
            _("Name of the person, only when they chose to be named in public."),
            value=lambda row, context: row["author_name"] or None,
        ),
        _text(
            "changed_by_institutions",
            _("Short names of the institutions of the person who made the change."),
            value=lambda row, context: sorted(row["author_institutions"] or []),
            many=True,
        ),
        _text(
            "reason",
            _("Reason given for the change."),
            value=lambda row, context: row["history_change_reason"] or None,
        ),
        _text(
            "changed_fields",
            _("Names of the fields this version changed."),
            value=lambda row, context: list(row["changes"]),
            many=True,
        ),
        Column(
            "changes",
            _(
                "Each changed field with its value before and after, as a JSON "
                'object: {"field": {"before": …, "after": …}}.'
            ),
            type="object",
            value=lambda row, context: row["changes"],
        ),
    ],
)

DATASETS = {
    dataset.name: dataset for dataset in (COMMITMENTS, MILESTONES, UPDATES, HISTORY)
}
