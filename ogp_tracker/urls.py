"""Top-level addresses. Public pages live under a language prefix (/fr/, /en/)."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from markdownx.views import MarkdownifyView

from commitments.sitemaps import SITEMAPS
from community.views import email_confirm
from ogp_tracker import health, views
from ogp_tracker.http import read_only

# The admin's own login page would bypass the rate limits and e-mail checks of
# the public one, so it sends to the accounts login page instead.
admin.site.login = secure_admin_login(admin.site.login)
# Rate-limited account pages (allauth) answer with the community's 429 page.
handler429 = "community.views.too_many_requests"

urlpatterns = [
    path("", views.root, name="root"),
    path("sitemap.xml", read_only(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The Markdown preview of the back-office, for staff only. Images are not
    # part of the sanitised Markdown, so the editor's upload address refuses.
    path(
        "markdownx/markdownify/",
        staff_member_required(MarkdownifyView.as_view()),
        name="markdownx_markdownify",
    ),
    path(
        "markdownx/upload/",
        staff_member_required(views.markdown_upload_refused),
        name="markdownx_upload",
    ),
]

urlpatterns += i18n_patterns(
    # Open-data files, schemas, feeds and badges; first, because their
    # addresses extend the public pages' (…/commitments/export.csv).
    path("", include("commitments.opendata_urls")),
    path("", include("commitments.urls")),
    path("", include("ogp_tracker.site_urls")),
    # Accounts live under the language prefix like every public page, so the
    # sign-up and login forms and their e-mails speak the visitor's language;
    # /accounts/... without a prefix redirects to it.
    # The confirmation link of e-mails comes first: the community's version of
    # allauth's page answers a bad link with a 404 and a way to get a new one.
    re_path(r"^accounts/confirm-email/(?P<key>[-:\w]+)/$", email_confirm),
    path("accounts/", include("allauth.urls")),
    path("", include("community.urls")),
    path("workshops/", include("workshops.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
