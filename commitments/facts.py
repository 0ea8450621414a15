"""Facts derived from progress updates and milestones, computed in the database.

Every function here adds a fixed number of subqueries to one SQL statement, so a
page costs the same number of queries for five commitments or five thousand.
"""

import datetime

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from commitments.models import Milestone, ProgressUpdate, Status

OPEN_MILESTONE = [Milestone.Status.NOT_STARTED, Milestone.Status.IN_PROGRESS]
FINISHED = [Status.COMPLETED, Status.WITHDRAWN]
PERCENT = DecimalField(max_digits=4, decimal_places=1)


def _milestone_count(**filters) -> Coalesce:
    counted = (
        Milestone.objects.filter(commitment=OuterRef("pk"), **filters)
        .exclude(status=Milestone.Status.CANCELLED)
        .order_by()
        .values("commitment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), Value(0))


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
    latest = ProgressUpdate.objects.filter(commitment=OuterRef("pk")).order_by(
        "-recorded_at", "-id"
    )

    queryset = queryset.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_percentage=Subquery(latest.values("percentage")[:1]),
        last_update_at=Subquery(latest.values("recorded_at")[:1]),
        milestones_total=_milestone_count(),
        milestones_done=_milestone_count(status=Milestone.Status.DONE),
        milestones_started=_milestone_count(status=Milestone.Status.IN_PROGRESS),
        milestones_late=_milestone_count(due_date__lt=today, status__in=OPEN_MILESTONE),
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
        Q(milestones_late__gt=0) | Q(end_by__lt=today)
    )

    return queryset.annotate(
        is_late=Case(When(late, then=True), default=False, output_field=BooleanField()),
        is_stale=Case(
            When(stale, then=True), default=False, output_field=BooleanField()
        ),
    )
