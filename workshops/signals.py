"""Keep the media storage in step with the documents table."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def delete_stored_file(sender, instance, **kwargs) -> None:
    """Remove a deleted document's file once the deletion is committed."""
    if not instance.file:
        return
    storage, name = instance.file.storage, instance.file.name

    def delete() -> None:
        storage.delete(name)
        logger.info("document file deleted document=%s", instance.pk)

    transaction.on_commit(delete)
