"""Addresses of the site-wide pages, under the language prefix."""

from django.urls import path

from ogp_tracker import views
from ogp_tracker.models import LegalPage

app_name = "site"

Kind = LegalPage.Kind
urlpatterns = [
    path("site-map/", views.site_map, name="site_map"),
    path(
        "accessibility/",
        views.legal_page,
        {"kind": Kind.ACCESSIBILITY},
        name="accessibility",
    ),
    path(
        "legal-notice/",
        views.legal_page,
        {"kind": Kind.LEGAL_NOTICE},
        name="legal_notice",
    ),
    path(
        "personal-data/",
        views.legal_page,
        {"kind": Kind.PERSONAL_DATA},
        name="personal_data",
    ),
    path("cookies/", views.legal_page, {"kind": Kind.COOKIES}, name="cookies"),
]
