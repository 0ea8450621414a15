"""The commitment list's filters, search, sorting and date, as one FilterSet.

``CommitmentFilter(request.GET, plan=plan).qs`` is exactly the list the public
page shows, before pagination, so exports of "the list on screen" reuse it.
With a valid ``as_of`` date the rows come from the history (commitments/asof.py)
but are still Commitment objects with the same annotations as today's:
current_status, current_percentage, last_update_at, milestones_total/done/late,
is_late, is_stale, plus lead_ids (comma-separated ids of the lead institutions)
and, when searching, search_rank.

Invalid values never raise: the field is left out of the filtering and its
message is in ``ignored``, for the page to say what it ignored.
"""

import unicodedata

import django_filters
from django.db.models import (
    Aggregate,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
)
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from commitments import asof, search
from commitments.models import ActionPlan, Commitment, Institution, PolicyArea, Status

LeadThrough = Commitment.lead_institutions.through
AreaThrough = Commitment.policy_areas.through

OGP_VALUES = [
    ("access_to_information", _("Access to information")),
    ("civic_participation", _("Civic participation")),
    ("public_accountability", _("Public accountability")),
    ("technology_innovation", _("Technology and innovation")),
]
SORTS = {
    "number": (_("Number"), [F("number").asc(nulls_last=True), "ogp_id"]),
    "progress": (
        _("Most progress first"),
        [F("current_percentage").desc(nulls_last=True), "number"],
    ),
    "-progress": (
        _("Least progress first"),
        [F("current_percentage").asc(nulls_first=True), "number"],
    ),
    "updated": (
        _("Most recently updated first"),
        [F("last_update_at").desc(nulls_last=True), "number"],
    ),
    "-updated": (
        _("Least recently updated first"),
        [F("last_update_at").asc(nulls_first=True), "number"],
    ),
}
ONLY = [("1", _("yes"))]


class JoinedIds(Aggregate):
    """Comma-separated ids, aggregated in the database (for a subquery)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


def joined_ids(rows: QuerySet, owner: str, column: str) -> Subquery:
    """Return a subquery of the comma-separated column values of rows, per owner."""
    grouped = rows.order_by().values(owner).annotate(ids=JoinedIds(column))
    return Subquery(grouped.values("ids"))


def live_commitments(plan: ActionPlan) -> QuerySet:
    """Return the plan's commitments today, with facts and lead institution ids."""
    leads = LeadThrough.objects.filter(commitment_id=OuterRef("pk"))

    return (
        Commitment.objects.filter(plan=plan)
        .with_facts()
        .annotate(lead_ids=joined_ids(leads, "commitment_id", "institution_id"))
    )


def past_commitments(plan: ActionPlan, day) -> QuerySet:
    """Return the plan's commitments at the end of day, as live_commitments does."""
    leads = asof.HistoricalLead.objects.filter(history_id=OuterRef("history_id"))

    return asof.commitments(plan, day).annotate(
        lead_ids=joined_ids(leads, "history_id", "institution_id")
    )


def lead_ids(commitment) -> list[int]:
    """Return the ids in a row's lead_ids annotation."""
    text = getattr(commitment, "lead_ids", None) or ""
    return [int(part) for part in text.split(",") if part]


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), max_length=search.MAX_LENGTH, method="filter_search"
    )
    institution = django_filters.ChoiceFilter(
        label=_("Lead institution"),
        empty_label=_("All institutions"),
        method="filter_institution",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        empty_label=_("All statuses"),
        field_name="current_status",
    )
    area = django_filters.ChoiceFilter(
        label=_("OGP policy area"),
        empty_label=_("All policy areas"),
        method="filter_area",
    )
    value = django_filters.ChoiceFilter(
        label=_("OGP value"),
        choices=OGP_VALUES,
        empty_label=_("All values"),
        method="filter_value",
    )
    late = django_filters.ChoiceFilter(
        label=_("Late only"), choices=ONLY, method="filter_late"
    )
    stale = django_filters.ChoiceFilter(
        label=_("Without recent update only"), choices=ONLY, method="filter_stale"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        empty_label=None,
        method="filter_nothing",
    )

    def __init__(self, data=None, *, plan: ActionPlan, **kwargs):
        data = data if data is not None else {}
        self.plan = plan
        self.as_of, self.as_of_errors = asof.read_as_of(data)
        if self.as_of:
            queryset = past_commitments(plan, self.as_of)
        else:
            queryset = live_commitments(plan)
        super().__init__(data, queryset=queryset, **kwargs)

        self.institutions = self._institutions()
        self.areas = self._areas()
        self.filters["institution"].extra["choices"] = [
            (institution.slug, institution.name) for institution in self.institutions
        ]
        self.filters["area"].extra["choices"] = [
            (area.slug, area.name) for area in self.areas
        ]

    def _institutions(self) -> list[Institution]:
        if self.as_of:
            led = asof.HistoricalLead.objects.filter(
                institution_id=OuterRef("pk"), history__plan_id=self.plan.pk
            )
        else:
            led = LeadThrough.objects.filter(
                institution_id=OuterRef("pk"), commitment__plan_id=self.plan.pk
            )
        institutions = Institution.objects.filter(Exists(led)).only(
            "slug", "name_fr", "name_en", "acronym"
        )
        return sorted(institutions, key=lambda institution: institution.name.lower())

    def _areas(self) -> list[PolicyArea]:
        if self.as_of:
            used = asof.HistoricalArea.objects.filter(
                policyarea_id=OuterRef("pk"), history__plan_id=self.plan.pk
            )
        else:
            used = AreaThrough.objects.filter(
                policyarea_id=OuterRef("pk"), commitment__plan_id=self.plan.pk
            )
        areas = PolicyArea.objects.filter(Exists(used))
        return sorted(areas, key=lambda area: area.name.lower())

    @property
    def institutions_by_id(self) -> dict[int, Institution]:
        return {institution.pk: institution for institution in self.institutions}

    @property
    def ignored(self) -> list[tuple[str, str]]:
        """Return (field label, message) for each value left out of the list."""
        ignored = [(str(_("Date")), str(error)) for error in self.as_of_errors]
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else name
            ignored += [(str(label), str(error)) for error in errors]
        # Messages quote the value they refuse: a control or direction
        # character in it would travel into the page as it is.
        return [(label, _without_controls(message)) for label, message in ignored]

    def params_in_effect(self, params: QueryDict) -> QueryDict:
        """Return params without the values left out of the list.

        Links built from them (pages, exports, the other language) then
        carry only what the list shows, never a value it said it ignored.
        """
        kept = params.copy()
        for name in self.form.errors:
            kept.pop(name, None)
        if self.as_of_errors:
            kept.pop("as_of", None)
        return kept

    @property
    def is_searching(self) -> bool:
        return bool(self.form.is_valid() and self.form.cleaned_data.get("q"))

    def filter_search(self, queryset, name, value):
        return search.search(queryset, value, historical=bool(self.as_of))

    def filter_institution(self, queryset, name, value):
        institution = next(i for i in self.institutions if i.slug == value)
        if self.as_of:
            led = asof.HistoricalLead.objects.filter(history_id=OuterRef("history_id"))
        else:
            led = LeadThrough.objects.filter(commitment_id=OuterRef("pk"))
        return queryset.filter(Exists(led.filter(institution_id=institution.pk)))

    def filter_area(self, queryset, name, value):
        area = next(area for area in self.areas if area.slug == value)
        if self.as_of:
            used = asof.HistoricalArea.objects.filter(history_id=OuterRef("history_id"))
        else:
            used = AreaThrough.objects.filter(commitment_id=OuterRef("pk"))
        return queryset.filter(Exists(used.filter(policyarea_id=area.pk)))

    def filter_value(self, queryset, name, value):
        return queryset.filter(**{f"value_{value}": True})

    def filter_late(self, queryset, name, value):
        return queryset.filter(is_late=True)

    def filter_stale(self, queryset, name, value):
        return queryset.filter(is_stale=True)

    def filter_nothing(self, queryset, name, value):
        # Sorting is applied last, in filter_queryset, so that it can depend
        # on whether the list is a search result.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort")
        if sort in SORTS:
            return queryset.order_by(*SORTS[sort][1])
        if self.form.cleaned_data.get("q"):
            return queryset.order_by("-search_rank", *SORTS["number"][1])

        return queryset.order_by(*SORTS["number"][1])


def _without_controls(text: str) -> str:
    """Replace control and format characters by the replacement mark."""
    return "".join(
        "\ufffd" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text
    )
