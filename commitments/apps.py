from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commitments"
    verbose_name = _("Action plans and commitments")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from commitments import roles, signals

        post_migrate.connect(roles.ensure_role_groups, sender=self)
        for model in ("commitments.Milestone", "commitments.ProgressUpdate"):
            post_save.connect(signals.milestone_or_update_saved, sender=model)
            post_delete.connect(signals.milestone_or_update_deleted, sender=model)
