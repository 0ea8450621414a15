from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ogp_tracker"
    verbose_name = _("Site pages")
