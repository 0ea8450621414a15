"""Keep each commitment's stored facts in step with its milestones and updates."""

from django.db.models import QuerySet

from commitments import facts
from commitments.models import Milestone, ProgressUpdate


def _commitments_of(instance) -> set[int]:
    ids = {instance.commitment_id, getattr(instance, "loaded_commitment_id", None)}
    ids.discard(None)
    return ids


def milestone_or_update_saved(sender, instance, raw=False, **kwargs) -> None:
    # Fixtures load rows as they are; their facts are stored once loaded
    # (the store_facts command).
    if not raw:
        facts.store_facts(_commitments_of(instance))
        instance.loaded_commitment_id = instance.commitment_id


def milestone_or_update_deleted(sender, instance, origin=None, **kwargs) -> None:
    # When a commitment is deleted, its milestones go with it and so do its
    # facts: there is nothing left to store.
    deleted = origin.model if isinstance(origin, QuerySet) else type(origin)
    if deleted in (Milestone, ProgressUpdate):
        facts.store_facts(_commitments_of(instance))
