"""Template tags for the export buttons of list pages."""

from django import template
from django.urls import Resolver404, resolve
from django.utils import translation

register = template.Library()

# Exports offered below a list's own address: the list itself, then the
# files about the same rows (a commitment list's milestones, updates…).
SUBPATHS = ["", "milestones/", "updates/", "history/", "comments/", "documents/"]


@register.simple_tag
def export_links(request) -> list[dict]:
    """Return the export files of the list at request.path, with its query string.

    Each item is {"dataset": Dataset, "schema": url, "files": [(label, url)]}.
    The query string is the list's own, without its page number: a file holds
    every row of the filtered list, not one page of it.
    """
    from commitments import opendata_views
    from ogp_tracker.exports import FILE_NAMES

    query = request.GET.copy()
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    by_view = opendata_views.export_datasets()

    # Addresses under /en/ resolve only while English is active; the page's
    # own language normally is, but not when rendered outside a request.
    language = translation.get_language_from_path(request.path)
    found = []
    for subpath in SUBPATHS:
        base = request.path + subpath
        try:
            with translation.override(language or translation.get_language()):
                match = resolve(base + "export.csv")
        except Resolver404:
            continue
        dataset = by_view.get(match.url_name)
        if dataset is None:
            continue
        files = [
            (opendata_views.FORMAT_LABELS[file_format], base + name + suffix)
            for name, file_format in FILE_NAMES.items()
        ]
        found.append({"dataset": dataset, "files": files})

    return found
