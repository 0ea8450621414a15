"""Workshops run by administrations and civil society, and the documents they produced.

A workshop and its documents are linked to the commitments and milestones
they fed, so that a commitment's page can show them and a workshop's page can
say what it was for. Civil-society organisations may submit a workshop
report; it stays private until a coordinator publishes or returns it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from commitments import roles
from commitments.models import Commitment, Institution, Milestone
from commitments.versioning import VersionedRecords
from ogp_tracker.markdown import render
from ogp_tracker.validators import plain_line_field
from workshops import uploads

MARKDOWN_HELP = _("Markdown: **bold**, *italics*, lists, [links](https://…).")


class WorkshopQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, now=None):
        """Filter workshops not over yet (running ones included)."""
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def visible_to(self, user):
        """Filter the workshops user may read: published ones, and their own work."""
        if is_reviewer(user):
            return self
        if not user.is_authenticated:
            return self.published()
        own = Q(is_published=True) | Q(submitted_by=user)
        if roles.is_editor(user):
            organised = self.filter(organisers__in=roles.own_institution_ids(user))
            own |= Q(pk__in=organised.values("pk"))
        return self.filter(own)


# The longest description, agenda or minutes: some twenty-five pages, more
# than any report needs, and still a page one can read.
TEXT_LENGTH = 50_000


class Workshop(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        FORUM = "forum", _("forum")
        WEBINAR = "webinar", _("webinar")
        PUBLIC_MEETING = "public_meeting", _("public meeting")
        HACKATHON = "hackathon", _("hackathon")
        CONFERENCE = "conference", _("conference")
        CONSULTATION = "consultation", _("consultation")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    class Submission(models.TextChoices):
        """Where a civil-society report stands; blank for workshops staff entered."""

        PENDING = "pending", _("waiting for review")
        PUBLISHED = "published", _("published")
        RETURNED = "returned", _("returned to the submitter")

    # A calendar application replaces its copy of an event only when the
    # event's SEQUENCE grows, so these changes bump it.
    CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "online_url", "status")

    title = plain_line_field(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKSHOP
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("Address or room. Leave empty for an online-only workshop."),
    )
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    organisers = models.ManyToManyField(
        Institution,
        verbose_name=_("organisers"),
        related_name="organised_workshops",
        blank=True,
    )
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("commitments it fed"),
        related_name="workshops",
        blank=True,
    )
    milestones = models.ManyToManyField(
        Milestone,
        verbose_name=_("milestones it fed"),
        related_name="workshops",
        blank=True,
    )
    description = MarkdownxField(
        _("description"), max_length=TEXT_LENGTH, blank=True, help_text=MARKDOWN_HELP
    )
    agenda = MarkdownxField(
        _("agenda"), max_length=TEXT_LENGTH, blank=True, help_text=MARKDOWN_HELP
    )
    minutes = MarkdownxField(
        _("minutes or report"),
        max_length=TEXT_LENGTH,
        blank=True,
        help_text=MARKDOWN_HELP,
    )
    attendees = models.PositiveIntegerField(
        _("number of attendees"), null=True, blank=True
    )
    organisations_represented = models.PositiveIntegerField(
        _("number of organisations represented"), null=True, blank=True
    )
    is_published = models.BooleanField(_("published"), default=True)
    submission = models.CharField(
        _("civil-society submission"),
        max_length=20,
        choices=Submission.choices,
        blank=True,
        default="",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_workshops",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning it"), blank=True)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = VersionedRecords(
        excluded_fields=["updated_at"],
        m2m_fields=[organisers, commitments, milestones],
    )

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["is_published", "ends_at"]),
            models.Index(fields=["submitted_by", "-submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="workshop_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_calendar", None)
        if loaded is not None and loaded != self._calendar_values():
            self.sequence += 1
        super().save(*args, **kwargs)
        self._loaded_calendar = self._calendar_values()

    def get_absolute_url(self) -> str:
        return reverse("workshops:workshop_detail", args=[self.pk])

    @property
    def description_html(self):
        return render(self.description)

    @property
    def agenda_html(self):
        return render(self.agenda)

    @property
    def minutes_html(self):
        return render(self.minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_submission(self) -> bool:
        return bool(self.submission)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_calendar = instance._calendar_values()
        return instance

    def _calendar_values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.CALENDAR_FIELDS)

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must come after the start.")
        if not self.place and not self.online_url:
            errors["place"] = _("Give a place, an online link, or both.")
        if self.status == self.Status.CANCELLED and not self.cancellation_reason:
            errors["cancellation_reason"] = _(
                "Say why the workshop was cancelled: visitors will read it."
            )
        if errors:
            raise ValidationError(errors)


def is_reviewer(user) -> bool:
    """Tell whether user reviews submissions and sees every workshop (coordinators)."""
    return user.is_authenticated and roles.is_coordinator(user)


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """Filter documents anybody may read: published, on a published workshop."""
        return self.filter(is_published=True).filter(
            Q(workshop__isnull=True) | Q(workshop__is_published=True)
        )

    def visible_to(self, user):
        if is_reviewer(user):
            return self
        if not user.is_authenticated:
            return self.public()
        visible = Q(pk__in=self.public().values("pk")) | Q(workshop__submitted_by=user)
        if roles.is_editor(user):
            own_ids = roles.own_institution_ids(user)
            visible |= Q(producer__in=own_ids) | Q(
                workshop__in=Workshop.objects.filter(organisers__in=own_ids).values(
                    "pk"
                )
            )
        return self.filter(visible)


def document_upload_to(instance: "Document", filename: str) -> str:
    """Store under a generated name; the submitted name is never used on disk."""
    fmt = uploads.FORMATS.get(instance.file_format)
    extension = fmt.extensions[0] if fmt else "bin"
    return uploads.generated_name(extension)


class Document(models.Model):
    class Kind(models.TextChoices):
        MINUTES = "minutes", _("minutes")
        SYNTHESIS = "synthesis", _("synthesis")
        SLIDES = "slides", _("slides")
        REPORT = "report", _("report")
        DATA = "data", _("data")
        OTHER = "other", _("other deliverable")

    class Language(models.TextChoices):
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")
        OTHER = "other", _("other language")

    title = plain_line_field(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.REPORT
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.FRENCH
    )
    date = models.DateField(_("date"), null=True, blank=True)
    producer = models.ForeignKey(
        Institution,
        verbose_name=_("producing organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("commitments"),
        related_name="documents",
        blank=True,
    )
    milestones = models.ManyToManyField(
        Milestone,
        verbose_name=_("milestones"),
        related_name="documents",
        blank=True,
    )
    file = models.FileField(
        _("file"),
        upload_to=document_upload_to,
        max_length=200,
        blank=True,
        validators=[uploads.validate_upload],
        help_text=_("Either a file or a link."),
    )
    file_format = models.CharField(
        _("format"), max_length=10, blank=True, editable=False
    )
    file_size = models.PositiveBigIntegerField(
        _("size in bytes"), null=True, blank=True, editable=False
    )
    url = models.URLField(
        _("link"), max_length=1000, blank=True, help_text=_("Either a file or a link.")
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = VersionedRecords(
        excluded_fields=["updated_at"], m2m_fields=[commitments, milestones]
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-date", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="document_is_a_file_or_a_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            # Checked again here so that no code path stores an unchecked file.
            upload = self.file.file
            fmt = uploads.inspect(upload, self.file.name or "", upload.size)
            self.file_format = fmt.code
            self.file_size = upload.size
        elif not self.file:
            self.file_format = ""
            self.file_size = None
        super().save(*args, **kwargs)

        replaced = getattr(self, "_loaded_file_name", "")
        if replaced and replaced != self.file.name:
            # The replaced file goes once the new one is committed; a rollback
            # keeps it, since the row still points to it then.
            storage = self.file.storage
            transaction.on_commit(lambda: storage.delete(replaced))
        self._loaded_file_name = self.file.name or ""

    def get_absolute_url(self) -> str:
        if self.file:
            return reverse("workshops:document_download", args=[self.pk])
        return self.url

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_file_name = instance.__dict__.get("file") or ""
        return instance

    @property
    def format(self) -> uploads.Format | None:
        return uploads.FORMATS.get(self.file_format)

    @property
    def download_name(self) -> str:
        """Return the name offered to the visitor's browser, made from the title."""
        fmt = self.format
        stem = slugify(self.title, allow_unicode=True)[:80] or "document"
        return f"{stem}.{fmt.extensions[0]}" if fmt else stem

    def validate_constraints(self, exclude=None):
        # clean() explains a missing or doubled file or link in words; the
        # database constraint behind it would only repeat it by its name.
        super().validate_constraints(exclude={*(exclude or ()), "file", "url"})

    def clean(self):
        if self.file and self.url:
            raise ValidationError(
                _("Give a file or a link, not both."), code="file_and_link"
            )
        if not self.file and not self.url:
            raise ValidationError(_("Give a file or a link."), code="no_file_or_link")
