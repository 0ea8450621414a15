"""One history row per real change, whatever the number of saves behind it.

django-simple-history writes a row on every save() and another on every change
of a many-to-many relation, so an admin form that saves a commitment and then
its lead institutions would leave three rows, some with nothing changed. Code
that changes versioned objects wraps the work in ``one_version(obj)``: the
saves inside record nothing, and one row is written at the end if, and only
if, a tracked field or relation differs from the latest row.
"""

import logging
from contextlib import contextmanager

from simple_history.models import HistoricalRecords

logger = logging.getLogger(__name__)


class VersionedRecords(HistoricalRecords):
    """HistoricalRecords that leaves itself on the model, for ``one_version``."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if self.cls is sender:
            sender._history_recorder = self


def _relation_ids(obj, history_row=None) -> dict[str, set]:
    """Return the ids on each versioned relation, live or as a history row saw them."""
    ids = {}
    for field in type(obj)._history_recorder.get_m2m_fields_from_model(type(obj)):
        if history_row is None:
            ids[field.name] = set(getattr(obj, field.name).values_list("pk", flat=True))
        else:
            column = field.m2m_reverse_name()
            rows = getattr(history_row, field.name).values_list(column, flat=True)
            ids[field.name] = set(rows)

    return ids


def has_changed(obj) -> bool:
    """Tell whether obj differs from its latest history row (or has none)."""
    latest = obj.history.order_by("-history_date", "-history_id").first()
    if latest is None:
        return True
    for field in latest.tracked_fields:
        if getattr(latest, field.attname) != getattr(obj, field.attname):
            return True

    return _relation_ids(obj) != _relation_ids(obj, latest)


def record_version(obj, *, user=None, reason: str = "") -> bool:
    """Write one history row for obj if it changed since the last; say if it did."""
    if not has_changed(obj):
        return False
    if user is not None:
        obj._history_user = user
    if reason:
        obj._change_reason = reason
    created = not obj.history.exists()
    type(obj)._history_recorder.create_historical_record(obj, "+" if created else "~")
    for attribute in ("_history_user", "_change_reason"):
        obj.__dict__.pop(attribute, None)

    return True


@contextmanager
def one_version(obj, *, user=None, reason: str = ""):
    """Let the block save obj and its relations, then record at most one row."""
    obj.skip_history_when_saving = True
    try:
        yield obj
    finally:
        del obj.skip_history_when_saving
    record_version(obj, user=user, reason=reason)
