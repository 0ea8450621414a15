"""The plan as it stood at the end of a past day, read from the history tables.

Every change to plans, commitments (with their lead institutions, partners and
policy areas) and milestones leaves a row in a history table. The state at a
moment is, for each object, its latest row written before that moment, unless
that row records a deletion. Progress updates are never changed once recorded,
so the updates known at a moment are simply those recorded before it.

The querysets here yield ordinary (unsaved) Commitment and Milestone objects,
so templates and exports treat a past state exactly like the present one. The
derived facts (current status, lateness…) follow the rules of
commitments/facts.py, computed on the history rows with "today" set to the
chosen day.
"""

import datetime

from django import forms
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    DecimalField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.query import ModelIterable
from django.db.models.sql.datastructures import BaseTable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.dates import Precision
from commitments.facts import FINISHED, OPEN_MILESTONE, stale_threshold
from commitments.models import (
    ActionPlan,
    Commitment,
    Milestone,
    ProgressUpdate,
    Status,
)
from ogp_tracker.validators import EARLIEST_DATE

PERCENT = DecimalField(max_digits=4, decimal_places=1)
HistoricalPlan = ActionPlan.history.model
HistoricalCommitment = Commitment.history.model
HistoricalMilestone = Milestone.history.model
HistoricalLead = HistoricalCommitment.lead_institutions.model
HistoricalPartner = HistoricalCommitment.partners.model
HistoricalArea = HistoricalCommitment.policy_areas.model

# The milestone counts that asof.commitments() reads as milestones_<name>.
COUNTED_MILESTONES = ["total", "done", "started", "late"]


class AsOfForm(forms.Form):
    """Validate the ?as_of=YYYY-MM-DD parameter shared by the public pages."""

    as_of = forms.DateField(
        label=_("Show the plan as it stood on"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": _("Enter a real date written YYYY-MM-DD, such as 2022-06-30.")
        },
    )

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                _("The date is in the future; the plan is shown as it is today.")
            )
        # No plan is that old, and dates near year 1 cannot be shifted back
        # by a season or a reporting period without leaving the calendar.
        if day and day < EARLIEST_DATE:
            raise forms.ValidationError(
                _("Choose a date from 1900 on; the plan is shown as it is today.")
            )
        return day


def read_as_of(data) -> tuple[datetime.date | None, list[str]]:
    """Return the valid as_of day in data (or None) and the errors to show."""
    if not data.get("as_of"):
        return None, []
    form = AsOfForm(data)
    if form.is_valid():
        return form.cleaned_data["as_of"], []

    return None, form.errors.get("as_of", [])


def end_of(day: datetime.date) -> datetime.datetime:
    """Return the first moment after day, in the site's time zone."""
    next_day = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min
    )
    return timezone.make_aware(next_day)


def latest_rows(history_model, moment: datetime.datetime) -> QuerySet:
    """Filter each object's latest history row before moment, deletions left out."""
    latest = (
        history_model.objects.filter(id=OuterRef("id"), history_date__lt=moment)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )

    return (
        history_model.objects.filter(history_date__lt=moment)
        .filter(history_id=Subquery(latest))
        .exclude(history_type="-")
    )


def plan_existed(moment: datetime.datetime) -> Exists:
    """Annotate an ActionPlan queryset: did the plan exist before moment?"""
    return Exists(latest_rows(HistoricalPlan, moment).filter(id=OuterRef("pk")))


class AsLiveObjects(ModelIterable):
    """Yield live-model objects built from history rows, annotations included."""

    def __iter__(self):
        live_model = self.queryset.model.instance_type
        for row in super().__iter__():
            yield as_live(live_model, row)


def as_live(live_model, row):
    """Return an unsaved live_model object with the values of a history row."""
    obj = live_model()
    obj.__dict__.update(
        (name, value) for name, value in row.__dict__.items() if name != "_state"
    )
    obj._state.adding = False
    obj._state.db = row._state.db
    obj.is_historical = True
    if live_model is Commitment:
        obj.end_by = None
        if obj.end:
            from commitments.dates import last_day

            obj.end_by = last_day(obj.end, obj.end_precision)

    return obj


def live_objects(queryset: QuerySet) -> QuerySet:
    """Make a history queryset yield live-model objects."""
    queryset = queryset.all()
    queryset._iterable_class = AsLiveObjects

    return queryset


def _milestone_counts(commitment_ids: QuerySet, moment, day) -> QuerySet:
    """Count the milestones of each of the given commitments, in one grouped query."""
    rows = latest_rows(HistoricalMilestone, moment).filter(
        commitment_id__in=commitment_ids
    )
    late = Q(due_date__lt=day, status__in=OPEN_MILESTONE)

    return (
        rows.exclude(status=Milestone.Status.CANCELLED)
        .order_by()
        .values("commitment_id")
        .annotate(
            total=Count("history_id"),
            done=Count("history_id", filter=Q(status=Milestone.Status.DONE)),
            started=Count("history_id", filter=Q(status=Milestone.Status.IN_PROGRESS)),
            late=Count("history_id", filter=late),
        )
    )


class PastCommitmentsTable(BaseTable):
    """The FROM clause of asof.commitments(): a table of past rows with their facts.

    Django writes an annotation out again wherever another annotation or a
    filter refers to it. The milestone counts are read by the current status,
    the percentage, lateness and staleness, so as subqueries they were computed
    dozens of times per commitment. Here they are computed once, by joining the
    commitment rows with one grouped count of milestones, in a derived table
    that keeps the history table's name; the queryset reads them as columns.

    TODO: missing is a public Django way to select models from a derived
    table, so this subclasses Django's internal BaseTable. Acceptable now
    because Django is pinned (requirements.txt) and the as-of tests on both
    databases exercise every way the callers use the queryset. Trigger: any
    Django upgrade — run tests/commitments/test_as_of_query.py first, and if
    it fails, move this to the django-cte package rather than patch it.
    """

    def __init__(self, table_name, alias, rows: QuerySet, counts: QuerySet):
        super().__init__(table_name, alias)
        self.rows = rows
        self.counts = counts

    def as_sql(self, compiler, connection):
        rows_sql, rows_params = self.rows.query.get_compiler(
            connection=connection
        ).as_sql()
        counts_sql, counts_params = self.counts.query.get_compiler(
            connection=connection
        ).as_sql()
        counted = ", ".join(
            f"COALESCE(counts.{name}, 0) AS milestones_{name}"
            for name in COUNTED_MILESTONES
        )
        sql = (
            f"(SELECT past.*, {counted} FROM ({rows_sql}) past"
            f" LEFT JOIN ({counts_sql}) counts"
            " ON counts.commitment_id = past.id)"
        )
        alias = compiler.quote_name_unless_alias(self.table_alias)

        return f"{sql} {alias}", (*rows_params, *counts_params)

    def relabeled_clone(self, change_map):
        alias = change_map.get(self.table_alias, self.table_alias)
        return self.__class__(self.table_name, alias, self.rows, self.counts)

    @property
    def identity(self):
        return (*super().identity, str(self.rows.query), str(self.counts.query))


class PastColumn(Expression):
    """A column that PastCommitmentsTable adds to the history table's own."""

    def __init__(self, alias: str, name: str, output_field):
        super().__init__(output_field=output_field)
        self.alias = alias
        self.name = name

    def as_sql(self, compiler, connection):
        quote = compiler.quote_name_unless_alias
        return f"{quote(self.alias)}.{quote(self.name)}", []

    def relabeled_clone(self, relabels):
        alias = relabels.get(self.alias, self.alias)
        return self.__class__(alias, self.name, self.output_field)


def _ended_before(day: datetime.date) -> Q:
    """Match rows whose end period is over before day, whatever its precision.

    The history keeps the end's first day and precision, not its last day, so
    "the last day is before day" is rewritten for each precision.
    """
    month_start = day.replace(day=1)
    season_limit = (month_start - datetime.timedelta(days=1)).replace(day=1)
    season_limit = (season_limit - datetime.timedelta(days=1)).replace(day=1)

    return (
        Q(end_precision=Precision.DAY, end__lt=day)
        | Q(end_precision=Precision.MONTH, end__lt=month_start)
        | Q(end_precision=Precision.SEASON, end__lt=season_limit)
        | Q(end_precision=Precision.YEAR, end__lt=day.replace(month=1, day=1))
    )


def commitments(plan: ActionPlan, day: datetime.date) -> QuerySet:
    """Return the plan's commitments at the end of day, with their derived facts."""
    moment = end_of(day)
    threshold = stale_threshold(day)
    updates = ProgressUpdate.objects.filter(
        commitment_id=OuterRef("id"), recorded_at__lt=moment
    ).order_by("-recorded_at", "-id")
    past = latest_rows(HistoricalCommitment, moment).filter(plan_id=plan.pk)
    counts = _milestone_counts(past.order_by().values("id"), moment, day)
    past = past.order_by().annotate(
        latest_status=Subquery(updates.values("status")[:1]),
        latest_percentage=Subquery(updates.values("percentage")[:1]),
        last_update_at=Subquery(updates.values("recorded_at")[:1]),
    )

    # The first table joined into an empty query becomes its FROM clause.
    rows = HistoricalCommitment.objects.all()
    table = HistoricalCommitment._meta.db_table
    alias = rows.query.join(PastCommitmentsTable(table, None, past, counts))
    status_field = ProgressUpdate._meta.get_field("status")
    rows = rows.annotate(
        latest_status=PastColumn(alias, "latest_status", status_field),
        latest_percentage=PastColumn(alias, "latest_percentage", PERCENT),
        last_update_at=PastColumn(alias, "last_update_at", DateTimeField()),
        **{
            f"milestones_{name}": PastColumn(
                alias, f"milestones_{name}", IntegerField()
            )
            for name in COUNTED_MILESTONES
        },
    )
    rows = rows.annotate(
        current_status=Case(
            When(latest_status__isnull=False, then=F("latest_status")),
            When(status=Status.WITHDRAWN, then=Value(Status.WITHDRAWN)),
            default=Coalesce(_milestone_status(), F("status")),
        ),
        current_percentage=Coalesce(
            "latest_percentage", _milestone_share(), "progress", output_field=PERCENT
        ),
    )
    never_updated = Q(last_update_at__isnull=True)
    stale = never_updated & Q(start__lt=threshold.date())
    if plan.start and plan.start < threshold.date():
        stale |= never_updated & Q(start__isnull=True)
    stale = ~Q(current_status__in=FINISHED) & (Q(last_update_at__lt=threshold) | stale)
    late = ~Q(current_status__in=FINISHED) & (
        Q(milestones_late__gt=0) | _ended_before(day)
    )
    rows = rows.annotate(
        is_late=Case(When(late, then=True), default=False, output_field=BooleanField()),
        is_stale=Case(
            When(stale, then=True), default=False, output_field=BooleanField()
        ),
    )

    return live_objects(rows)


def _milestone_status() -> Case:
    return Case(
        When(milestones_total=0, then=None),
        When(milestones_done=F("milestones_total"), then=Value(Status.COMPLETED)),
        When(
            Q(milestones_done__gt=0) | Q(milestones_started__gt=0),
            then=Value(Status.IN_PROGRESS),
        ),
        default=Value(Status.NOT_STARTED),
    )


def _milestone_share() -> Case:
    share = ExpressionWrapper(
        Cast("milestones_done", FloatField()) * 100.0 / F("milestones_total"),
        output_field=FloatField(),
    )
    return Case(When(milestones_total=0, then=None), default=Cast(share, PERCENT))


def milestones(day: datetime.date, **filters) -> QuerySet:
    """Return milestones as they stood at the end of day."""
    rows = latest_rows(HistoricalMilestone, end_of(day)).filter(**filters)

    return live_objects(rows.order_by("position", "id"))


def relation_rows(model, history_ids) -> QuerySet:
    """Return the rows of a versioned relation for the given commitment versions."""
    return model.objects.filter(history_id__in=list(history_ids))
