from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commitments"
    verbose_name = _("Action plans and commitments")

    def ready(self):
        from django.db.models.signals import post_migrate

        from commitments import roles

        post_migrate.connect(roles.ensure_role_groups, sender=self)
