"""A shared cache of whole public pages for visitors who are not signed in.

Anonymous visitors all see the same page for an address, so the first one to
ask has it rendered and stored; the next ones get the stored copy without the
session, the database or the templates. A public view opts in through
commitments.views.public_page, which marks its anonymous responses.

A stored page never outlives a change: every save or deletion of any row bumps
a generation number kept in the same cache (so it holds across servers), and a
page is only served in the generation it was rendered in. The key also
holds the day, since lateness and staleness follow the calendar, and what the
page looks like on this deployment (branding, static file names). Pages that
depend only on the clock within a day, such as "upcoming workshops", may lag
by OGP_PAGE_CACHE_SECONDS at most.
"""

import hashlib
import time
from functools import cache as once

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response

GENERATION_KEY = "page-cache:generation"
MARK = "cacheable_for_everyone"


def mark_cacheable(response: HttpResponse) -> None:
    """Let the page cache store this anonymous response."""
    setattr(response, MARK, True)


# Rows no public page shows: sessions, e-mail addresses, queued tasks, the
# back-office log. Saving them leaves the stored pages alone.
UNSEEN_APPS = {"sessions", "account", "django_tasks_database", "admin", "contenttypes"}


def bump_generation(sender, **kwargs) -> None:
    """Retire every stored page: something the pages show may have changed."""
    if sender._meta.app_label in UNSEEN_APPS:
        return
    # Signing in records the time on the user: no page shows it.
    if set(kwargs.get("update_fields") or ()) == {"last_login"}:
        return
    retire_pages()
    # A page rendered while the change was not yet committed would show the
    # old data under the new generation; retiring again at commit prevents
    # that. Once per transaction is enough.
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        callback is retire_pages for _ids, callback, _robust in connection.run_on_commit
    ):
        transaction.on_commit(retire_pages)


def retire_pages() -> None:
    """Move to a new generation: pages stored until now are never served again."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        # The number was lost (cache restarted or evicted): start from the
        # clock, so no page stored under an earlier number can match again.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


@once
def _static_files() -> str:
    """Return a fingerprint of the static files' names, fixed for the process."""
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if not manifest or not staticfiles_storage.exists(manifest):
        return ""
    with staticfiles_storage.open(manifest) as stored:
        return hashlib.sha256(stored.read()).hexdigest()[:16]


def _deployment() -> str:
    """Return what makes this deployment's pages differ from another's."""
    branding = "official" if settings.OGP_OFFICIAL_BRANDING else "neutral"
    return f"{branding}-{_static_files()}"


def _may_use(request: HttpRequest) -> bool:
    if request.method != "GET" or settings.OGP_PAGE_CACHE_SECONDS <= 0:
        return False
    # Public pages live under a language prefix; anything else never asks.
    prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    if not request.path.startswith(prefixes):
        return False
    # The security middleware, further in, sends plain-HTTP visitors to HTTPS.
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return False
    # Only visitors who have never signed in: no session, no messages. The
    # CSRF and language cookies do not change a public page (the language is
    # in its address).
    harmless = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return set(request.COOKIES) <= harmless


def _key(request: HttpRequest) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    day = timezone.localdate().isoformat()

    return f"page-cache:{day}:{_deployment()}:{digest}"


class AnonymousPageCacheMiddleware:
    """Serve and store the public pages of visitors who are not signed in.

    It comes first in MIDDLEWARE: a stored page is the response as it left the
    whole stack, security and CSP headers included, and is sent back as is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _may_use(request):
            return self.get_response(request)
        key = _key(request)
        # One round trip: the current generation and the stored page, which
        # only counts if it was rendered in that generation.
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY, 0)
        stored = found.get(key)
        if stored is not None and stored["generation"] == generation:
            return _replay(request, stored)

        response = self.get_response(request)
        if _storable(request, response):
            cache.set(
                key, _record(response, generation), settings.OGP_PAGE_CACHE_SECONDS
            )
        return response


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    # A page whose CSP nonce was used must never be sent twice.
    nonce_used = isinstance(getattr(request, "_csp_nonce", None), str)
    return (
        getattr(response, MARK, False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not nonce_used
    )


def _record(response: HttpResponse, generation: int) -> dict:
    return {
        "generation": generation,
        "content": response.content,
        "headers": dict(response.headers),
    }


def _replay(request: HttpRequest, stored: dict) -> HttpResponse:
    headers = stored["headers"]
    response = HttpResponse(stored["content"], headers=headers)
    response["Content-Length"] = str(len(stored["content"]))
    etag = headers.get("ETag")
    if etag:
        response = get_conditional_response(request, etag=etag, response=response)

    return response
