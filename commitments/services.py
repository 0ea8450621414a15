"""Changes to plans, commitments, milestones and progress, for every entry point.

The admin, management commands and public views call these functions instead of
saving the models themselves, so that every change:

- stays inside what the user may edit (coordinators: everything; editors: the
  commitments their institutions lead, and those commitments' milestones);
- leaves exactly one history row per changed object, and none when nothing
  changed (see ``versioning.one_version``);
- refuses a stale copy: each versioned object carries a ``version`` number that
  goes up on every real change, and a save based on an older number is refused
  instead of silently overwriting someone else's work.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments import roles
from commitments.models import (
    ActionPlan,
    Commitment,
    EvidenceLink,
    Institution,
    Milestone,
    ProgressUpdate,
    Status,
)
from commitments.versioning import has_changed, one_version

logger = logging.getLogger(__name__)


class EditConflict(Exception):
    """Someone else saved the object after the caller loaded it."""


# Roles -----------------------------------------------------------------------


def is_coordinator(user) -> bool:
    """Tell whether user sees and edits everything (cached on the user object)."""
    cached = getattr(user, "_services_is_coordinator", None)
    if cached is None:
        cached = user.is_authenticated and roles.is_coordinator(user)
        user._services_is_coordinator = cached

    return cached


def is_editor(user) -> bool:
    """Tell whether user edits their own institutions' commitments (cached)."""
    cached = getattr(user, "_services_is_editor", None)
    if cached is None:
        cached = user.is_authenticated and roles.is_editor(user)
        user._services_is_editor = cached

    return cached


def editable_commitments(user) -> QuerySet:
    """Return the commitments user may see and edit in the back-office."""
    if is_coordinator(user):
        return Commitment.objects.all()
    if not is_editor(user):
        return Commitment.objects.none()
    # A subquery rather than a join, so that callers never need distinct().
    led = Commitment.lead_institutions.through.objects.filter(
        institution_id__in=roles.own_institution_ids(user)
    ).values("commitment_id")

    return Commitment.objects.filter(pk__in=led)


def may_edit_commitment(user, commitment: Commitment | int) -> bool:
    """Tell whether user may edit the commitment (given as an object or an id)."""
    if is_coordinator(user):
        return True
    pk = commitment if isinstance(commitment, int) else commitment.pk
    cache = user.__dict__.setdefault("_services_editable_ids", {})
    if pk not in cache:
        cache[pk] = editable_commitments(user).filter(pk=pk).exists()

    return cache[pk]


def reporting_institutions(*, user, commitment: Commitment | None) -> QuerySet:
    """Return the institutions user may report progress for on commitment.

    Only an institution that leads the commitment reports on it; an editor
    reports for their own institutions among those. Without a commitment,
    return the institutions user could report for on some commitment.
    """
    institutions = Institution.objects.all()
    if commitment is not None:
        institutions = institutions.filter(led_commitments=commitment)
    if not is_coordinator(user):
        institutions = institutions.filter(pk__in=roles.own_institution_ids(user))

    return institutions


# Versioned saves --------------------------------------------------------------


def conflict_message(obj) -> str:
    return _(
        "Someone else saved this %(kind)s after you opened it, so your changes "
        "were not saved. Reload the page to see the current version, then make "
        "your changes again."
    ) % {"kind": obj._meta.verbose_name}


def check_version(obj, expected_version: int | None) -> None:
    """Lock obj's row until the end of the transaction and refuse a stale copy."""
    with transaction.atomic():
        current = (
            type(obj)
            .objects.select_for_update()
            .filter(pk=obj.pk)
            .values_list("version", flat=True)
            .first()
        )
    if current is None:
        raise EditConflict(
            _("This %(kind)s has been deleted in the meantime; nothing was saved.")
            % {"kind": obj._meta.verbose_name}
        )
    if expected_version != current:
        raise EditConflict(conflict_message(obj))


def save_versioned(
    *,
    obj: models.Model,
    user,
    expected_version: int | None = None,
    save_related: Callable[[], None] | None = None,
    reason: str = "",
) -> bool:
    """Save obj and its relations as one version; say whether anything changed.

    With expected_version, the save is refused (EditConflict) unless the stored
    version is still that one. The version goes up only when a history row is
    written, so saving an unchanged form does not make other open forms stale.
    """
    creating = obj.pk is None or obj._state.adding
    with transaction.atomic():
        if not creating and expected_version is not None:
            check_version(obj, expected_version)
        changed = False
        with one_version(obj, user=user, reason=reason):
            obj.save()
            if save_related is not None:
                save_related()
            changed = has_changed(obj)
            if changed and not creating:
                new_version = obj.version + 1
                type(obj).objects.filter(pk=obj.pk).update(version=new_version)
                obj.version = new_version

    return changed


def _locked(model, objects: Iterable) -> QuerySet:
    """Return the given objects again, locked, in a stable order (no deadlocks)."""
    if isinstance(objects, QuerySet):
        pks = list(objects.values_list("pk", flat=True))
    else:
        pks = [obj.pk for obj in objects]

    return model.objects.select_for_update().filter(pk__in=pks).order_by("pk")


@transaction.atomic
def mark_milestones_done(
    *, milestones: Iterable[Milestone], user, on: datetime.date | None = None
) -> int:
    """Mark milestones done (completed on `on`, default today); return how many."""
    on = on or timezone.localdate()
    allowed = editable_commitments(user).values("pk")
    changed = 0
    locked = _locked(Milestone, milestones).filter(commitment__in=allowed)
    for milestone in locked.exclude(status=Milestone.Status.DONE):
        with one_version(milestone, user=user):
            milestone.status = Milestone.Status.DONE
            milestone.completed_on = milestone.completed_on or on
            milestone.version += 1
            milestone.save()
        changed += 1
    logger.info("milestones marked done count=%s user=%s", changed, user.pk)

    return changed


@transaction.atomic
def set_commitments_status(*, commitments: Iterable[Commitment], user, status) -> int:
    """Set the declared status of commitments user may edit; return how many changed."""
    if status not in Status.values:
        raise ValidationError(_("Unknown status: %(status)s") % {"status": status})
    allowed = editable_commitments(user).values("pk")
    changed = 0
    locked = _locked(Commitment, commitments).filter(pk__in=allowed)
    for commitment in locked.exclude(status=status):
        with one_version(commitment, user=user):
            commitment.status = status
            commitment.version += 1
            commitment.save()
        changed += 1
    logger.info(
        "commitments status set count=%s status=%s user=%s", changed, status, user.pk
    )

    return changed


@transaction.atomic
def set_plans_published(*, plans: Iterable[ActionPlan], user, published: bool) -> int:
    """Publish or unpublish plans (coordinators only); return how many changed."""
    if not is_coordinator(user):
        raise PermissionDenied
    changed = 0
    for plan in _locked(ActionPlan, plans).exclude(is_published=published):
        with one_version(plan, user=user):
            plan.is_published = published
            plan.version += 1
            plan.save()
        changed += 1
    logger.info(
        "plans publication set count=%s published=%s user=%s",
        changed,
        published,
        user.pk,
    )

    return changed


# Progress ---------------------------------------------------------------------


@transaction.atomic
def record_progress(
    *,
    commitment: Commitment,
    user,
    author_institution: Institution,
    period_start: datetime.date,
    period_end: datetime.date,
    status: str,
    percentage: Decimal,
    achievements: str = "",
    challenges: str = "",
    help_wanted: bool = False,
    evidence: Iterable[tuple[str, str]] = (),
) -> ProgressUpdate:
    """Record a new progress update on commitment, with its evidence links.

    Updates are append-only: a correction is a new update, never an edit.
    """
    if not may_edit_commitment(user, commitment):
        raise PermissionDenied
    allowed = reporting_institutions(user=user, commitment=commitment)
    if not allowed.filter(pk=author_institution.pk).exists():
        raise ValidationError(
            {
                "author_institution": _(
                    "Choose one of your institutions that leads this commitment."
                )
            }
        )

    update = ProgressUpdate(
        commitment=commitment,
        recorded_at=timezone.now(),
        period_start=period_start,
        period_end=period_end,
        status=status,
        percentage=percentage,
        achievements=achievements,
        challenges=challenges,
        help_wanted=help_wanted,
        author_institution=author_institution,
        author=user,
    )
    update.full_clean()
    update.save()
    for title, url in evidence:
        link = EvidenceLink(update=update, title=title, url=url)
        link.full_clean()
        link.save()
    logger.info(
        "progress recorded commitment=%s update=%s status=%s user=%s",
        commitment.pk,
        update.pk,
        status,
        user.pk,
    )

    return update
