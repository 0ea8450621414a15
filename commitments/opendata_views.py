"""Open-data views: exports of the lists on screen, their schemas, the open-data page.

Each export address is its list's address followed by the file name
(export.csv, export-excel.csv, export.json) and takes the list's query
string, so the file holds exactly the rows the list shows, before
pagination. Invalid filter values are ignored exactly as the page ignores
them, so the file still matches the screen.
"""

import logging
import re

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from commitments import asof, opendata
from commitments import exports as datasets
from commitments.filters import CommitmentFilter
from commitments.models import ActionPlan
from community import exports as community_exports
from ogp_tracker import exports
from ogp_tracker.http import read_only
from workshops import exports as workshop_exports
from workshops.filters import WorkshopFilter
from workshops.models import Workshop

logger = logging.getLogger(__name__)


def export_context(request: HttpRequest, as_of=None) -> dict:
    """Return what every row of one export shares."""
    site = request.build_absolute_uri("/")[:-1]
    return {
        "language": "en" if (get_language() or "fr").startswith("en") else "fr",
        "as_of": as_of,
        "today": as_of or timezone.localdate(),
        "commitment_url": site + opendata.commitment_path("{plan}", "{ref}"),
        "site": site,
    }


def file_stem(*parts) -> str:
    """Join parts into a file name safe in a Content-Disposition header."""
    stem = "-".join(str(part) for part in parts if part)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem)


def _commitment_list(request: HttpRequest, plan_slug: str):
    plan = opendata.published_plan(plan_slug)
    filterset = CommitmentFilter(request.GET, plan=plan)

    return plan, filterset


def _list_export(request, plan_slug: str, file_format: str, dataset, source):
    """Stream dataset for the commitments the plan's list shows."""
    plan, filterset = _commitment_list(request, plan_slug)
    context = export_context(request, filterset.as_of)
    rows = dataset.rows(source(filterset), context)
    as_of = f"as-of-{filterset.as_of.isoformat()}" if filterset.as_of else ""
    stem = file_stem(plan.slug, dataset.name, as_of)

    return exports.stream(dataset, rows, file_format, filename=stem)


@read_only
def commitment_export(request: HttpRequest, plan: str, file_format: str):
    return _list_export(
        request,
        plan,
        file_format,
        datasets.COMMITMENTS,
        lambda filterset: filterset.qs,
    )


@read_only
def milestone_export(request: HttpRequest, plan: str, file_format: str):
    return _list_export(
        request,
        plan,
        file_format,
        datasets.MILESTONES,
        lambda filterset: datasets.milestones_of(filterset.qs, filterset.as_of),
    )


@read_only
def update_export(request: HttpRequest, plan: str, file_format: str):
    return _list_export(
        request,
        plan,
        file_format,
        datasets.UPDATES,
        lambda filterset: datasets.updates_of(filterset.qs, filterset.as_of),
    )


@read_only
def history_export(request: HttpRequest, plan: str, file_format: str):
    return _list_export(
        request,
        plan,
        file_format,
        datasets.HISTORY,
        lambda filterset: filterset.qs,
    )


@read_only
def commitment_history_export(
    request: HttpRequest, plan: str, ref: str, file_format: str
):
    """Stream the versions of one commitment and its milestones (its changelog)."""
    commitment = opendata.published_commitment(plan, ref)
    context = export_context(request)
    only_this = type(commitment).objects.filter(pk=commitment.pk)
    rows = datasets.HISTORY.rows(only_this, context)
    stem = file_stem(plan, "commitment", ref, "history")

    return exports.stream(datasets.HISTORY, rows, file_format, filename=stem)


@read_only
def comment_export(request: HttpRequest, plan: str, file_format: str):
    return _list_export(
        request,
        plan,
        file_format,
        community_exports.COMMENTS,
        lambda filterset: community_exports.public_comments_of(
            datasets.commitment_ids(filterset.qs), filterset.as_of
        ),
    )


@read_only
def commitment_comment_export(
    request: HttpRequest, plan: str, ref: str, file_format: str
):
    """Stream the visible comments of one commitment."""
    commitment = opendata.published_commitment(plan, ref)
    # As on the commitment page: a valid past day keeps the comments posted
    # until then; an invalid one is ignored.
    day, _errors = asof.read_as_of(request.GET)
    comments = community_exports.public_comments_of([commitment.pk], day)
    rows = community_exports.COMMENTS.rows(comments, export_context(request, day))
    as_of = f"as-of-{day.isoformat()}" if day else ""
    stem = file_stem(plan, "commitment", ref, "comments", as_of)

    return exports.stream(community_exports.COMMENTS, rows, file_format, filename=stem)


def _workshop_list(request: HttpRequest) -> WorkshopFilter:
    # The same filtering as the workshop list page, pagination aside.
    data = request.GET.copy()
    data.pop("page", None)
    return WorkshopFilter(data or None, queryset=Workshop.objects.published())


def _invalid_filters(request: HttpRequest, filterset) -> HttpResponse:
    # The workshop list answers 400 to invalid filters; its files do too.
    fields = filterset.form.fields
    errors = [
        (fields[name].label if name in fields else name, " ".join(messages))
        for name, messages in filterset.form.errors.items()
    ]
    context = {
        "title": _("Invalid filters"),
        "message": _("The filters are not valid, so no file was made."),
        "errors": errors,
    }
    return render(request, "commitments/opendata_error.html", context, status=400)


@read_only
def workshop_export(request: HttpRequest, file_format: str):
    filterset = _workshop_list(request)
    if filterset.is_bound and not filterset.is_valid():
        return _invalid_filters(request, filterset)

    dataset = workshop_exports.WORKSHOPS
    rows = dataset.rows(
        workshop_exports.workshops_of(filterset.qs), export_context(request)
    )
    return exports.stream(dataset, rows, file_format, filename=dataset.name)


@read_only
def document_export(request: HttpRequest, file_format: str):
    filterset = _workshop_list(request)
    if filterset.is_bound and not filterset.is_valid():
        return _invalid_filters(request, filterset)

    dataset = workshop_exports.DOCUMENTS
    filtering = (
        any(filterset.form.cleaned_data.values()) if filterset.is_bound else False
    )
    documents = workshop_exports.documents_of(filterset.qs, filtering=filtering)
    rows = dataset.rows(documents, export_context(request))
    return exports.stream(dataset, rows, file_format, filename=dataset.name)


@read_only
def unknown_export(request: HttpRequest, name: str = "") -> HttpResponse:
    """Say which files exist when an export address names an unknown one."""
    names = ", ".join(exports.FILE_NAMES)
    context = {
        "title": _("Unknown file format"),
        "message": _("This file format does not exist. The formats offered are: %s.")
        % names,
    }
    return render(request, "commitments/opendata_error.html", context, status=404)


@read_only
def dataset_schema(request: HttpRequest, dataset: str) -> JsonResponse:
    """Serve the Table Schema of one dataset's canonical CSV file."""
    found = opendata.all_datasets().get(dataset)
    if found is None:
        raise Http404(_("There is no dataset by this name."))
    response = JsonResponse(
        found.table_schema(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    # Schemas and open data are meant to be read from other sites too.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"

    return response


def export_datasets() -> dict:
    """Return the dataset each export view writes, by URL name."""
    return {
        "commitment_export": datasets.COMMITMENTS,
        "milestone_export": datasets.MILESTONES,
        "update_export": datasets.UPDATES,
        "history_export": datasets.HISTORY,
        "commitment_history_export": datasets.HISTORY,
        "comment_export": community_exports.COMMENTS,
        "commitment_comment_export": community_exports.COMMENTS,
        "workshop_export": workshop_exports.WORKSHOPS,
        "document_export": workshop_exports.DOCUMENTS,
    }


FORMAT_LABELS = {
    exports.Format.CSV: _lazy("CSV"),
    exports.Format.EXCEL: _lazy("CSV for Excel"),
    exports.Format.JSON: _lazy("JSON"),
}


def _files(list_path: str, plans: list[ActionPlan]) -> list[tuple]:
    """Return (plan or None, [(format label, address)]) for a dataset's full files."""
    root = opendata.site_root()
    scopes = plans if "{plan}" in list_path else [None]
    files = []
    for plan in scopes:
        path = root + list_path.format(plan=plan.slug if plan else "")
        links = [
            (FORMAT_LABELS[file_format], path + name)
            for name, file_format in exports.FILE_NAMES.items()
        ]
        files.append((plan, links))

    return files


@read_only
def opendata_index(request: HttpRequest) -> HttpResponse:
    """Describe every dataset, its columns, formats, licence, and the feeds."""
    plans = list(ActionPlan.objects.filter(is_published=True))
    entries = [
        {
            "dataset": dataset,
            "schema_url": reverse("opendata:dataset_schema", args=[dataset.name]),
            "files": _files(dataset.list_path, plans),
        }
        for dataset in opendata.all_datasets().values()
    ]
    context = {
        "entries": entries,
        "plans": plans,
        "licence": exports.LICENCE,
        "site_root": opendata.site_root(),
    }
    return render(request, "commitments/opendata_index.html", context)
