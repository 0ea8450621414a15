"""Addresses of the pages the community features point to."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language


def commitment_url(commitment) -> str:
    """Return the public page of a commitment, in the active language."""
    if hasattr(commitment, "get_absolute_url"):
        return commitment.get_absolute_url()
    kwargs = {"plan": commitment.plan.slug, "ref": commitment.reference}
    try:
        return reverse("commitments:commitment_detail", kwargs=kwargs)
    except NoReverseMatch:
        # The public pages promise /<lang>/plans/<plan>/commitments/<ref>/; use
        # it as written until the page's URL name can be reversed.
        language = get_language() or settings.LANGUAGE_CODE
        return f"/{language}/plans/{kwargs['plan']}/commitments/{kwargs['ref']}/"


def comments_url(commitment, *, page: int = 1, sort: str = "", anchor="") -> str:
    """Return the commitment page opened at one page of its comments."""
    params = {}
    if page > 1:
        params["comments_page"] = page
    if sort:
        params["comments_sort"] = sort
    query = f"?{urlencode(params)}" if params else ""

    return f"{commitment_url(commitment)}{query}#{anchor or 'comments'}"


def absolute(path: str) -> str:
    """Return path as a full address on the public site, for e-mails."""
    return settings.OGP_SITE_URL.rstrip("/") + path
