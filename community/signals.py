"""Reactions to changes made by the other apps."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from commitments.models import ProgressUpdate


@receiver(post_save, sender=ProgressUpdate, dispatch_uid="community_update_news")
def progress_update_recorded(sender, instance, created, raw=False, **kwargs):
    """Tell followers of a new progress update once it is safely committed."""
    if not created or raw:
        return
    from community import tasks

    # After commit, so the worker finds the row and a rolled-back save tells
    # nobody; the e-mails themselves leave from the task, not the request.
    transaction.on_commit(partial(tasks.notify_progress_update.enqueue, instance.pk))
