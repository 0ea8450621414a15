from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        from django.db.models.signals import post_migrate

        from community import roles, signals  # noqa: F401 - connects receivers

        post_migrate.connect(roles.grant_moderation_permissions, sender=self)
