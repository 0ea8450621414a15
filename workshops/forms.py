"""Forms of the public workshop pages and of the back-office."""

import datetime

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from dsfr.forms import DsfrBaseForm

from commitments.models import Commitment
from ogp_tracker.fields import UNKNOWN_CHOICE, ReadableModelMultipleChoiceField
from ogp_tracker.validators import check_written_text, is_blank
from workshops import times, uploads
from workshops.models import Document, Workshop

LOCAL_TIME_HELP = _("Paris time.")


def _upload_help() -> str:
    limit = uploads.size_label(uploads.max_upload_bytes())
    return _(
        "Either a file or a link. Accepted formats: %(formats)s. At most %(limit)s."
    ) % {
        "formats": uploads.accepted_formats_label(),
        "limit": limit,
    }


# Worked out when shown, so that the limit follows the settings and the
# visitor's language.
upload_help_text = lazy(_upload_help, str)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in Paris time, refusing times lost or doubled by DST."""

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
    )

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return times.to_local(value).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            naive = value
        else:
            try:
                naive = parse_datetime(str(value).strip())
            except ValueError:
                naive = None
            if naive is None:
                naive = forms.fields.BaseTemporalField.to_python(self, value)
        if timezone.is_aware(naive):
            return naive

        return times.localize(naive)


class LocalSplitDateTimeField(forms.SplitDateTimeField):
    """The back-office date and time pair, read in Paris time."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", admin_widgets.AdminSplitDateTime)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return times.to_local(value).replace(tzinfo=None)
        return value

    def compress(self, data_list):
        if not data_list:
            return None
        day, time = data_list
        if day in self.empty_values:
            raise ValidationError(
                self.error_messages["invalid_date"], code="invalid_date"
            )
        if time in self.empty_values:
            raise ValidationError(
                self.error_messages["invalid_time"], code="invalid_time"
            )

        return times.localize(datetime.datetime.combine(day, time))


def check_times(cleaned_data: dict, form: forms.BaseForm) -> None:
    starts_at, ends_at = cleaned_data.get("starts_at"), cleaned_data.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        form.add_error("ends_at", _("The end must come after the start."))


class DsfrModelForm(forms.ModelForm, DsfrBaseForm):
    """A model form drawn with the State design system's field markup."""

    def get_context(self):
        context = super().get_context()
        # Mark the optional fields, as the design system now recommends.
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class SubmissionForm(DsfrModelForm):
    """A civil-society organisation's report of a workshop it ran."""

    organisation = forms.ModelChoiceField(
        label=_("Your organisation"), queryset=None, empty_label=None
    )
    starts_at = LocalDateTimeField(label=_("Start"), help_text=LOCAL_TIME_HELP)
    ends_at = LocalDateTimeField(label=_("End"), help_text=LOCAL_TIME_HELP)
    commitments = ReadableModelMultipleChoiceField(
        label=_("Commitments this workshop fed"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )

    class Meta:
        model = Workshop
        fields = [
            "title",
            "kind",
            "status",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "commitments",
            "description",
            "minutes",
            "attendees",
            "organisations_represented",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 12}),
        }
        labels = {"minutes": pgettext_lazy("workshop minutes", "Report")}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["commitments"].queryset = (
            Commitment.objects.filter(plan__is_published=True)
            .select_related("plan")
            .order_by("plan__slug", "number", "ogp_id")
        )
        self.fields["commitments"].label_from_instance = commitment_label
        # A report is about something that happened; cancelling is for staff.
        self.fields["status"].choices = [
            (Workshop.Status.HELD, Workshop.Status.HELD.label),
            (Workshop.Status.PLANNED, Workshop.Status.PLANNED.label),
        ]
        self.fields["minutes"].required = True
        self.order_fields(["organisation"])

    def clean(self):
        cleaned_data = super().clean()
        check_times(cleaned_data, self)
        self._check_status_against_time(cleaned_data)
        return cleaned_data

    def _check_status_against_time(self, cleaned_data: dict) -> None:
        """Refuse a report held in the future, or planned in the past."""
        status, now = cleaned_data.get("status"), timezone.now()
        starts_at, ends_at = cleaned_data.get("starts_at"), cleaned_data.get("ends_at")
        if status == Workshop.Status.HELD and starts_at and starts_at > now:
            self.add_error(
                "starts_at",
                _(
                    "A workshop that was held has started already: correct the "
                    "date, or say it is planned."
                ),
            )
        if status == Workshop.Status.PLANNED and ends_at and ends_at < now:
            self.add_error(
                "ends_at",
                _(
                    "A planned workshop has not ended yet: correct the date, or "
                    "say it was held."
                ),
            )


class SubmittedDocumentForm(DsfrModelForm):
    """One document of a submitted report: a file or a link."""

    class Meta:
        model = Document
        fields = ["title", "kind", "language", "date", "file", "url"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "file": forms.FileInput(attrs={"accept": uploads.ACCEPT_ATTRIBUTE}),
        }

        help_texts = {"file": upload_help_text()}


class BaseSubmittedDocumentFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Document.objects.none())
        super().__init__(*args, **kwargs)


SubmittedDocumentFormSet = forms.modelformset_factory(
    Document,
    form=SubmittedDocumentForm,
    formset=BaseSubmittedDocumentFormSet,
    extra=3,
    max_num=10,
    absolute_max=10,
    validate_max=True,
)


class WorkshopAdminForm(forms.ModelForm):
    """The back-office workshop form, with the review of civil-society reports."""

    class Decision(models.TextChoices):
        PUBLISH = "publish", _("Publish the report")
        RETURN = "return", _("Return it to the submitter")

    starts_at = LocalSplitDateTimeField(label=_("starts at"), help_text=LOCAL_TIME_HELP)
    ends_at = LocalSplitDateTimeField(label=_("ends at"), help_text=LOCAL_TIME_HELP)
    decision = forms.ChoiceField(
        label=_("Review decision"),
        choices=[("", _("No decision yet")), *Decision.choices],
        error_messages=UNKNOWN_CHOICE,
        required=False,
    )
    decision_reason = forms.CharField(
        label=_("Reason for returning it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Sent to the submitter by e-mail."),
    )

    class Meta:
        model = Workshop
        fields = [
            "title",
            "kind",
            "status",
            "cancellation_reason",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "organisers",
            "commitments",
            "milestones",
            "description",
            "agenda",
            "minutes",
            "attendees",
            "organisations_represented",
            "is_published",
        ]

    def __init__(self, *args, own_institution_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        # None means every organiser is allowed (coordinators).
        self.own_institution_ids = own_institution_ids
        milestones = self.fields.get("milestones")
        if milestones is not None:
            milestones.queryset = milestones.queryset.select_related("commitment")
            milestones.label_from_instance = milestone_label

    def clean(self):
        cleaned_data = super().clean()
        check_times(cleaned_data, self)
        organisers = cleaned_data.get("organisers")
        own = self.own_institution_ids
        if own is not None and not {o.pk for o in organisers or []} & own:
            self.add_error(
                "organisers", _("Include at least one of your own institutions.")
            )
        decision = cleaned_data.get("decision")
        if decision and self.own_institution_ids is not None:
            self.add_error("decision", _("Only coordinators review submissions."))
        elif decision and not self.instance.is_submission:
            self.add_error("decision", _("Only submitted reports are reviewed."))
        reason = cleaned_data.get("decision_reason", "")
        if decision == self.Decision.RETURN and (
            not reason.strip() or is_blank(reason)
        ):
            self.add_error(
                "decision_reason",
                _("Say why the report is returned: the submitter will read it."),
            )
        elif reason:
            try:
                check_written_text(reason)
            except ValidationError as error:
                self.add_error("decision_reason", error)
        return cleaned_data


def commitment_label(commitment) -> str:
    """Name a commitment with its plan, since numbers restart in every plan."""
    return f"{commitment.plan.slug} · {commitment.reference} – {commitment.title}"


def milestone_label(milestone) -> str:
    return f"{milestone.commitment.reference} – {milestone.title}"


class DocumentAdminForm(forms.ModelForm):
    class Meta:
        model = Document
        help_texts = {"file": upload_help_text()}
        fields = [
            "title",
            "kind",
            "language",
            "date",
            "producer",
            "workshop",
            "commitments",
            "milestones",
            "file",
            "url",
            "is_published",
        ]

    def __init__(self, *args, own_institution_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_institution_ids = own_institution_ids
        milestones = self.fields.get("milestones")
        if milestones is not None:
            milestones.queryset = milestones.queryset.select_related("commitment")
            milestones.label_from_instance = milestone_label

    def clean(self):
        cleaned_data = super().clean()
        workshop = cleaned_data.get("workshop")
        if "workshop" in self.fields and not (
            workshop
            or cleaned_data.get("commitments")
            or cleaned_data.get("milestones")
        ):
            self.add_error(
                None, _("Link the document to a workshop, a commitment or a milestone.")
            )
        own = self.own_institution_ids
        if own is not None:
            producer = cleaned_data.get("producer")
            organiser_ids = (
                {o.pk for o in workshop.organisers.all()} if workshop else set()
            )
            if not ((producer and producer.pk in own) or organiser_ids & own):
                self.add_error(
                    "producer",
                    _(
                        "Choose one of your own institutions as the producer, "
                        "or a workshop it organises."
                    ),
                )
        return cleaned_data
