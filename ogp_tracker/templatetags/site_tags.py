"""Template tags of the site's furniture: language switch and footer."""

import html
from urllib.parse import urlsplit, urlunsplit

from django import template
from django.core.cache import cache
from django.http import QueryDict
from django.urls import translate_url
from django.utils.html import strip_tags

from ogp_tracker import markdown
from ogp_tracker.models import LegalPage

register = template.Library()


@register.simple_tag(takes_context=True)
def same_page_in(context, language: str) -> str:
    """Return the address of the current page in another language, query kept.

    A page to come back to ("next", as the login page has) is sent to that
    language too, so that switching language before logging in lasts.
    """
    request = context.get("request")
    if request is None:
        return f"/{language}/"

    address = translate_url(request.get_full_path(), language)
    parts = urlsplit(address)
    query = QueryDict(parts.query, mutable=True)
    then = query.get("next", "")
    if then.startswith("/") and not then.startswith("//"):
        query["next"] = translate_url(then, language)
        address = urlunsplit(parts._replace(query=query.urlencode(safe="/")))

    return address


@register.simple_tag
def accessibility_compliance() -> str:
    """Return the declared accessibility level, "not compliant" until changed.

    Every page's footer shows it, so it is kept in the shared cache and
    forgotten whenever a legal page is saved (see LegalPage.save).
    """
    value = cache.get(LegalPage.COMPLIANCE_CACHE_KEY)
    if value is None:
        value = (
            LegalPage.objects.filter(kind=LegalPage.Kind.ACCESSIBILITY)
            .values_list("compliance", flat=True)
            .first()
        ) or LegalPage.Compliance.NOT
        cache.set(LegalPage.COMPLIANCE_CACHE_KEY, value, timeout=None)

    return LegalPage.Compliance(value).label


@register.filter
def markdown_as_text(text: str) -> str:
    """Return Markdown as the words a reader sees, for plain-text e-mails.

    The text is rendered and sanitised as on the site, then stripped of its
    tags, so that "**done**" reads "done" and a link keeps its words.
    """
    rendered = markdown.render(text or "", subset="comment")
    return html.unescape(strip_tags(rendered)).strip()
