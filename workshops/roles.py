"""What coordinators and editors may do with workshops and documents.

The groups are created by ``commitments.roles``; this adds the workshops'
permissions to them after each migrate. Editors get the same model
permissions as coordinators, and the admin narrows them to the workshops
their own institutions organise and the documents they produced.
"""

from django.contrib.auth.models import Group, Permission

from commitments import roles

MODELS = ("workshop", "document")
ACTIONS = ("add", "change", "delete", "view")
GRANTED_TO = [roles.COORDINATORS, roles.EDITORS]


def grant_workshop_permissions(**kwargs) -> None:
    """Give coordinators and editors the permissions on workshops and documents."""
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="workshops", codename__in=codenames
        )
    )
    for name in GRANTED_TO:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def can_manage(user, workshop) -> bool:
    """Tell whether user may change workshop in the back-office."""
    if roles.is_coordinator(user):
        return True
    if not roles.is_editor(user):
        return False
    organiser_ids = {institution.pk for institution in workshop.organisers.all()}

    return bool(organiser_ids & roles.own_institution_ids(user))


def can_manage_document(user, document) -> bool:
    if roles.is_coordinator(user):
        return True
    if not roles.is_editor(user):
        return False
    if document.producer_id in roles.own_institution_ids(user):
        return True

    return document.workshop is not None and can_manage(user, document.workshop)
