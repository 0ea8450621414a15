"""Public pages of plans and commitments."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "commitments/dashboard.html", {})
