"""Back-office forms for plans, commitments, milestones and progress updates."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from commitments import services
from commitments.models import (
    ActionPlan,
    Commitment,
    Milestone,
    ProgressUpdate,
)
from ogp_tracker.validators import PLAIN_NUMBER


def _label(model, name: str):
    """Return a model field's label as the admin shows it (lazy, capitalised)."""
    return capfirst(model._meta.get_field(name).verbose_name)


class PercentageField(forms.DecimalField):
    """A percentage from 0 to 100 that accepts "62,5" as well as "62.5".

    French staff type a decimal comma whatever language the page is in, so the
    comma is accepted in every language, and a trailing "%" is tolerated.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 4)
        kwargs.setdefault("decimal_places", 1)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", Decimal(100))
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("size", 6)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
            # Python reads "1e2" and digits of other scripts as numbers; a
            # percentage is written with 0 to 9 and one decimal separator.
            if value and not PLAIN_NUMBER.fullmatch(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if "," in value and "." not in value:
                value = value.replace(",", ".")

        return super().to_python(value)


class VersionedModelForm(forms.ModelForm):
    """Carry the version the form was loaded from, and refuse a stale save.

    The hidden ``base_version`` holds the object's version when the page was
    opened. On save, the object's row is locked (until the admin's transaction
    ends) and compared with it: if someone else saved in between, the form gets
    a conflict error and nothing is written. A form whose fields are all
    unchanged is not checked, so an untouched inline never blocks a save.
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("base_version", self.instance.version)
        self.edit_conflict = False

    @cached_property
    def changed_data(self) -> list[str]:
        # The version differs whenever someone else saved; that alone is not a
        # change made in this form.
        return [name for name in super().changed_data if name != "base_version"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or self.instance._state.adding:
            return cleaned
        if not self.has_changed():
            return cleaned
        try:
            services.check_version(self.instance, cleaned.get("base_version"))
        except services.EditConflict as conflict:
            self.edit_conflict = True
            raise ValidationError(str(conflict), code="conflict") from None

        return cleaned


class ActionPlanForm(VersionedModelForm):
    class Meta:
        model = ActionPlan
        fields = [
            "slug",
            "country",
            "title_fr",
            "title_en",
            "start",
            "start_precision",
            "end",
            "end_precision",
            "announced_commitments",
            "sources",
            "is_published",
        ]


class CommitmentForm(VersionedModelForm):
    progress = PercentageField(label=_label(Commitment, "progress"), initial=0)

    class Meta:
        model = Commitment
        fields = [
            "plan",
            "number",
            "ogp_id",
            "ogp_id_inferred",
            "title_fr",
            "title_en",
            "title_fr_is_translation",
            "summary_fr",
            "summary_en",
            "problem_fr",
            "problem_en",
            "commitment_fr",
            "commitment_en",
            "contribution_fr",
            "contribution_en",
            "relevance_fr",
            "relevance_en",
            "lead_institutions",
            "partners",
            "policy_areas",
            "value_access_to_information",
            "value_civic_participation",
            "value_public_accountability",
            "value_technology_innovation",
            "start",
            "start_precision",
            "end",
            "end_precision",
            "status",
            "progress",
            "sources",
        ]


class MilestoneForm(VersionedModelForm):
    """A milestone; its planned dates are a baseline, fixed once known.

    Slippage is recorded as a revised due date so that the public can compare
    what was planned with what happened; overwriting the plan would hide it.
    """

    BASELINE = {
        "planned_start": "planned_start_precision",
        "planned_end": "planned_end_precision",
    }

    class Meta:
        model = Milestone
        fields = [
            "commitment",
            "position",
            "title_fr",
            "title_en",
            "planned_start",
            "planned_start_precision",
            "planned_end",
            "planned_end_precision",
            "revised_due",
            "status",
            "completed_on",
            "deliverable",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for date_field, precision_field in self.BASELINE.items():
            if getattr(self.instance, date_field, None) is None:
                continue
            for name in (date_field, precision_field):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Planned dates are the baseline and cannot be changed; "
                        "set a revised due date instead."
                    )

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        # A fixed baseline date saved before dates were range-checked cannot
        # be corrected here; checking it again would block every other change.
        exclusions.update(
            name
            for name in self.BASELINE
            if name in self.fields and self.fields[name].disabled
        )

        return exclusions


class ProgressUpdateForm(forms.ModelForm):
    """A new progress update. The admin sets request_user on a subclass."""

    request_user = None
    percentage = PercentageField(label=_label(ProgressUpdate, "percentage"))

    class Meta:
        model = ProgressUpdate
        fields = [
            "commitment",
            "period_start",
            "period_end",
            "status",
            "percentage",
            "achievements",
            "challenges",
            "help_wanted",
            "author_institution",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "author_institution" not in self.fields:
            return
        field = self.fields["author_institution"]
        field.queryset = services.reporting_institutions(
            user=self.request_user, commitment=self.chosen_commitment()
        )
        if not self.is_bound:
            choices = list(field.queryset[:2])
            if len(choices) == 1:
                self.initial["author_institution"] = choices[0].pk

    def chosen_commitment(self) -> Commitment | None:
        """Return the commitment picked so far, if it is one the user may edit."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("commitment"))
        else:
            value = self.initial.get("commitment")
        if not value or "commitment" not in self.fields:
            return None
        try:
            return self.fields["commitment"].queryset.filter(pk=value).first()
        except (ValueError, TypeError, ValidationError):
            return None

    def clean(self):
        cleaned = super().clean()
        commitment = cleaned.get("commitment")
        institution = cleaned.get("author_institution")
        if commitment is None or institution is None:
            return cleaned
        allowed = services.reporting_institutions(
            user=self.request_user, commitment=commitment
        )
        if not allowed.filter(pk=institution.pk).exists():
            self.add_error(
                "author_institution",
                _("Choose one of your institutions that leads this commitment."),
            )

        return cleaned
