"""What the moderators' and coordinators' groups may do with the community.

The groups themselves are created by ``commitments.roles``; this adds the
community's own permissions to them after each migrate, so a moderator can
work the moderation queue in the admin without further setup.
"""

from django.contrib.auth.models import Group, Permission

from commitments import roles

MODERATION_PERMISSIONS = [
    "view_comment",
    "change_comment",
    "moderate_comment",
    "view_commentrevision",
    "view_flag",
    "change_flag",
]
GRANTED_TO = [roles.MODERATORS, roles.COORDINATORS]


def grant_moderation_permissions(**kwargs) -> None:
    """Give the moderation permissions to moderators and coordinators."""
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="community",
            codename__in=MODERATION_PERMISSIONS,
        )
    )
    for name in GRANTED_TO:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
