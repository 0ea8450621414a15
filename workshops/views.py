"""Public pages of workshops, their calendar files, downloads and submissions."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commitments.models import Commitment, Milestone
from commitments.views import public_page
from ogp_tracker.http import read_only
from workshops import calendar, roles, services
from workshops.filters import WorkshopFilter
from workshops.forms import SubmissionForm, SubmittedDocumentFormSet
from workshops.models import Document, Workshop, is_reviewer

logger = logging.getLogger(__name__)

UPCOMING_LIMIT = 20
PAST_PAGE_SIZE = 20
CALENDAR_LIMIT = 500
LIST_RELATIONS = (
    "organisers",
    Prefetch("commitments", queryset=Commitment.objects.order_by("number", "pk")),
)


def _page_number(request: HttpRequest) -> int | None:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        return None
    return int(raw)


def _filtered(request: HttpRequest) -> WorkshopFilter:
    data = request.GET.copy()
    data.pop("page", None)
    return WorkshopFilter(data or None, queryset=Workshop.objects.published())


def _list_page(workshops, page: int) -> dict:
    """Return the upcoming workshops and one page of past ones, with their relations."""
    now = timezone.now()
    upcoming = list(
        workshops.upcoming(now).order_by("starts_at", "pk")[: UPCOMING_LIMIT + 1]
    )
    offset = (page - 1) * PAST_PAGE_SIZE
    # One row more than a page tells whether a next page exists, without a COUNT.
    past = list(
        workshops.past(now).order_by("-starts_at", "-pk")[
            offset : offset + PAST_PAGE_SIZE + 1
        ]
    )
    shown_upcoming, shown_past = upcoming[:UPCOMING_LIMIT], past[:PAST_PAGE_SIZE]
    # One prefetch for both lists rather than one per list.
    prefetch_related_objects(shown_upcoming + shown_past, *LIST_RELATIONS)

    return {
        "upcoming": shown_upcoming,
        "more_upcoming": len(upcoming) > UPCOMING_LIMIT,
        "past": shown_past,
        "next_page": page + 1 if len(past) > PAST_PAGE_SIZE else None,
        "previous_page": page - 1 if page > 1 else None,
    }


@read_only
@public_page
def workshop_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = _page_number(request)
    context = {"filter": filterset, "page": page, "upcoming": [], "past": []}
    if page is None or (filterset.is_bound and not filterset.is_valid()):
        context["page_error"] = page is None
        return render(request, "workshops/workshop_list.html", context, status=400)

    context.update(_list_page(filterset.qs, page))
    context["query"] = filterset.data.urlencode() if filterset.is_bound else ""
    return render(request, "workshops/workshop_list.html", context)


def _detail_queryset(request: HttpRequest, *, private_documents: bool):
    # Signed-in visitors get unpublished documents too; the view then keeps
    # them only for those allowed to see them (submitter, staff).
    documents = Document.objects.select_related("producer").order_by(
        "-date", "title", "pk"
    )
    if not private_documents:
        documents = documents.filter(is_published=True)

    return Workshop.objects.visible_to(request.user).prefetch_related(
        "organisers",
        Prefetch(
            "commitments",
            queryset=Commitment.objects.select_related("plan").order_by("number", "pk"),
        ),
        Prefetch(
            "milestones", queryset=Milestone.objects.select_related("commitment__plan")
        ),
        Prefetch("documents", queryset=documents),
    )


def _sees_private_parts(user, workshop: Workshop) -> bool:
    """Tell whether user may see a workshop's unpublished documents."""
    if not user.is_authenticated:
        return False
    if workshop.submitted_by_id == user.pk or is_reviewer(user):
        return True
    return roles.can_manage(user, workshop)


@read_only
@public_page
def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signed_in = request.user.is_authenticated
    queryset = _detail_queryset(request, private_documents=signed_in)
    workshop = get_object_or_404(queryset, pk=pk)

    private = _sees_private_parts(request.user, workshop)
    documents = [d for d in workshop.documents.all() if d.is_published or private]
    context = {"workshop": workshop, "documents": documents, "private": private}
    return render(request, "workshops/workshop_detail.html", context)


def _ics_response(request: HttpRequest, workshops, *, name: str, filename: str):
    host = request.get_host().split(":")[0]
    body = calendar.build(
        workshops,
        name=name,
        link_for=lambda workshop: request.build_absolute_uri(
            workshop.get_absolute_url()
        ),
        host=host,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@read_only
def calendar_feed(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        fields = filterset.form.fields
        errors = "; ".join(
            _("%(field)s: %(errors)s")
            % {
                "field": fields[name].label if name in fields else name,
                "errors": " ".join(texts),
            }
            for name, texts in filterset.errors.items()
        )
        return HttpResponse(
            _("Invalid filter. %(errors)s") % {"errors": errors},
            status=400,
            content_type="text/plain; charset=utf-8",
        )

    workshops = filterset.qs.order_by("-starts_at", "-pk")[:CALENDAR_LIMIT]
    return _ics_response(
        request,
        workshops,
        name=_("Open government workshops"),
        filename="workshops.ics",
    )


@read_only
def workshop_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_object_or_404(Workshop.objects.published(), pk=pk)
    return _ics_response(
        request, [workshop], name=workshop.title, filename=f"workshop-{workshop.pk}.ics"
    )


@read_only
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.visible_to(request.user)
        .exclude(file="")
        .select_related("workshop"),
        pk=pk,
    )
    fmt = document.format
    if fmt is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        logger.warning("document file missing document=%s", document.pk)
        raise Http404 from None

    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=fmt.content_type,
    )
    # The file came from outside: the browser must neither guess its type nor
    # run anything in it, even if it is opened in place of the download.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not document.is_published or (
        document.workshop_id and not document.workshop.is_published
    ):
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def submission_create(request: HttpRequest) -> HttpResponse:
    organisations = services.civil_society_organisations(request.user)
    if not organisations.exists():
        return render(request, "workshops/submission_forbidden.html", status=403)

    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = SubmissionForm(data, organisations=organisations)
    documents = SubmittedDocumentFormSet(data, files, prefix="documents")
    if request.method == "POST" and form.is_valid() and documents.is_valid():
        try:
            services.submit_workshop(
                submitter=request.user,
                organisation=form.cleaned_data["organisation"],
                workshop=form.save(commit=False),
                commitments=form.cleaned_data["commitments"],
                documents=documents.save(commit=False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you. Your report will be published after review.")
            )
            return redirect("workshops:submission_list")

    status = 400 if request.method == "POST" else 200
    context = {"form": form, "documents": documents}
    return render(request, "workshops/submission_form.html", context, status=status)


@login_required
@read_only
def submission_list(request: HttpRequest) -> HttpResponse:
    submissions = (
        Workshop.objects.filter(submitted_by=request.user)
        .prefetch_related("organisers")
        .order_by("-submitted_at", "-pk")
    )
    context = {
        "submissions": submissions,
        "can_submit": services.civil_society_organisations(request.user).exists(),
    }
    return render(request, "workshops/submission_list.html", context)
