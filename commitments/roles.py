"""The back-office roles and what each may touch.

Roles are Django groups so that a coordinator can grant them in the admin:
coordinators see and edit everything; editors see and edit only the
commitments their own institutions lead; moderators look after comments.
"""

import logging

from django.contrib.auth.models import Group, Permission

logger = logging.getLogger(__name__)

COORDINATORS = "coordinators"
EDITORS = "editors"
MODERATORS = "moderators"

# Model permissions per role, as "<app_label>.<codename>". Row-level limits for
# editors (their own institutions only) are applied on top by the admin.
ROLE_PERMISSIONS = {
    COORDINATORS: [
        f"commitments.{action}_{model}"
        for model in (
            "actionplan",
            "commitment",
            "milestone",
            "institution",
            "policyarea",
            "irmassessment",
            "evidencelink",
        )
        for action in ("add", "change", "delete", "view")
    ]
    + [
        "commitments.add_progressupdate",
        "commitments.view_progressupdate",
        "community.view_user",
        "community.change_user",
    ],
    EDITORS: [
        "commitments.view_actionplan",
        "commitments.view_institution",
        "commitments.view_commitment",
        "commitments.change_commitment",
        "commitments.view_milestone",
        "commitments.add_milestone",
        "commitments.change_milestone",
        "commitments.add_progressupdate",
        "commitments.view_progressupdate",
        "commitments.add_evidencelink",
        "commitments.view_evidencelink",
        "commitments.view_irmassessment",
    ],
    MODERATORS: [],
}


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups and give them their permissions (after migrate)."""
    for name, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.add(*wanted)


def has_role(user, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return any(group.name == role for group in user.groups.all())


def is_coordinator(user) -> bool:
    """Tell whether user may see and edit every plan and commitment."""
    return user.is_active and (user.is_superuser or has_role(user, COORDINATORS))


def is_editor(user) -> bool:
    return user.is_active and user.is_staff and has_role(user, EDITORS)


def own_institution_ids(user) -> set[int]:
    """Return the ids of the institutions whose commitments user may edit."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_own_institution_ids", None)
    if cached is None:
        cached = set(user.institutions.values_list("pk", flat=True))
        user._own_institution_ids = cached

    return cached
