"""Site-wide pages whose text staff edit: the legal pages of a French public site."""

from django.core.cache import cache
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LegalPage(models.Model):
    """One of the pages linked from every footer (accessibility, legal notice…)."""

    class Kind(models.TextChoices):
        ACCESSIBILITY = "accessibility", _("accessibility statement")
        LEGAL_NOTICE = "legal-notice", _("legal notice")
        PERSONAL_DATA = "personal-data", _("personal data")
        COOKIES = "cookies", _("cookie management")
        SITE_MAP = "site-map", _("site map")

    class Compliance(models.TextChoices):
        # The French accessibility law (RGAA) lets a site claim only one of
        # these three levels, and "not compliant" until an audit is done.
        NOT = "not", _("not compliant")
        PARTIAL = "partial", _("partially compliant")
        FULL = "full", _("fully compliant")

    COMPLIANCE_CACHE_KEY = "site:accessibility-compliance"

    kind = models.CharField(_("page"), max_length=20, choices=Kind.choices, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_fr = models.TextField(_("text (French, Markdown)"), blank=True)
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    compliance = models.CharField(
        _("accessibility compliance"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.NOT,
        help_text=_(
            "Shown in every footer; used on the accessibility statement only. "
            "Keep “not compliant” until an accessibility audit says otherwise."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.COMPLIANCE_CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(self.COMPLIANCE_CACHE_KEY)
        return result

    @property
    def title(self) -> str:
        return self._translated("title")

    @property
    def body(self) -> str:
        return self._translated("body")

    def _translated(self, field: str) -> str:
        english = (get_language() or "fr").startswith("en")
        first, second = ("en", "fr") if english else ("fr", "en")
        return getattr(self, f"{field}_{first}") or getattr(self, f"{field}_{second}")
