from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate

        from workshops import roles, signals

        post_migrate.connect(roles.grant_workshop_permissions, sender=self)
        post_delete.connect(signals.delete_stored_file, sender="workshops.Document")
