"""Facts derived from progress updates and milestones.

What a commitment's milestones and latest progress update say (how many
milestones are done, the earliest open due date, the latest status…) is stored
in CommitmentFacts and rewritten by store_facts() whenever a milestone or an
update is saved or deleted. Reading pages then join one row per commitment
instead of counting milestones for each one shown; the rules that depend on the
day (late, stale) and on precedence (current status) stay SQL expressions, so
a page costs the same number of queries for five commitments or five thousand.
"""

import datetime

from django.apps import apps as installed_apps
from django.conf import settings
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from commitments.models import Milestone, Status

OPEN_MILESTONE = [Milestone.Status.NOT_STARTED, Milestone.Status.IN_PROGRESS]
FINISHED = [Status.COMPLETED, Status.WITHDRAWN]
PERCENT = DecimalField(max_digits=4, decimal_places=1)
STORED = [
    "milestones_total",
    "milestones_done",
    "milestones_started",
    "first_open_due",
    "latest_status",
    "latest_percentage",
    "last_update_at",
]
# Commitments whose facts are computed and written in one statement.
BATCH = 500


def store_facts(commitment_ids, apps=installed_apps) -> None:
    """Recompute and store the facts of the given commitments.

    apps is the model registry to use: the installed one, or a migration's.
    The commitments are locked first, so two changes to one commitment's
    milestones at the same moment are counted one after the other, each
    seeing the other's once it is committed.
    """
    ids = sorted(set(commitment_ids))
    for first in range(0, len(ids), BATCH):
        with transaction.atomic():
            _store_batch(ids[first : first + BATCH], apps)


def _store_batch(batch: list[int], apps) -> None:
    commitment_model = apps.get_model("commitments", "Commitment")
    milestone_model = apps.get_model("commitments", "Milestone")
    update_model = apps.get_model("commitments", "ProgressUpdate")
    facts_model = apps.get_model("commitments", "CommitmentFacts")
    locked = commitment_model.objects.filter(pk__in=batch).order_by("pk")
    list(locked.select_for_update().values_list("pk", flat=True))
    counted = (
        milestone_model.objects.filter(commitment_id__in=batch)
        .exclude(status=Milestone.Status.CANCELLED)
        .order_by()
        .values("commitment_id")
        .annotate(
            milestones_total=Count("pk"),
            milestones_done=Count("pk", filter=Q(status=Milestone.Status.DONE)),
            milestones_started=Count(
                "pk", filter=Q(status=Milestone.Status.IN_PROGRESS)
            ),
            first_open_due=Min("due_date", filter=Q(status__in=OPEN_MILESTONE)),
        )
    )
    counts = {row.pop("commitment_id"): row for row in counted}
    latest = update_model.objects.filter(commitment=OuterRef("pk")).order_by(
        "-recorded_at", "-id"
    )
    updates = (
        commitment_model.objects.filter(pk__in=batch)
        .order_by()
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_percentage=Subquery(latest.values("percentage")[:1]),
            last_update_at=Subquery(latest.values("recorded_at")[:1]),
        )
        .values("pk", "latest_status", "latest_percentage", "last_update_at")
    )
    facts = []
    for row in updates:
        pk = row.pop("pk")
        facts.append(facts_model(commitment_id=pk, **row, **counts.get(pk, {})))
    facts_model.objects.bulk_create(
        facts,
        update_conflicts=True,
        unique_fields=["commitment"],
        update_fields=STORED,
    )


def stale_threshold(today: datetime.date) -> datetime.datetime:
    """Return the moment before which a last update makes a commitment stale."""
    days = datetime.timedelta(days=settings.OGP_STALE_AFTER_DAYS)
    # A date early in year 1 would fall before the calendar once shifted back
    # (and to UTC); no plan is that old, so such a day counts as year 2.
    start = max(today, datetime.date(2, 1, 1) + days)
    start_of_day = datetime.datetime.combine(start, datetime.time.min)

    return timezone.make_aware(start_of_day) - days


def annotate_commitments(queryset: QuerySet, today: datetime.date | None = None):
    """Add current_status, current_percentage, last_update_at, is_late and is_stale.

    The current status and percentage are the latest progress update's; without
    one they follow the milestones (share done), and without milestones the
    status declared on the commitment itself.
    """
    today = today or timezone.localdate()
    threshold = stale_threshold(today)
    queryset = queryset.annotate(
        latest_status=F("stored_facts__latest_status"),
        latest_percentage=F("stored_facts__latest_percentage"),
        last_update_at=F("stored_facts__last_update_at"),
        milestones_total=Coalesce("stored_facts__milestones_total", 0),
        milestones_done=Coalesce("stored_facts__milestones_done", 0),
        milestones_started=Coalesce("stored_facts__milestones_started", 0),
    )
    milestone_status = Case(
        When(milestones_total=0, then=None),
        When(milestones_done=F("milestones_total"), then=Value(Status.COMPLETED)),
        When(
            Q(milestones_done__gt=0) | Q(milestones_started__gt=0),
            then=Value(Status.IN_PROGRESS),
        ),
        default=Value(Status.NOT_STARTED),
    )
    milestone_share = Case(
        When(milestones_total=0, then=None),
        default=Cast(
            ExpressionWrapper(
                Cast("milestones_done", FloatField()) * 100.0 / F("milestones_total"),
                output_field=FloatField(),
            ),
            PERCENT,
        ),
    )
    queryset = queryset.annotate(
        current_status=Case(
            When(latest_status__isnull=False, then=F("latest_status")),
            When(status=Status.WITHDRAWN, then=Value(Status.WITHDRAWN)),
            default=Coalesce(milestone_status, F("status")),
        ),
        current_percentage=Coalesce(
            "latest_percentage", milestone_share, "progress", output_field=PERCENT
        ),
    )
    never_updated = Q(last_update_at__isnull=True)
    stale = ~Q(current_status__in=FINISHED) & (
        Q(last_update_at__lt=threshold)
        | (never_updated & Q(start__lt=threshold.date()))
        | (never_updated & Q(start__isnull=True, plan__start__lt=threshold.date()))
    )
    late = ~Q(current_status__in=FINISHED) & (
        Q(stored_facts__first_open_due__lt=today) | Q(end_by__lt=today)
    )

    return queryset.annotate(
        is_late=Case(When(late, then=True), default=False, output_field=BooleanField()),
        is_stale=Case(
            When(stale, then=True), default=False, output_field=BooleanField()
        ),
    )


def late_milestone_count(today: datetime.date | None = None) -> Coalesce:
    """Annotate commitments with their milestones past due and not done."""
    today = today or timezone.localdate()
    counted = (
        Milestone.objects.filter(
            commitment=OuterRef("pk"), due_date__lt=today, status__in=OPEN_MILESTONE
        )
        .order_by()
        .values("commitment")
        .annotate(n=Count("pk"))
        .values("n")
    )

    return Coalesce(Subquery(counted), Value(0))
