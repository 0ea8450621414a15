"""Health checks for load balancers, orchestrators and the compose file.

/healthz says the process is alive and touches nothing else, so a slow database
never gets a healthy server restarted. /readyz says the server can do useful
work: the database answers, the shared cache answers, and media storage is
reachable. Neither looks up DNS names or talks to the mail server: a mail
outage must not take the whole site out of the load balancer.
"""

import logging
import os
import uuid

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_deny

from ogp_tracker.http import read_only

logger = logging.getLogger(__name__)


@never_cache
@xframe_options_deny
@read_only
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer while the process can serve requests; touches no database."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@xframe_options_deny
@read_only
def readyz(request: HttpRequest) -> HttpResponse:
    """Answer 200 when the database, the cache and media storage all work, else 503."""
    checks = {
        "database": _check_database,
        "cache": _check_cache,
        "storage": _check_storage,
    }
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception:
            # The body stays terse (no host names or credentials from the
            # error); the log line has the details for the operator.
            logger.exception("readiness check failed check=%s", name)
            results[name] = "error"
        else:
            results[name] = "ok"

    ready = all(value == "ok" for value in results.values())

    return JsonResponse(results, status=200 if ready else 503)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    # A unique key per probe, so servers sharing one cache cannot answer for
    # each other.
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise RuntimeError("the cache did not return the value just written")


def _check_storage() -> None:
    if isinstance(default_storage, FileSystemStorage):
        # Uploads create their folders, so only the root has to exist.
        location = default_storage.location
        os.makedirs(location, exist_ok=True)
        if not os.access(location, os.W_OK):
            raise PermissionError("media folder is not writable")
        return

    # Object storage: one cheap metadata request proves the endpoint, the
    # bucket and the credentials without writing anything.
    default_storage.exists("readyz-probe")


class HealthCheckMiddleware:
    """Serve /healthz and /readyz before host validation and sessions.

    Load balancers and container health checks call the server by its address
    (Host: 10.0.0.5:8000), which ALLOWED_HOSTS rightly refuses for every other
    page. Placed right after the security middleware, the answers still carry
    the security headers.
    """

    routes = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.routes.get(request.path_info)
        if view is not None:
            return view(request)

        return self.get_response(request)
