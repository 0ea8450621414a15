"""Business rules of the community: comments, moderation, follows and accounts.

Views, the admin, commands and tasks all go through these functions, so a
rule (who may answer officially, what counts as a repeated comment…) lives in
one place. A refused action raises ``CommunityError`` with a message for the
member and the HTTP status the page should answer with.
"""

import hashlib
import html as html_entities
import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from commitments import roles
from commitments.models import ActionPlan, Commitment, Institution
from community.models import Comment, CommentRevision, Flag, Follow, User
from ogp_tracker.formats import number
from ogp_tracker.markdown import render
from ogp_tracker.validators import check_written_text, is_blank

logger = logging.getLogger(__name__)

# The same text from the same member is refused on the same commitment at any
# time, and anywhere else within this window (copy-pasted spam).
REPEAT_WINDOW = timedelta(hours=24)


class CommunityError(Exception):
    """An action the rules refuse, with a message fit to show the member."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# Comments -----------------------------------------------------------------


def fingerprint(body: str) -> str:
    """Return a digest of body that ignores case and spacing, to spot repeats."""
    text = " ".join(body.split()).casefold()

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clean_body(body: str) -> tuple[str, str]:
    """Return body trimmed and its safe HTML, or refuse it when empty or too long."""
    body = (body or "").strip()
    limit = settings.OGP_COMMENT_MAX_LENGTH
    if len(body) > limit:
        raise CommunityError(
            _("A comment is at most %(limit)s characters long; yours has %(n)s.")
            % {"limit": number(limit), "n": number(len(body))}
        )
    html = render(body, subset="comment")
    # Entities (&#8238;) become the characters they name once rendered, so
    # the text readers will see is checked as well as the text typed.
    shown = html_entities.unescape(strip_tags(html))
    _check_written(body)
    _check_written(shown)
    if not body or is_blank(shown):
        raise CommunityError(_("Write something before posting."))

    return body, html


def _check_written(text: str) -> None:
    """Apply the forms' rule on texts written for others to read, in services."""
    try:
        check_written_text(text)
    except ValidationError as error:
        raise CommunityError(error.messages[0]) from error


def check_can_post(user) -> None:
    """Refuse anonymous visitors, inactive accounts and blocked accounts."""
    if not user.is_authenticated:
        raise CommunityError(_("Log in to take part."), status=403)
    if not user.is_active or user.is_blocked:
        raise CommunityError(
            _("Your account has been blocked from posting by the moderators."),
            status=403,
        )


def official_institutions_for(user, commitment) -> list[Institution]:
    """Return the lead institutions of commitment that user may answer for."""
    own = roles.own_institution_ids(user)
    if not own or not user.is_active:
        return []
    # The commitment page usually prefetches the lead institutions already.
    prefetched = getattr(commitment, "_prefetched_objects_cache", {})
    if "lead_institutions" in prefetched:
        return [item for item in prefetched["lead_institutions"] if item.pk in own]

    return list(commitment.lead_institutions.filter(pk__in=own))


def can_still_edit(comment: Comment, now=None) -> bool:
    now = now or timezone.now()
    window = timedelta(minutes=settings.OGP_COMMENT_EDIT_MINUTES)

    return comment.is_visible and now - comment.created_at <= window


def post_comment(
    *,
    commitment: Commitment,
    author: User,
    body: str,
    parent: Comment | None = None,
    official_institution: Institution | None = None,
) -> Comment:
    """Post a comment or a reply, and tell the people concerned after commit.

    A reply to a comment at the deepest level joins that comment's level. The
    parent should be loaded with ``select_related("parent")`` so this costs
    no query.
    """
    check_can_post(author)
    body, html = clean_body(body)
    if parent is not None:
        parent = _reply_target(parent, commitment)
    if official_institution is not None:
        _check_official(author, commitment, parent, official_institution)

    now = timezone.now()
    digest = fingerprint(body)
    repeated = Comment.objects.filter(
        Q(commitment=commitment) | Q(created_at__gte=now - REPEAT_WINDOW),
        author=author,
        body_hash=digest,
        deleted_at=None,
    )
    if repeated.exists():
        raise CommunityError(_("You have already posted this same comment."))

    with transaction.atomic():
        comment = Comment.objects.create(
            commitment=commitment,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author=author,
            official_institution=official_institution,
            body=body,
            body_html=html,
            body_hash=digest,
            created_at=now,
        )
        if official_institution is not None:
            Comment.objects.filter(pk=comment.root_id, answered_at=None).update(
                answered_at=now
            )
        if parent is not None:
            transaction.on_commit(partial(_enqueue_comment_news, comment.pk))

    logger.info(
        "comment posted comment=%s commitment=%s parent=%s official=%s",
        comment.pk,
        commitment.pk,
        comment.parent_id,
        comment.official_institution_id,
    )
    return comment


def _reply_target(parent: Comment, commitment: Commitment) -> Comment:
    if parent.commitment_id != commitment.pk:
        raise CommunityError(_("That comment belongs to another commitment."))
    if parent.is_hidden:
        raise CommunityError(
            _("This comment was hidden by the moderators and takes no replies.")
        )
    if parent.is_deleted:
        raise CommunityError(_("This comment was deleted and takes no replies."))
    while parent.depth >= Comment.MAX_DEPTH:
        parent = parent.parent

    return parent


def _check_official(author, commitment, parent, institution) -> None:
    if parent is None:
        raise CommunityError(_("An official answer replies to a comment."))
    allowed = {item.pk for item in official_institutions_for(author, commitment)}
    if institution.pk not in allowed:
        raise CommunityError(
            _("Only staff of this commitment's lead institutions answer officially."),
            status=403,
        )


def _enqueue_comment_news(comment_id: int) -> None:
    from community import tasks

    tasks.notify_comment.enqueue(comment_id)


def edit_comment(*, comment: Comment, user: User, body: str) -> Comment:
    """Change the text of one's own comment within the edit window."""
    if comment.author_id is None or comment.author_id != user.pk:
        raise CommunityError(_("You can only edit your own comments."), status=403)
    check_can_post(user)
    if not comment.is_visible:
        raise CommunityError(_("A hidden or deleted comment cannot be edited."))
    if not can_still_edit(comment):
        raise CommunityError(
            _("Comments can be edited for %(minutes)s minutes after posting.")
            % {"minutes": settings.OGP_COMMENT_EDIT_MINUTES},
            status=403,
        )
    body, html = clean_body(body)
    if body == comment.body:
        return comment

    now = timezone.now()
    with transaction.atomic():
        CommentRevision.objects.create(
            comment=comment,
            body=comment.body,
            written_at=comment.edited_at or comment.created_at,
            replaced_at=now,
        )
        comment.body = body
        comment.body_html = html
        comment.body_hash = fingerprint(body)
        comment.edited_at = now
        comment.save(update_fields=["body", "body_html", "body_hash", "edited_at"])

    logger.info("comment edited comment=%s", comment.pk)
    return comment


def delete_comment(*, comment: Comment, user: User) -> Comment:
    """Withdraw one's own comment: a dated placeholder stays, and its replies."""
    if comment.author_id is None or comment.author_id != user.pk:
        raise CommunityError(_("You can only delete your own comments."), status=403)
    if comment.is_deleted:
        raise CommunityError(_("This comment is already deleted."))

    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    if comment.is_official:
        refresh_answered(comment.thread_id)

    logger.info("comment deleted by author comment=%s", comment.pk)
    return comment


def refresh_answered(thread_id: int) -> None:
    """Recompute when a thread was first answered officially, after a change."""
    first = (
        Comment.objects.visible()
        .filter(root_id=thread_id, official_institution__isnull=False)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    Comment.objects.filter(pk=thread_id).update(answered_at=first)


# Moderation ----------------------------------------------------------------


def flag_comment(
    *, comment: Comment, reporter: User, reason: str, details: str = ""
) -> Flag:
    """Report a comment to the moderators, once per member."""
    if not reporter.is_authenticated:
        raise CommunityError(_("Log in to report a comment."), status=403)
    if not comment.is_visible:
        raise CommunityError(_("This comment is no longer shown."))
    if comment.author_id == reporter.pk:
        raise CommunityError(_("You cannot report your own comment."))
    if Flag.objects.filter(comment=comment, reporter=reporter).exists():
        raise CommunityError(_("You have already reported this comment."))

    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                comment=comment, reporter=reporter, reason=reason, details=details
            )
    except IntegrityError as error:
        # Two clicks racing each other: the first report stands.
        raise CommunityError(_("You have already reported this comment.")) from error

    logger.info("comment reported comment=%s flag=%s", comment.pk, flag.pk)
    return flag


def hide_comment(*, comment: Comment, moderator: User, reason: str) -> Comment:
    """Hide a comment behind a dated placeholder with a public reason."""
    reason = (reason or "").strip()
    if not reason or is_blank(reason):
        raise CommunityError(_("Give the public reason for hiding this comment."))
    _check_written(reason)

    now = timezone.now()
    with transaction.atomic():
        comment.hidden_at = comment.hidden_at or now
        comment.hidden_by = moderator
        comment.hidden_reason = reason[:300]
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        comment.flags.filter(resolved_at=None).update(
            resolved_at=now, resolved_by=moderator
        )
        if comment.is_official:
            refresh_answered(comment.thread_id)

    logger.info("comment hidden comment=%s moderator=%s", comment.pk, moderator.pk)
    return comment


def restore_comment(*, comment: Comment, moderator: User) -> Comment:
    """Show a hidden comment again."""
    if not comment.is_hidden:
        return comment

    with transaction.atomic():
        comment.hidden_at = None
        comment.hidden_by = None
        comment.hidden_reason = ""
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        if comment.is_official:
            refresh_answered(comment.thread_id)

    logger.info("comment restored comment=%s moderator=%s", comment.pk, moderator.pk)
    return comment


def dismiss_flags(*, comment: Comment, moderator: User) -> int:
    """Close the open reports on a comment that stays visible."""
    return comment.flags.filter(resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )


def block_user(*, user: User, moderator: User, reason: str = "") -> None:
    """Stop an account from posting; what it posted stays as it is."""
    if user.is_blocked:
        return
    user.posting_blocked_at = timezone.now()
    user.posting_blocked_reason = (reason or "")[:300]
    user.save(update_fields=["posting_blocked_at", "posting_blocked_reason"])

    logger.info("account blocked user=%s moderator=%s", user.pk, moderator.pk)


def unblock_user(*, user: User, moderator: User) -> None:
    user.posting_blocked_at = None
    user.posting_blocked_reason = ""
    user.save(update_fields=["posting_blocked_at", "posting_blocked_reason"])

    logger.info("account unblocked user=%s moderator=%s", user.pk, moderator.pk)


def is_moderator(user) -> bool:
    """Tell whether user may hide and restore comments."""
    if not user.is_authenticated or not user.is_active:
        return False
    return roles.is_coordinator(user) or roles.has_role(user, roles.MODERATORS)


# Counts ---------------------------------------------------------------------


def awaiting_answer_count(*, plan=None, institution=None, commitment=None) -> int:
    """Count top-level comments still waiting for an official answer."""
    comments = Comment.objects.awaiting_answer()
    if plan is not None:
        comments = comments.filter(commitment__plan=plan)
    if institution is not None:
        led = institution.led_commitments.values("pk")
        comments = comments.filter(commitment__in=led)
    if commitment is not None:
        comments = comments.filter(commitment=commitment)

    return comments.count()


def annotate_comment_counts(commitments: QuerySet) -> QuerySet:
    """Add comments_count and comments_awaiting_answer to a commitment queryset."""

    def counted(comments):
        total = (
            comments.filter(commitment=OuterRef("pk"))
            .order_by()
            .values("commitment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(total), Value(0))

    return commitments.annotate(
        comments_count=counted(Comment.objects.visible()),
        comments_awaiting_answer=counted(Comment.objects.awaiting_answer()),
    )


# Follows --------------------------------------------------------------------

FOLLOWABLE = {
    "commitment": Commitment,
    "institution": Institution,
    "plan": ActionPlan,
}


def follow_kind(target) -> str:
    for kind, model in FOLLOWABLE.items():
        if isinstance(target, model):
            return kind
    raise TypeError(f"cannot follow a {type(target).__name__}")


def is_following(user, target) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, **{follow_kind(target): target}).exists()


def follow(*, user: User, target) -> Follow:
    """Follow a commitment, institution or plan (again, harmlessly)."""
    kind = follow_kind(target)
    existing = Follow.objects.filter(user=user, **{kind: target}).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            created = Follow.objects.create(user=user, **{kind: target})
    except IntegrityError:
        return Follow.objects.get(user=user, **{kind: target})

    logger.info("follow added user=%s %s=%s", user.pk, kind, target.pk)
    return created


def unfollow(*, user: User, target) -> None:
    kind = follow_kind(target)
    Follow.objects.filter(user=user, **{kind: target}).delete()

    logger.info("follow removed user=%s %s=%s", user.pk, kind, target.pk)


def stop_all_emails(user: User) -> str:
    """Turn off every notification e-mail for user (the unsubscribe link).

    Return the frequency chosen before, so that an undo can bring it back.
    """
    before = user.notification_frequency
    if before != User.Frequency.NEVER:
        user.notification_frequency = User.Frequency.NEVER
        user.save(update_fields=["notification_frequency"])

    logger.info("notifications turned off user=%s", user.pk)
    return before


def restart_emails(user: User, frequency: str) -> None:
    """Turn e-mails back on at frequency, or at once when it is not a valid one."""
    receiving = set(User.Frequency.values) - {User.Frequency.NEVER}
    if frequency not in receiving:
        frequency = User.Frequency.INSTANT
    user.notification_frequency = frequency
    user.save(update_fields=["notification_frequency"])


# Accounts -------------------------------------------------------------------


def _when(value):
    return value.isoformat() if value else None


def export_user_data(user: User) -> dict:
    """Return everything the site holds about user, for a JSON download."""
    from allauth.account.models import EmailAddress

    comments = (
        Comment.objects.filter(author=user)
        .select_related("commitment__plan", "official_institution")
        .prefetch_related("revisions")
        .order_by("created_at", "id")
    )
    follows = Follow.objects.filter(user=user).select_related(
        "commitment__plan", "institution", "plan"
    )

    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "organisation": user.organisation,
            "language": user.language,
            "name_is_public": user.name_is_public,
            "notification_frequency": user.notification_frequency,
            "notify_replies": user.notify_replies,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "blocked_from_posting_at": _when(user.posting_blocked_at),
        },
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=user)
        ],
        "institutions": [item.name for item in user.institutions.all()],
        "comments": [_exported_comment(comment) for comment in comments],
        "reports": [
            {
                "comment": flag.comment_id,
                "reason": flag.reason,
                "details": flag.details,
                "reported_at": _when(flag.created_at),
            }
            for flag in Flag.objects.filter(reporter=user)
        ],
        "follows": [
            {
                "kind": follow_kind(item.target),
                "name": str(item.target),
                "since": _when(item.created_at),
            }
            for item in follows
        ],
        "notifications": [
            {
                "kind": row.kind,
                "commitment": row.commitment_id,
                "created_at": _when(row.created_at),
                "sent_at": _when(row.sent_at),
            }
            for row in user.notifications.all()
        ],
    }


def _exported_comment(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "plan": comment.commitment.plan.slug,
        "commitment": comment.commitment.reference,
        "in_reply_to": comment.parent_id,
        "official_answer_of": (
            comment.official_institution.name if comment.is_official else None
        ),
        "text": comment.body,
        "posted_at": _when(comment.created_at),
        "edited_at": _when(comment.edited_at),
        "deleted_at": _when(comment.deleted_at),
        "hidden_at": _when(comment.hidden_at),
        "hidden_reason": comment.hidden_reason,
        "earlier_versions": [
            {"text": rev.body, "written_at": _when(rev.written_at)}
            for rev in comment.revisions.all()
        ],
    }


def delete_account(user: User) -> None:
    """Remove a member's account and personal data; their comments stay, unsigned.

    Comments, reports and moderation records point to the account with
    SET_NULL, so they survive and show "deleted account". Should another app
    protect the row, the account is emptied of personal data instead.
    """
    pk = user.pk
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError:
        _scrub_account(user)
        logger.info("account emptied user=%s", pk)
        return

    logger.info("account deleted user=%s", pk)


def _scrub_account(user: User) -> None:
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        Comment.objects.filter(author=user).update(author=None)
        Flag.objects.filter(reporter=user).update(reporter=None)
        EmailAddress.objects.filter(user=user).delete()
        user.follows.all().delete()
        user.notifications.all().delete()
        user.institutions.clear()
        user.username = f"deleted-{user.pk}"
        user.email = ""
        user.first_name = user.last_name = ""
        user.display_name = user.organisation = ""
        user.is_active = False
        user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()
