"""Public pages of plans, commitments and institutions.

Every page here is read-only, sets no cookie for an anonymous visitor and
costs a fixed number of queries whatever the amount of data (see the tests).
Pages that accept ``?as_of=YYYY-MM-DD`` show the plan at the end of that day,
read from the history (commitments/asof.py).
"""

import logging
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext as _

from commitments import asof, changelog, exports, figures, filters, paging
from commitments import search as search_module
from commitments.models import (
    ActionPlan,
    Commitment,
    EvidenceLink,
    Institution,
    PolicyArea,
    ProgressUpdate,
)
from ogp_tracker import pagecache
from ogp_tracker.http import read_only

logger = logging.getLogger(__name__)

LIST_PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 20
MAX_REF_LENGTH = 20
MAX_NUMBER_DIGITS = 9

conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def public_page(view):
    """Mark a page cacheable by browsers and proxies, always revalidated.

    Anonymous pages are the same for everyone, so shared caches may keep
    them; "no-cache" makes them check back each time (a cheap 304 when the
    page did not change), so a change shows on the very next view.
    Signed-in visitors may see their name in the header: private pages.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, no_cache=True)
            pagecache.mark_cacheable(response)
        return response

    return conditional_get(wrapper)


def current_plan(day=None) -> ActionPlan | None:
    """Return the plan of the home page: the configured one, else the latest."""
    configured_first = Case(
        When(slug=settings.OGP_CURRENT_PLAN, then=Value(0)), default=Value(1)
    )

    return _plans(day).order_by(configured_first, "-start", "-pk").first()


def _plan_or_404(slug: str, day=None) -> ActionPlan:
    return get_object_or_404(_plans(day), slug=slug)


def _plans(day=None):
    """Published plans; with a day, each says whether it existed by its end."""
    plans = ActionPlan.objects.filter(is_published=True)
    if day:
        plans = plans.annotate(existed=asof.plan_existed(asof.end_of(day)))
    return plans


def _commitment_or_404(plan_slug: str, ref: str) -> Commitment:
    """Find a commitment by its number in the plan, or by its OGP identifier."""
    if len(ref) > MAX_REF_LENGTH or (ref.isdigit() and len(ref) > MAX_NUMBER_DIGITS):
        raise Http404
    commitments = (
        Commitment.objects.filter(plan__slug=plan_slug, plan__is_published=True)
        .select_related("plan", "irm")
        .with_facts()
        # The policy areas come with the commitment, as [slug, fr, en] triples,
        # rather than from one more query.
        .annotate(
            area_triples=exports.related_triples(
                Commitment.policy_areas.through, "commitment", "pk", "policyarea"
            )
        )
    )
    if ref.isdigit():
        found = commitments.filter(number=int(ref))
    else:
        found = commitments.filter(ogp_id__iexact=ref)

    return get_object_or_404(found)


@read_only
@public_page
def dashboard(request: HttpRequest) -> HttpResponse:
    day, ignored = asof.read_as_of(request.GET)
    plan = current_plan(day)
    if plan is None:
        return render(request, "commitments/no_plan.html")

    return _dashboard(request, plan, day, ignored, is_home=True)


@read_only
@public_page
def plan_dashboard(request: HttpRequest, plan: str) -> HttpResponse:
    day, ignored = asof.read_as_of(request.GET)
    plan = _plan_or_404(plan, day)

    return _dashboard(request, plan, day, ignored, is_home=False)


def _dashboard(request, plan: ActionPlan, day, ignored: list, *, is_home: bool):
    context = {"plan": plan, "as_of": day, "ignored": ignored, "is_home": is_home}
    if day and not plan.existed:
        return render(request, "commitments/dashboard.html", context)

    context["figures"] = figures.plan_figures(plan, day)
    return render(request, "commitments/dashboard.html", context)


@read_only
@public_page
def plan_list(request: HttpRequest) -> HttpResponse:
    # An aggregate drops the model's default ordering, so it is restated here.
    plans = (
        ActionPlan.objects.filter(is_published=True)
        .annotate(commitment_count=Count("commitments"))
        .order_by("-start", "slug")
    )

    return render(request, "commitments/plan_list.html", {"plans": plans})


@read_only
@public_page
def commitment_list(request: HttpRequest, plan: str) -> HttpResponse:
    plan = _plan_or_404(plan)
    filterset = filters.CommitmentFilter(request.GET, plan=plan)
    page, page_note = paging.paginate(
        filterset.qs, request.GET.get("page"), LIST_PAGE_SIZE
    )

    ignored = [
        _("%(field)s: %(errors)s") % {"field": label, "errors": message}
        for label, message in filterset.ignored
    ]
    # Every link of the page is built from request.GET (see params_in_effect).
    request.GET = filterset.params_in_effect(request.GET)
    if page_note:
        request.GET.pop("page", None)
    context = {
        "plan": plan,
        "filterset": filterset,
        "form": filterset.form,
        "selects": [
            filterset.form[name]
            for name in ("institution", "status", "area", "value", "sort")
        ],
        "page": page,
        "ignored": ignored + ([page_note] if page_note else []),
        "as_of": filterset.as_of,
        "institutions_by_id": filterset.institutions_by_id,
    }
    return render(request, "commitments/commitment_list.html", context)


@read_only
@public_page
def search(request: HttpRequest) -> HttpResponse:
    """Send the header's search box to the current plan's commitment list."""
    plan = current_plan()
    if plan is None:
        raise Http404
    target = reverse("commitments:commitment_list", kwargs={"plan": plan.slug})
    query = request.GET.get("q", "")[: search_module.MAX_LENGTH * 2]

    return redirect(f"{target}?{urlencode({'q': query})}" if query else target)


@read_only
@public_page
def commitment_detail(request: HttpRequest, plan: str, ref: str) -> HttpResponse:
    commitment = _commitment_or_404(plan, ref)
    if commitment.reference != ref:
        # One address per commitment: the OGP identifier of a numbered
        # commitment (or a lower-case one) leads to the canonical page.
        return _redirect_to(request, "commitments:commitment_detail", commitment)

    day, ignored = asof.read_as_of(request.GET)
    context = {
        "plan": commitment.plan,
        "commitment": commitment,
        "as_of": day,
        "ignored": ignored,
        "irm": getattr(commitment, "irm", None),
    }
    if day:
        context.update(_commitment_as_of(commitment, day))
    else:
        context.update(_commitment_today(commitment))

    return render(request, "commitments/commitment_detail.html", context)


def _commitment_today(commitment: Commitment) -> dict:
    leads = filters.LeadThrough.objects.filter(
        institution_id=OuterRef("pk"), commitment_id=commitment.pk
    )
    partners = Commitment.partners.through.objects.filter(
        institution_id=OuterRef("pk"), commitment_id=commitment.pk
    )
    updates = (
        ProgressUpdate.objects.filter(commitment=commitment)
        .select_related("author_institution")
        .prefetch_related(Prefetch("evidence", queryset=EvidenceLink.objects.all()))
    )

    return {
        "shown": commitment,
        **_split_institutions(leads, partners),
        "areas": _areas(commitment.area_triples),
        "milestones": list(commitment.milestones.all()),
        "updates": list(updates),
    }


def _areas(triples) -> list[PolicyArea]:
    """Return unsaved policy areas, for display, from [slug, fr, en] triples."""
    areas = [
        PolicyArea(slug=slug, name_fr=name_fr or "", name_en=name_en or "")
        for slug, name_fr, name_en in triples or []
    ]

    return sorted(areas, key=lambda area: area.name_en)


def _split_institutions(leads, partners) -> dict:
    """Fetch lead institutions and partners in one query, then tell them apart."""
    institutions = (
        Institution.objects.filter(Exists(leads) | Exists(partners))
        .annotate(is_lead=Exists(leads), is_partner=Exists(partners))
        .only("slug", "name_fr", "name_en", "acronym")
    )
    institutions = sorted(institutions, key=lambda i: i.name.lower())

    return {
        "leads": [i for i in institutions if i.is_lead],
        "partners": [i for i in institutions if i.is_partner],
    }


def _commitment_as_of(commitment: Commitment, day) -> dict:
    moment = asof.end_of(day)
    rows = asof.commitments(commitment.plan, day).filter(id=commitment.pk)
    shown = rows.first()
    if shown is None:
        return {"shown": None}

    leads = asof.HistoricalLead.objects.filter(
        institution_id=OuterRef("pk"), history_id=shown.history_id
    )
    partners = asof.HistoricalPartner.objects.filter(
        institution_id=OuterRef("pk"), history_id=shown.history_id
    )
    areas = asof.relation_rows(asof.HistoricalArea, [shown.history_id])
    areas = [row.policyarea for row in areas.select_related("policyarea")]
    updates = (
        ProgressUpdate.objects.filter(commitment=commitment, recorded_at__lt=moment)
        .select_related("author_institution")
        .prefetch_related("evidence")
    )
    milestones = asof.milestones(day, commitment_id=commitment.pk)

    return {
        "shown": shown,
        **_split_institutions(leads, partners),
        "areas": [area for area in areas if area is not None],
        "milestones": list(milestones),
        "updates": list(updates),
    }


@read_only
@public_page
def commitment_history(request: HttpRequest, plan: str, ref: str) -> HttpResponse:
    if len(ref) > MAX_REF_LENGTH or (ref.isdigit() and len(ref) > MAX_NUMBER_DIGITS):
        raise Http404
    commitments = Commitment.objects.filter(
        plan__slug=plan, plan__is_published=True
    ).select_related("plan")
    leads = filters.LeadThrough.objects.filter(commitment_id=OuterRef("pk"))
    commitments = commitments.annotate(
        lead_ids=filters.joined_ids(leads, "commitment_id", "institution_id")
    )
    if ref.isdigit():
        commitment = get_object_or_404(commitments, number=int(ref))
    else:
        commitment = get_object_or_404(commitments, ogp_id__iexact=ref)
    if commitment.reference != ref:
        return _redirect_to(request, "commitments:commitment_history", commitment)

    page, page_note = paging.paginate(
        changelog.versions(commitment), request.GET.get("page"), HISTORY_PAGE_SIZE
    )
    context = {
        "plan": commitment.plan,
        "commitment": commitment,
        "page": page,
        "entries": changelog.entries(commitment, page.objects),
        "ignored": [page_note] if page_note else [],
    }
    return render(request, "commitments/commitment_history.html", context)


def _redirect_to(request: HttpRequest, name: str, commitment: Commitment):
    url = reverse(
        name, kwargs={"plan": commitment.plan.slug, "ref": commitment.reference}
    )
    query = request.META.get("QUERY_STRING", "")

    return redirect(f"{url}?{query}" if query else url, permanent=True)


@read_only
@public_page
def institution_detail(request: HttpRequest, institution: str) -> HttpResponse:
    institution = get_object_or_404(Institution, slug=institution)
    # The lists show titles and facts: the long texts stay in the database.
    published = (
        Commitment.objects.filter(plan__is_published=True)
        .select_related("plan")
        .defer(*Commitment.DESCRIPTION_FIELDS)
    )
    led = list(
        published.filter(lead_institutions=institution)
        .with_facts()
        .order_by("-plan__start", "plan_id", "number", "ogp_id")
    )
    partnered = list(
        published.filter(partners=institution)
        .with_facts()
        .order_by("-plan__start", "plan_id", "number", "ogp_id")
    )

    context = {
        "institution": institution,
        "led": led,
        "partnered": partnered,
        "figures": _institution_figures(led),
    }
    return render(request, "commitments/institution_detail.html", context)


def _institution_figures(led: list[Commitment]) -> dict:
    total = len(led)
    completed = sum(1 for c in led if c.current_status == "completed")
    progress = sum(float(c.current_percentage or 0) for c in led)

    return {
        "total": total,
        "completed": completed,
        "late": sum(1 for c in led if c.is_late),
        "stale": sum(1 for c in led if c.is_stale),
        "average": progress / total if total else 0.0,
    }
