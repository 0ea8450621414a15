"""Addresses of the open-data files, schemas, feeds and badges.

Included before the public pages, inside the language prefix. Export
addresses are their list's address followed by the file name, so that a
list's query string carries over unchanged.
"""

from django.urls import path, re_path, register_converter

from commitments import badges, feeds, opendata_views
from ogp_tracker.exports import FILE_NAMES
from ogp_tracker.http import read_only

app_name = "opendata"


class FileNameConverter:
    """Match export.csv, export-excel.csv or export.json; give the format."""

    regex = "|".join(name.replace(".", r"\.") for name in FILE_NAMES)

    def to_python(self, value: str) -> str:
        return FILE_NAMES[value]

    def to_url(self, value: str) -> str:
        return next(name for name, fmt in FILE_NAMES.items() if fmt == value)


register_converter(FileNameConverter, "export")

LIST = "plans/<slug:plan>/commitments/"
COMMITMENT = LIST + "<str:ref>/"

urlpatterns = [
    path("open-data/", opendata_views.opendata_index, name="opendata_index"),
    path(
        "open-data/<slug:dataset>/schema.json",
        opendata_views.dataset_schema,
        name="dataset_schema",
    ),
    path(
        LIST + "<export:file_format>",
        opendata_views.commitment_export,
        name="commitment_export",
    ),
    path(
        LIST + "milestones/<export:file_format>",
        opendata_views.milestone_export,
        name="milestone_export",
    ),
    path(
        LIST + "updates/<export:file_format>",
        opendata_views.update_export,
        name="update_export",
    ),
    path(
        LIST + "history/<export:file_format>",
        opendata_views.history_export,
        name="history_export",
    ),
    path(
        COMMITMENT + "history/<export:file_format>",
        opendata_views.commitment_history_export,
        name="commitment_history_export",
    ),
    path(
        LIST + "comments/<export:file_format>",
        opendata_views.comment_export,
        name="comment_export",
    ),
    path(
        COMMITMENT + "comments/<export:file_format>",
        opendata_views.commitment_comment_export,
        name="commitment_comment_export",
    ),
    path(
        "workshops/<export:file_format>",
        opendata_views.workshop_export,
        name="workshop_export",
    ),
    path(
        "workshops/documents/<export:file_format>",
        opendata_views.document_export,
        name="document_export",
    ),
    path(COMMITMENT + "badge.svg", badges.commitment_badge, name="commitment_badge"),
    # Feeds: every progress update, or only status changes, for the whole
    # site, a plan, a commitment or an institution.
    path("feeds/updates.atom", read_only(feeds.ProgressFeed()), name="updates_feed"),
    path("feeds/status.atom", read_only(feeds.StatusChangeFeed()), name="status_feed"),
    path(
        "plans/<slug:plan>/updates.atom",
        read_only(feeds.ProgressFeed()),
        name="plan_updates_feed",
    ),
    path(
        "plans/<slug:plan>/status.atom",
        read_only(feeds.StatusChangeFeed()),
        name="plan_status_feed",
    ),
    path(
        COMMITMENT + "updates.atom",
        read_only(feeds.ProgressFeed()),
        name="commitment_updates_feed",
    ),
    path(
        COMMITMENT + "status.atom",
        read_only(feeds.StatusChangeFeed()),
        name="commitment_status_feed",
    ),
    path(
        "institutions/<slug:institution>/updates.atom",
        read_only(feeds.ProgressFeed()),
        name="institution_updates_feed",
    ),
    path(
        "institutions/<slug:institution>/status.atom",
        read_only(feeds.StatusChangeFeed()),
        name="institution_status_feed",
    ),
    path("workshops/feed.atom", read_only(feeds.WorkshopFeed()), name="workshops_feed"),
    # Any other "export…" file name: a 404 that lists the formats offered.
    re_path(r"^(?:.+/)?export[.-](?P<name>[^/]*)$", opendata_views.unknown_export),
]
