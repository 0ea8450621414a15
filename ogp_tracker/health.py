"""Health checks for load balancers and orchestrators."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer while the process can serve requests; touches no database."""
    return HttpResponse("ok", content_type="text/plain")
