from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ogp_tracker"
    verbose_name = _("Site pages")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from ogp_tracker import pagecache

        signals = {"save": post_save, "delete": post_delete, "m2m": m2m_changed}
        for name, signal in signals.items():
            signal.connect(pagecache.bump_generation, dispatch_uid=f"page-cache-{name}")
