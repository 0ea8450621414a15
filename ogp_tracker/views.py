"""Site-wide pages: the root redirect, the legal pages, the site map and the
page shown when a form is refused."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commitments.models import ActionPlan, Institution
from commitments.views import public_page
from ogp_tracker import accessibility, markdown
from ogp_tracker.http import read_only
from ogp_tracker.models import LegalPage


@read_only
def root(request: HttpRequest) -> HttpResponse:
    """Send / to the visitor's language (from the browser), French by default."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = redirect(reverse("commitments:dashboard"))
    patch_vary_headers(response, ["Accept-Language", "Cookie"])

    return response


@read_only
@public_page
def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    page = get_object_or_404(LegalPage, kind=kind)
    context = {"page": page}

    if kind == LegalPage.Kind.ACCESSIBILITY:
        # The compliance level and the automated checks are written by the
        # template, from the admin's level field and from the list the browser
        # tests use, so staff's text cannot contradict them. They go after the
        # opening paragraphs, where the RGAA model statement puts them.
        opening, sections = markdown.split_before_first_heading(page.body)
        context |= {
            "opening": opening,
            "sections": sections,
            "checks": accessibility.summary(),
        }

    return render(request, "ogp_tracker/legal_page.html", context)


@read_only
@public_page
def site_map(request: HttpRequest) -> HttpResponse:
    page = LegalPage.objects.filter(kind=LegalPage.Kind.SITE_MAP).first()
    plans = ActionPlan.objects.filter(is_published=True)
    institutions = Institution.objects.filter(
        led_commitments__plan__is_published=True
    ).distinct()

    context = {
        "page": page,
        "plans": plans,
        "institutions": sorted(institutions, key=lambda i: i.name.lower()),
    }
    return render(request, "ogp_tracker/site_map.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain a refused form in the visitor's language (the CSRF check failed).

    Django's own page is in English and for developers; this one tells the
    visitor that nothing was saved and how to send the text again.
    """
    return render(request, "403_csrf.html", status=403)


@require_POST
def markdown_upload_refused(request: HttpRequest) -> JsonResponse:
    """Refuse images dropped into the Markdown editor: pages would not show them."""
    message = _("Images cannot be added to these texts; link to a document instead.")

    return JsonResponse({"image_code": message}, status=400)
