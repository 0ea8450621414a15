"""The figures of a plan's dashboard, today or as of a past day.

A fixed number of queries whatever the plan's size: one for the commitments
with their derived facts and milestone counts (summed and grouped here), one
for the heads of the late and upcoming milestone lists, and one for the names
of the lead institutions.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from commitments import asof, filters
from commitments.facts import OPEN_MILESTONE
from commitments.models import ActionPlan, Commitment, Institution, Milestone, Status

UPCOMING_DAYS = 90
LIST_LENGTH = 10
RECENT_LENGTH = 5
# Status order on every chart and table: from done to not begun.
STATUS_ORDER = [
    Status.COMPLETED,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.WITHDRAWN,
]


@dataclass
class StatusShare:
    status: str
    label: str
    count: int
    percent: float
    offset: float = 0.0


@dataclass
class InstitutionFigures:
    institution: Institution
    total: int = 0
    completed: int = 0
    late: int = 0
    progress_sum: float = 0.0

    @property
    def average(self) -> float:
        return self.progress_sum / self.total if self.total else 0.0


@dataclass
class PlanFigures:
    commitments: list[Commitment]
    announced: int | None
    statuses: list[StatusShare]
    by_institution: list[InstitutionFigures]
    milestones: dict
    late_milestones: list[Milestone]
    upcoming_milestones: list[Milestone]
    recent: list[Commitment] = field(default_factory=list)
    stale: list[Commitment] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.commitments)

    @property
    def completed(self) -> int:
        return sum(1 for c in self.commitments if c.current_status == Status.COMPLETED)

    @property
    def completed_percent(self) -> float:
        return 100.0 * self.completed / self.total if self.total else 0.0

    @property
    def late(self) -> int:
        return sum(1 for c in self.commitments if c.is_late)

    @property
    def stale_count(self) -> int:
        return sum(1 for c in self.commitments if c.is_stale)

    @property
    def average_progress(self) -> float:
        if not self.total:
            return 0.0
        return sum(float(c.current_percentage or 0) for c in self.commitments) / (
            self.total
        )


def plan_figures(plan: ActionPlan, day: datetime.date | None = None) -> PlanFigures:
    """Compute the dashboard of plan today, or at the end of day."""
    today = day or timezone.localdate()
    commitments = _commitments(plan, day, today)
    by_id = {commitment.pk: commitment for commitment in commitments}
    late, upcoming, counts = _milestone_lists(plan, day, today, by_id)
    for name in ("total", "done"):
        counts[name] = sum(getattr(c, f"milestones_{name}") for c in commitments)
    updated = [c for c in commitments if c.last_update_at]
    updated.sort(key=lambda c: c.last_update_at, reverse=True)

    return PlanFigures(
        commitments=commitments,
        announced=plan.announced_commitments,
        statuses=_statuses(commitments),
        by_institution=_by_institution(commitments),
        milestones=counts,
        late_milestones=late,
        upcoming_milestones=upcoming,
        recent=updated[:RECENT_LENGTH],
        stale=[c for c in commitments if c.is_stale][:LIST_LENGTH],
    )


def _commitments(plan: ActionPlan, day, today) -> list[Commitment]:
    shown = ["id", "plan_id", "number", "ogp_id", "title_fr", "title_en"]
    if day:
        queryset = filters.past_commitments(plan, day).only(*shown, "history_id")
    else:
        queryset = filters.live_commitments(plan).only(*shown)

    return list(queryset.order_by("number", "ogp_id"))


def _milestone_lists(plan: ActionPlan, day, today, by_id: dict):
    """Return the first late and the next upcoming milestones, and how many of each.

    One query, whatever the number of milestones.
    """
    if day:
        in_plan = asof.latest_rows(asof.HistoricalCommitment, asof.end_of(day))
        in_plan = in_plan.filter(plan_id=plan.pk).values("id")
        rows = asof.milestones(day, commitment_id__in=in_plan)
    else:
        rows = Milestone.objects.filter(commitment__plan=plan)
    is_past = Case(
        When(due_date__lt=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    # One ranking per group (late, upcoming) lets a single query return the
    # head of both lists, whatever the number of milestones.
    rank = Window(
        RowNumber(),
        partition_by=[is_past],
        order_by=[F("due_date").asc(), F("id").asc()],
    )
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS)
    rows = (
        rows.filter(status__in=OPEN_MILESTONE, due_date__lte=horizon)
        .annotate(
            is_past=is_past,
            rank=rank,
            in_group=Window(Count("id"), partition_by=[is_past]),
        )
        .filter(rank__lte=LIST_LENGTH)
        .order_by("due_date", "id")
    )
    found = list(rows)
    counts = {"late": 0, "upcoming": 0}
    for milestone in found:
        counts["late" if milestone.is_past else "upcoming"] = milestone.in_group
    found = _with_commitments(found, by_id)
    late = [milestone for milestone in found if milestone.is_past]
    upcoming = [milestone for milestone in found if not milestone.is_past]

    return late, upcoming[:RECENT_LENGTH], counts


def _upcoming(today: datetime.date) -> Q:
    until = today + datetime.timedelta(days=UPCOMING_DAYS)
    return Q(status__in=OPEN_MILESTONE, due_date__gte=today, due_date__lte=until)


def _with_commitments(milestones: list, by_id: dict) -> list:
    # The commitments are already in memory: no join, no extra query.
    for milestone in milestones:
        milestone.parent = by_id.get(milestone.commitment_id)
    return [milestone for milestone in milestones if milestone.parent]


def _statuses(commitments: list[Commitment]) -> list[StatusShare]:
    total = len(commitments) or 1
    labels = dict(Status.choices)
    shares, offset = [], 0.0
    for status in STATUS_ORDER:
        count = sum(1 for c in commitments if c.current_status == status)
        share = StatusShare(status, labels[status], count, 100.0 * count / total)
        share.offset = offset
        offset += share.percent
        shares.append(share)

    return shares


def _by_institution(commitments: list[Commitment]) -> list[InstitutionFigures]:
    rows: dict[int, InstitutionFigures] = {}
    for commitment in commitments:
        for institution_id in filters.lead_ids(commitment):
            row = rows.setdefault(institution_id, InstitutionFigures(None))
            row.total += 1
            row.completed += commitment.current_status == Status.COMPLETED
            row.late += bool(commitment.is_late)
            row.progress_sum += float(commitment.current_percentage or 0)
    if not rows:
        return []

    for institution in Institution.objects.filter(pk__in=rows).only(
        "slug", "name_fr", "name_en", "acronym"
    ):
        rows[institution.pk].institution = institution
    found = [row for row in rows.values() if row.institution is not None]

    return sorted(found, key=lambda row: (-row.total, row.institution.name.lower()))
