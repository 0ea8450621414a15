"""Accounts, the conversation on commitments, follows and e-mail notifications."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class User(AbstractUser):
    """An account: a member of the public, civil society or ministry staff."""

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("as soon as it happens")
        DAILY = "daily", _("once a day, in a digest")
        NEVER = "never", _("never")

    display_name = models.CharField(
        _("public display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown beside your comments instead of your account name."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Optional; shown beside your comments."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("Language of the e-mails you receive."),
    )
    name_is_public = models.BooleanField(
        _("show my name in the public changelog"),
        default=False,
        help_text=_("Otherwise the changelog names only your institution, never you."),
    )
    notification_frequency = models.CharField(
        _("e-mail notifications"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.INSTANT,
        help_text=_("When to tell you about what you follow."),
    )
    notify_replies = models.BooleanField(
        _("tell me when someone replies to my comments"), default=True
    )
    posting_blocked_at = models.DateTimeField(
        _("blocked from posting on"), null=True, blank=True
    )
    posting_blocked_reason = models.CharField(
        _("reason for the block"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_username()

    @property
    def signature(self) -> str:
        """Return the name shown to the public beside what the member writes.

        Never the account name: allauth makes it from the e-mail address, and
        a staff account's is its login. An account without a display name
        (created in the back-office or with createsuperuser) signs with a
        neutral label until its owner chooses a name in their profile.
        """
        return self.display_name or str(_("unnamed member"))

    @property
    def is_blocked(self) -> bool:
        return self.posting_blocked_at is not None

    @property
    def email_language(self) -> str:
        """Return the language code the member's e-mails are written in."""
        known = {code for code, _name in settings.LANGUAGES}
        return self.language if self.language in known else settings.LANGUAGE_CODE


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden_at=None, deleted_at=None)

    def awaiting_answer(self, before=None):
        """Keep top-level comments from the public that no official answer met yet.

        With before (a moment), keep those posted before it and still unanswered
        then; hidden and deleted comments are left out as they are now.
        """
        unanswered = Q(answered_at=None)
        if before is not None:
            unanswered = Q(created_at__lt=before) & (
                unanswered | Q(answered_at__gte=before)
            )
        return self.filter(
            unanswered,
            parent=None,
            official_institution=None,
            hidden_at=None,
            deleted_at=None,
        )


class Comment(models.Model):
    """A comment on a commitment, or a reply in one of its threads.

    Nothing here is ever deleted: an author's deletion and a moderator's hiding
    only set a date, so a thread keeps its shape and the record stays whole.
    """

    # Replies nest at most this deep (0 is a top-level comment); a reply to a
    # comment at the deepest level joins that comment's own level instead.
    MAX_DEPTH = 3

    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )
    # The thread's top-level comment, so that a page of threads is read with
    # one query whatever their depth. Empty on top-level comments themselves.
    root = models.ForeignKey(
        "self",
        verbose_name=_("thread"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    official_institution = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("official answer of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="official_answers",
    )
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False, default="")
    body_hash = models.CharField(max_length=64, editable=False, default="")
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(
        _("deleted by its author at"), null=True, blank=True
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.CharField(_("public reason"), max_length=300, blank=True)
    # Set on a top-level comment when a visible official answer appears in
    # its thread; the "awaiting an official answer" counts read it.
    answered_at = models.DateTimeField(
        _("answered officially at"), null=True, blank=True
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["commitment", "parent", "created_at", "id"],
                name="comment_page_idx",
            ),
            models.Index(fields=["author", "body_hash"], name="comment_repeat_idx"),
            # Counting and listing the comments awaiting an answer reads
            # only this index, however many comments a plan has.
            models.Index(
                fields=["commitment", "created_at", "id"],
                condition=Q(
                    parent=None,
                    official_institution=None,
                    answered_at=None,
                    hidden_at=None,
                    deleted_at=None,
                ),
                name="comment_awaiting_idx",
            ),
        ]
        permissions = [("moderate_comment", _("Can hide and restore comments"))]

    def __str__(self) -> str:
        return f"#{self.pk} – {self.commitment_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None

    @property
    def is_official(self) -> bool:
        return self.official_institution_id is not None

    @property
    def thread_id(self) -> int:
        return self.root_id or self.pk


class CommentRevision(models.Model):
    """An earlier text of an edited comment, kept for moderators."""

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    body = models.TextField(_("earlier text"))
    written_at = models.DateTimeField(_("written at"))
    replaced_at = models.DateTimeField(_("replaced at"))

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["comment", "written_at", "id"]

    def __str__(self) -> str:
        return f"#{self.comment_id} @ {self.written_at:%Y-%m-%d %H:%M}"


class Flag(models.Model):
    """A member's report that a comment needs a moderator's attention."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        ABUSE = "abuse", _("abusive, hateful or harassing")
        PERSONAL_DATA = "personal_data", _("reveals someone's personal data")
        OFF_TOPIC = "off_topic", _("off topic")
        OTHER = "other", _("something else")

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        related_name="flags",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="flags",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    details = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("dealt with at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dealt with by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = pgettext_lazy("flag on a comment", "report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="one_flag_per_reporter"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.comment_id}: {self.get_reason_display()}"


class Follow(models.Model):
    """A member following one commitment, institution or plan."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    institution = models.ForeignKey(
        "commitments.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    plan = models.ForeignKey(
        "commitments.ActionPlan",
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(commitment__isnull=False, institution=None, plan=None)
                    | Q(commitment=None, institution__isnull=False, plan=None)
                    | Q(commitment=None, institution=None, plan__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "commitment"],
                condition=Q(commitment__isnull=False),
                name="follow_commitment_once",
            ),
            models.UniqueConstraint(
                fields=["user", "institution"],
                condition=Q(institution__isnull=False),
                name="follow_institution_once",
            ),
            models.UniqueConstraint(
                fields=["user", "plan"],
                condition=Q(plan__isnull=False),
                name="follow_plan_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.target}"

    @property
    def target(self):
        return self.commitment or self.institution or self.plan

    @property
    def kind(self) -> str:
        if self.commitment_id:
            return "commitment"
        return "institution" if self.institution_id else "plan"

    @property
    def target_id(self) -> int:
        return self.commitment_id or self.institution_id or self.plan_id


class Notification(models.Model):
    """Something a member is to be told by e-mail, now or in the next digest."""

    class Kind(models.TextChoices):
        PROGRESS_UPDATE = "progress_update", _("new progress update")
        STATUS_CHANGE = "status_change", _("status change")
        OFFICIAL_ANSWER = "official_answer", _("official answer")
        REPLY = "reply", _("reply to your comment")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    commitment = models.ForeignKey(
        "commitments.Commitment",
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    update = models.ForeignKey(
        "commitments.ProgressUpdate",
        verbose_name=_("progress update"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["user", "sent_at"], name="notification_due_idx")
        ]
        constraints = [
            # A member who follows both a commitment and its plan hears of
            # each event once.
            models.UniqueConstraint(
                fields=["user", "update"],
                condition=Q(update__isnull=False),
                name="notify_update_once",
            ),
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(comment__isnull=False),
                name="notify_comment_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
