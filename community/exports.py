"""The open-data file of public comments.

Only what the commitment page shows to anybody: comments neither hidden by
the moderators nor deleted by their authors, on published plans, signed with
the author's display name and organisation. No e-mail address, no account
name, no moderation record.
"""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from commitments import asof
from community.models import Comment
from ogp_tracker.exports import Column, Dataset


def public_comments_of(
    commitment_ids: QuerySet, day: datetime.date | None = None
) -> QuerySet:
    """Return the visible comments on the given commitments, oldest first."""
    comments = Comment.objects.visible().filter(
        commitment_id__in=commitment_ids, commitment__plan__is_published=True
    )
    if day is not None:
        comments = comments.filter(created_at__lt=asof.end_of(day))

    return comments.order_by("created_at", "id")


def _author_name(row: dict, context: dict) -> str | None:
    # Like the commitment page, never the account name: it may be made from
    # the e-mail address, or be a staff member's login.
    name = row["author_display_name"]
    if not name or "@" in name:
        return None
    return name


def _organisation(row: dict, context: dict) -> str | None:
    organisation = row["author_organisation"]
    if not organisation or "@" in organisation:
        return None
    return organisation


def _official_name(row: dict, context: dict) -> str | None:
    if row["official_slug"] is None:
        return None
    first = context.get("language", "fr")
    second = "en" if first == "fr" else "fr"
    return (
        row[f"official_name_{first}"]
        or row[f"official_name_{second}"]
        or row["official_slug"]
    )


COMMENTS = Dataset(
    name="comments",
    title=_("Public comments"),
    description=_(
        "One row per visible comment on the commitments: the public "
        "conversation between civil society and the administration, official "
        "answers included. Hidden and deleted comments are left out; a reply "
        "may therefore point to a comment that is not in the file."
    ),
    list_path="plans/{plan}/commitments/comments/",
    fetch={
        "id": "id",
        "commitment_id": "commitment_id",
        "plan": "commitment__plan__slug",
        "commitment_number": "commitment__number",
        "commitment_ogp_id": "commitment__ogp_id",
        "parent_id": "parent_id",
        "root_id": "root_id",
        "depth": "depth",
        "created_at": "created_at",
        "edited_at": "edited_at",
        "author_display_name": "author__display_name",
        "author_organisation": "author__organisation",
        "official_slug": "official_institution__slug",
        "official_name_fr": "official_institution__name_fr",
        "official_name_en": "official_institution__name_en",
        "body": "body",
    },
    columns=[
        Column(
            "id",
            _("Database identifier of the comment; never reused."),
            type="integer",
            required=True,
        ),
        Column(
            "commitment_id",
            _("Database identifier of the commitment."),
            type="integer",
            required=True,
        ),
        Column("plan", _("Short name of the action plan."), required=True),
        Column(
            "commitment_number",
            _("Number of the commitment in its plan."),
            type="integer",
        ),
        Column("commitment_ogp_id", _("OGP identifier of the commitment.")),
        Column(
            "parent_id",
            _("Comment this one replies to; empty for a new thread."),
            type="integer",
        ),
        Column(
            "thread_id",
            _("First comment of the thread (the comment itself when it opens one)."),
            type="integer",
            required=True,
            value=lambda row, context: row["root_id"] or row["id"],
        ),
        Column(
            "depth",
            _("Reply depth: 0 for a new thread."),
            type="integer",
            required=True,
        ),
        Column(
            "created_at", _("When it was posted (UTC)."), type="datetime", required=True
        ),
        Column(
            "edited_at", _("When its author last edited it (UTC)."), type="datetime"
        ),
        Column(
            "author_name",
            _(
                "Public name of the author; empty for a deleted account or one "
                "without a display name."
            ),
            value=_author_name,
        ),
        Column(
            "author_organisation",
            _("Organisation the author gave, if any."),
            value=_organisation,
        ),
        Column(
            "is_official",
            _("An official answer of an institution leading the commitment."),
            type="boolean",
            required=True,
            value=lambda row, context: row["official_slug"] is not None,
        ),
        Column(
            "official_institution",
            _("Short name of the institution answering officially."),
            value=lambda row, context: row["official_slug"],
        ),
        Column(
            "official_institution_name",
            _("Name of the institution answering officially."),
            value=_official_name,
        ),
        Column("body", _("Text of the comment (Markdown)."), required=True),
    ],
)

DATASETS = {COMMENTS.name: COMMENTS}
