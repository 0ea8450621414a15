"""Template tags of the site's furniture: language switch and footer."""

from django import template
from django.urls import translate_url

from ogp_tracker.models import LegalPage

register = template.Library()


@register.simple_tag(takes_context=True)
def same_page_in(context, language: str) -> str:
    """Return the address of the current page in another language, query kept."""
    request = context.get("request")
    if request is None:
        return f"/{language}/"

    return translate_url(request.get_full_path(), language)


@register.simple_tag
def accessibility_compliance() -> str:
    """Return the declared accessibility level, "not compliant" until changed."""
    value = (
        LegalPage.objects.filter(kind=LegalPage.Kind.ACCESSIBILITY)
        .values_list("compliance", flat=True)
        .first()
    )
    return LegalPage.Compliance(value or LegalPage.Compliance.NOT).label
