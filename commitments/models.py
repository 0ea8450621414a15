"""Action plans, their commitments and milestones, and the progress reported on them."""

import datetime
import re
import unicodedata

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commitments import dates
from commitments.dates import Precision
from commitments.text_lists import TextListField
from commitments.versioning import VersionedRecords
from ogp_tracker.validators import (
    EARLIEST_DATE,
    check_written_text,
    plain_line_field,
    validate_date_in_range,
    validate_plain_lines,
    validate_plain_slug,
)


def _languages() -> tuple[str, str]:
    """Return the page's language and the one to fall back to."""
    first = "en" if (get_language() or "fr").startswith("en") else "fr"
    return first, "fr" if first == "en" else "en"


def translated(obj, field: str) -> str:
    """Return obj.<field>_<language>, falling back to the other language."""
    first, second = _languages()
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")


def shown_language(obj, field: str) -> str:
    """Return the language ("fr" or "en") of the text translated() gives."""
    first, second = _languages()
    return first if getattr(obj, f"{field}_{first}") else second


PERCENTAGE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]
# Every date a person or an import sets: from 1900 to 2199.
DATE_VALIDATORS = [validate_date_in_range]
# An OGP identifier: the country's letters, then four digits (FR0051). It is
# part of public addresses, so nothing else may go in it.
OGP_ID_PATTERN = r"^[A-Z]{2,3}\d{4}\Z"
# A plan's country: its ISO 3166-1 alpha-2 code, in capitals as the OGP and
# the bundled plans write it (FR).
COUNTRY_CODE_PATTERN = r"^[A-Z]{2}\Z"
# Public addresses hold at most nine digits: /commitments/<number>/.
LARGEST_NUMBER = 999_999_999
# A commitment's number and a plan's count of announced commitments, from 1
# as plan files give them.
COUNT_VALIDATORS = [MinValueValidator(1), MaxValueValidator(LARGEST_NUMBER)]
# A progress update's achievements and challenges: some ten pages of text, far
# more than a report needs, and still a page and an e-mail one can read.
REPORT_TEXT_LENGTH = 20_000


def normalise_name(name: str) -> str:
    """Return a name as the importer compares it: case, accents, punctuation aside."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", stripped).split())


def check_has_title(obj) -> None:
    """Refuse an object that has neither a French nor an English title."""
    if not (obj.title_fr.strip() or obj.title_en.strip()):
        raise ValidationError(
            {"title_fr": _("Give a title in French or in English.")},
            code="no_title",
        )


class Institution(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        DIRECTORATE = "directorate", _("directorate or department")
        INDEPENDENT_AUTHORITY = "independent_authority", _("independent authority")
        PUBLIC_BODY = "public_body", _("public body or agency")
        PARLIAMENT_OR_COURT = "parliament_or_court", _("parliament, court or audit")
        LOCAL_AUTHORITY = "local_authority", _("local authority")
        CIVIL_SOCIETY = "civil_society", _("civil-society organisation")
        INTERNATIONAL = "international", _("international organisation")
        OTHER = "other", _("other")

    slug = models.SlugField(
        _("short name in addresses"),
        max_length=120,
        unique=True,
        validators=[validate_plain_slug],
    )
    name_fr = plain_line_field(_("name (French)"), max_length=300, blank=True)
    name_en = plain_line_field(_("name (English)"), max_length=300, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER
    )
    aliases = TextListField(
        _("other names"),
        default=list,
        blank=True,
        help_text=_(
            "Other spellings met in plans, used to match imported names; one per line."
        ),
        validators=[validate_plain_lines],
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff members"),
        related_name="institutions",
        blank=True,
        help_text=_("Staff who may edit the commitments this institution leads."),
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name_fr", "name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name") or self.slug

    def names(self) -> dict[str, list[str]]:
        """Return what names the institution in plans, field by field.

        The order is the importer's, from the most specific: a plan's name
        is looked up among slugs first, then acronyms, names and aliases.
        """
        return {
            "slug": [self.slug],
            "acronym": [self.acronym],
            "name_fr": [self.name_fr],
            "name_en": [self.name_en],
            "aliases": [
                alias
                for alias in (self.aliases if isinstance(self.aliases, list) else [])
                if isinstance(alias, str)
            ],
        }

    def clean(self):
        self._check_names_are_its_own()

    @staticmethod
    def index_names(institutions) -> dict[str, dict[int, "Institution"]]:
        """Return, by normalised name, the institutions each name stands for."""
        index: dict[str, dict[int, Institution]] = {}
        for institution in institutions:
            for values in institution.names().values():
                for value in values:
                    if value and normalise_name(value):
                        found = index.setdefault(normalise_name(value), {})
                        found[institution.pk] = institution
        return index

    def _check_names_are_its_own(self) -> None:
        """Refuse a name by which the importer could find another institution."""
        # An import sets names_in_use to the index it keeps for all its
        # saves, which would otherwise each read every institution.
        in_use = getattr(self, "names_in_use", None)
        if in_use is None:
            others = Institution.objects.exclude(pk=self.pk).only(
                "slug", "acronym", "name_fr", "name_en", "aliases"
            )
            in_use = self.index_names(others)
        errors: dict[str, list[ValidationError]] = {}
        for key, values in self.names().items():
            for value in values:
                found = in_use.get(normalise_name(value), {}) if value else {}
                others = [i for pk, i in found.items() if pk != self.pk]
                if not others:
                    continue
                other = min(others, key=lambda institution: institution.slug)
                message = _(
                    "“%(value)s” already names another institution, %(other)s "
                    "(%(slug)s); imported plans could not tell them apart."
                )
                params = {"value": value, "other": other.name, "slug": other.slug}
                errors.setdefault(key, []).append(
                    ValidationError(message, code="name_taken", params=params)
                )
        if errors:
            raise ValidationError(errors)


class PolicyArea(models.Model):
    """An OGP policy area, as the OGP names it ("Open Data", "Health"…)."""

    slug = models.SlugField(
        max_length=120, unique=True, validators=[validate_plain_slug]
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("OGP policy area")
        verbose_name_plural = _("OGP policy areas")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")


class Status(models.TextChoices):
    """Where a commitment stands, in the words of the government's own report."""

    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ActionPlan(models.Model):
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=60,
        unique=True,
        validators=[validate_plain_slug],
    )
    country = models.CharField(
        _("country code"),
        max_length=2,
        default="FR",
        validators=[
            RegexValidator(
                COUNTRY_CODE_PATTERN,
                _(
                    "Write the country as its two-letter code in capitals "
                    "(ISO 3166-1), such as FR."
                ),
                code="country_code",
            )
        ],
    )
    title_fr = plain_line_field(_("title (French)"), max_length=300, blank=True)
    title_en = plain_line_field(_("title (English)"), max_length=300, blank=True)
    start = models.DateField(
        _("start"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    start_precision = models.CharField(
        _("start precision"),
        max_length=10,
        choices=Precision.choices,
        default=Precision.MONTH,
    )
    end = models.DateField(_("end"), null=True, blank=True, validators=DATE_VALIDATORS)
    end_precision = models.CharField(
        _("end precision"),
        max_length=10,
        choices=Precision.choices,
        default=Precision.MONTH,
    )
    announced_commitments = models.PositiveIntegerField(
        _("commitments announced"),
        null=True,
        blank=True,
        validators=COUNT_VALIDATORS,
    )
    sources = TextListField(
        _("sources"),
        default=list,
        blank=True,
        help_text=_("Addresses or references of the sources, one per line."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = VersionedRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-start", "slug"]

    def __str__(self) -> str:
        return self.title or self.slug

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def start_label(self) -> str:
        return dates.label(self.start, self.start_precision)

    @property
    def end_label(self) -> str:
        return dates.label(self.end, self.end_precision)

    def clean(self):
        check_has_title(self)
        # A plan dated "2025" may end in "March 2025": the end's last day
        # counts, as in imported files.
        end = self.end and dates.last_day(self.end, self.end_precision)
        if self.start and end and end < self.start:
            raise ValidationError({"end": _("The end comes before the start.")})


class CommitmentQuerySet(models.QuerySet):
    def with_facts(self, today=None):
        """Annotate current status and progress, last update, lateness and staleness."""
        from commitments import facts

        return facts.annotate_commitments(self, today=today)


class Commitment(models.Model):
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    number = models.PositiveIntegerField(
        _("number in the plan"),
        null=True,
        blank=True,
        validators=COUNT_VALIDATORS,
    )
    ogp_id = models.CharField(
        _("OGP identifier"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                OGP_ID_PATTERN,
                _(
                    "Write an OGP identifier such as FR0051: two or three capital "
                    "letters, then four digits."
                ),
            )
        ],
    )
    ogp_id_inferred = models.BooleanField(
        _("OGP identifier deduced from the plan's numbering"), default=False
    )
    title_fr = plain_line_field(_("title (French)"), max_length=400, blank=True)
    title_en = plain_line_field(_("title (English)"), max_length=400, blank=True)
    title_fr_is_translation = models.BooleanField(
        _("French title is a translation"), default=False
    )
    # The Markdown texts of the commitment page, in both languages; lists of
    # commitments leave them out (QuerySet.defer).
    DESCRIPTION_FIELDS = [
        f"{text}_{language}"
        for text in ("summary", "problem", "commitment", "contribution", "relevance")
        for language in ("fr", "en")
    ]

    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    problem_fr = models.TextField(_("problem addressed (French)"), blank=True)
    problem_en = models.TextField(_("problem addressed (English)"), blank=True)
    commitment_fr = models.TextField(_("what is committed (French)"), blank=True)
    commitment_en = models.TextField(_("what is committed (English)"), blank=True)
    contribution_fr = models.TextField(_("how it helps (French)"), blank=True)
    contribution_en = models.TextField(_("how it helps (English)"), blank=True)
    relevance_fr = models.TextField(_("relevance to OGP values (French)"), blank=True)
    relevance_en = models.TextField(_("relevance to OGP values (English)"), blank=True)
    lead_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("lead institutions"),
        related_name="led_commitments",
        blank=True,
    )
    partners = models.ManyToManyField(
        Institution,
        verbose_name=_("partners"),
        related_name="partnered_commitments",
        blank=True,
    )
    policy_areas = models.ManyToManyField(
        PolicyArea, verbose_name=_("OGP policy areas"), blank=True
    )
    value_access_to_information = models.BooleanField(
        _("OGP value: access to information"), default=False
    )
    value_civic_participation = models.BooleanField(
        _("OGP value: civic participation"), default=False
    )
    value_public_accountability = models.BooleanField(
        _("OGP value: public accountability"), default=False
    )
    value_technology_innovation = models.BooleanField(
        _("OGP value: technology and innovation"), default=False
    )
    start = models.DateField(
        _("start"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    start_precision = models.CharField(
        _("start precision"),
        max_length=10,
        choices=Precision.choices,
        default=Precision.MONTH,
    )
    end = models.DateField(_("end"), null=True, blank=True, validators=DATE_VALIDATORS)
    end_precision = models.CharField(
        _("end precision"),
        max_length=10,
        choices=Precision.choices,
        default=Precision.MONTH,
    )
    status = models.CharField(
        _("declared status"),
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_STARTED,
        help_text=_(
            "Used only until a progress update is recorded or milestones exist."
        ),
    )
    progress = models.DecimalField(
        _("declared progress (%)"),
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=PERCENTAGE_VALIDATORS,
    )
    sources = TextListField(
        _("sources"),
        default=list,
        blank=True,
        help_text=_("Addresses or references of the sources, one per line."),
    )
    # The last day of the end period, derived on save, so that "past its end"
    # is a plain comparison in the database whatever the end's precision.
    end_by = models.DateField(_("due by"), null=True, blank=True, editable=False)
    # Kept up to date by a database trigger on PostgreSQL (French stemming,
    # accents ignored); SQLite leaves it empty and searches the text instead.
    search_vector = SearchVectorField(null=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = VersionedRecords(
        excluded_fields=["version", "end_by", "search_vector"],
        m2m_fields=[lead_institutions, partners, policy_areas],
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "number", "ogp_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="unique_commitment_number_in_plan"
            ),
            models.UniqueConstraint(
                fields=["ogp_id"],
                condition=~models.Q(ogp_id=""),
                name="unique_ogp_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.title}"

    def save(self, *args, **kwargs):
        self.end_by = dates.last_day(self.end, self.end_precision) if self.end else None
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def summary(self) -> str:
        return translated(self, "summary")

    @property
    def reference(self) -> str:
        """Return the commitment's address in its plan: its number, else its OGP id."""
        return str(self.number) if self.number is not None else self.ogp_id

    @property
    def start_label(self) -> str:
        return dates.label(self.start, self.start_precision)

    @property
    def end_label(self) -> str:
        return dates.label(self.end, self.end_precision)

    def clean(self):
        check_has_title(self)
        if self.number is None and not self.ogp_id:
            raise ValidationError(
                _("A commitment needs a number in its plan or an OGP identifier.")
            )
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end comes before the start.")})
        self._check_ogp_id_is_free()

    def _check_ogp_id_is_free(self) -> None:
        # Said here, with the commitment that holds it, rather than by the
        # database constraint's generic message.
        if not self.ogp_id:
            return
        holder = (
            Commitment.objects.filter(ogp_id=self.ogp_id)
            .exclude(pk=self.pk)
            .select_related("plan")
            .first()
        )
        if holder is not None:
            message = _(
                "%(id)s already belongs to commitment %(reference)s of plan %(plan)s."
            )
            params = {
                "id": self.ogp_id,
                "reference": holder.reference,
                "plan": holder.plan.slug,
            }
            raise ValidationError({"ogp_id": message % params})


class Milestone(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title_fr = plain_line_field(_("title (French)"), max_length=400, blank=True)
    title_en = plain_line_field(_("title (English)"), max_length=400, blank=True)
    planned_start = models.DateField(
        _("planned start"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    planned_start_precision = models.CharField(
        _("planned start precision"),
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
    )
    planned_end = models.DateField(
        _("planned end"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    planned_end_precision = models.CharField(
        _("planned end precision"),
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
    )
    revised_due = models.DateField(
        _("revised due date"),
        null=True,
        blank=True,
        help_text=_("Set when the milestone slips; the planned dates stay as planned."),
        validators=DATE_VALIDATORS,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    completed_on = models.DateField(
        _("completed on"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    deliverable = models.TextField(_("deliverable"), blank=True)
    # The day by which the milestone is due, derived on save from the revised
    # date or else the last day of the planned period, so lateness is a plain
    # indexed comparison in the database.
    due_date = models.DateField(_("due date"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = VersionedRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["commitment", "position", "id"]
        indexes = [models.Index(fields=["due_date", "status"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.due_date = self.compute_due_date()
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        milestone = super().from_db(db, field_names, values)
        # Moving a milestone changes the facts of the commitment it leaves too.
        milestone.loaded_commitment_id = milestone.__dict__.get("commitment_id")
        return milestone

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def planned_start_label(self) -> str:
        return dates.label(self.planned_start, self.planned_start_precision)

    @property
    def planned_end_label(self) -> str:
        return dates.label(self.planned_end, self.planned_end_precision)

    @property
    def has_slipped(self) -> bool:
        planned = self.planned_due_date()
        return bool(self.revised_due and planned and self.revised_due > planned)

    def planned_due_date(self):
        if self.planned_end:
            return dates.last_day(self.planned_end, self.planned_end_precision)
        if self.planned_start:
            return dates.last_day(self.planned_start, self.planned_start_precision)
        return None

    def compute_due_date(self):
        return self.revised_due or self.planned_due_date()

    def is_late(self, today=None) -> bool:
        today = today or timezone.localdate()
        open_statuses = {self.Status.NOT_STARTED, self.Status.IN_PROGRESS}
        return bool(self.due_date and self.due_date < today) and (
            self.status in open_statuses
        )

    def clean(self):
        check_has_title(self)
        if (
            self.planned_start
            and self.planned_end
            and self.planned_end < self.planned_start
        ):
            raise ValidationError(
                {"planned_end": _("The planned end comes before the planned start.")}
            )
        # A date out of range has its own message already.
        if (
            self.revised_due
            and self.planned_start
            and EARLIEST_DATE <= self.revised_due < self.planned_start
        ):
            message = _(
                "The revised due date comes before the planned start (%(start)s)."
            )
            raise ValidationError(
                {"revised_due": message % {"start": self.planned_start_label}}
            )
        if self.status == self.Status.DONE and not self.completed_on:
            self.completed_on = timezone.localdate()
        if self.completed_on and self.completed_on > timezone.localdate():
            raise ValidationError(
                {"completed_on": _("The completion date cannot be in the future.")}
            )


class ProgressUpdate(models.Model):
    """A dated report on a commitment. Once recorded it is never changed."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="updates",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    period_start = models.DateField(
        _("reporting period start"), validators=DATE_VALIDATORS
    )
    period_end = models.DateField(_("reporting period end"), validators=DATE_VALIDATORS)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    percentage = models.DecimalField(
        _("progress (%)"),
        max_digits=4,
        decimal_places=1,
        validators=PERCENTAGE_VALIDATORS,
    )
    achievements = models.TextField(
        _("what was achieved"),
        max_length=REPORT_TEXT_LENGTH,
        blank=True,
        validators=[check_written_text],
    )
    challenges = models.TextField(
        _("challenges"),
        max_length=REPORT_TEXT_LENGTH,
        blank=True,
        validators=[check_written_text],
    )
    help_wanted = models.BooleanField(
        _("help wanted"),
        default=False,
        help_text=_("Ask civil society for help with these challenges."),
    )
    author_institution = models.ForeignKey(
        Institution,
        verbose_name=_("reporting institution"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["commitment", "-recorded_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.commitment.reference} – {self.recorded_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("allow_change", False):
            raise ValidationError(
                _("A progress update cannot be changed; record a new one instead.")
            )
        super().save(*args, **kwargs)

    def clean(self):
        if (
            self.period_start
            and self.period_end
            and self.period_end < self.period_start
        ):
            raise ValidationError(
                {"period_end": _("The reporting period ends before it starts.")}
            )
        # A report covers what has happened: its period may run to the end of
        # the current one, not start in the future or end years ahead.
        today = timezone.localdate()
        if self.period_start and self.period_start > today:
            raise ValidationError(
                {"period_start": _("A reporting period cannot start in the future.")}
            )
        if self.period_end and self.period_end > today + datetime.timedelta(days=366):
            raise ValidationError(
                {"period_end": _("A reporting period ends within a year from today.")}
            )


class CommitmentFacts(models.Model):
    """What a commitment's milestones and latest update say, stored for reading.

    Derived from the milestones and progress updates and rewritten whenever
    they change (commitments/facts.py), so public pages read a few columns of
    one joined row instead of counting milestones for every commitment shown.
    Never edited by hand.
    """

    commitment = models.OneToOneField(
        Commitment,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_facts",
    )
    milestones_total = models.PositiveIntegerField(default=0)
    milestones_done = models.PositiveIntegerField(default=0)
    milestones_started = models.PositiveIntegerField(default=0)
    # The earliest due date among milestones not started or in progress: the
    # commitment has a late milestone on any day after it.
    first_open_due = models.DateField(null=True)
    latest_status = models.CharField(max_length=20, choices=Status.choices, null=True)
    latest_percentage = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    last_update_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("derived facts of a commitment")
        verbose_name_plural = _("derived facts of commitments")

    def __str__(self) -> str:
        return str(self.commitment_id)


class EvidenceLink(models.Model):
    """A link or document that backs a progress update."""

    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("progress update"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    title = plain_line_field(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=1000)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class IrmAssessment(models.Model):
    """The Independent Reporting Mechanism's assessment of one commitment."""

    class Generation(models.TextChoices):
        # The IRM changed its indicators in 2021: action plans from 2021 onward
        # are rated on "potential for results" and "early results", older ones
        # on "potential impact" and "did it open government?".
        IRM_2021 = "irm_2021", _("IRM indicators from 2021 (action plan review)")
        IRM_2014 = "irm_2014", _("IRM indicators before 2021 (progress report)")

    class Rating(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        UNCLEAR = "unclear", _("unclear")
        NONE = "none", _("none")
        LOW = "low", _("low")
        MINOR = "minor", _("minor")
        MODEST = "modest", _("modest")
        MODERATE = "moderate", _("moderate")
        SUBSTANTIAL = "substantial", _("substantial")
        HIGH = "high", _("high")
        TRANSFORMATIVE = "transformative", _("transformative")
        NOT_STARTED = "not_started", _("not started")
        LIMITED = "limited", _("limited")
        COMPLETE = "complete", _("complete")
        NO_NOTABLE = "no_notable", _("no notable results")
        MARGINAL = "marginal", _("marginal")
        SIGNIFICANT = "significant", _("significant")
        OUTSTANDING = "outstanding", _("outstanding")

    commitment = models.OneToOneField(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="irm",
    )
    generation = models.CharField(
        _("indicator generation"),
        max_length=20,
        choices=Generation.choices,
        default=Generation.IRM_2021,
    )
    verifiable = models.CharField(
        _("verifiable"), max_length=20, choices=Rating.choices, blank=True
    )
    relevant_to_ogp_values = models.CharField(
        _("relevant to OGP values"), max_length=20, choices=Rating.choices, blank=True
    )
    ambition = models.CharField(
        _("ambition or potential for results"),
        max_length=20,
        choices=Rating.choices,
        blank=True,
    )
    completion = models.CharField(
        _("completion"), max_length=20, choices=Rating.choices, blank=True
    )
    early_results = models.CharField(
        _("early results"), max_length=20, choices=Rating.choices, blank=True
    )
    source = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("IRM assessment")
        verbose_name_plural = _("IRM assessments")

    def __str__(self) -> str:
        return f"IRM – {self.commitment.reference}"
