"""The filters shared by the workshop list and the calendar file."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from commitments.models import Commitment, Institution
from ogp_tracker.validators import validate_date_in_range
from ogp_tracker.widgets import QuickSelect
from workshops import times
from workshops.models import Workshop


class WorkshopFilterForm(DsfrBaseForm):
    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", _("The end of the period comes before its start.")
            )
        return cleaned_data

    def get_context(self):
        context = super().get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = False
        return context


def _published(model, relation: str):
    """Return the rows of model linked to at least one published workshop."""
    linked = Workshop.objects.filter(
        is_published=True, **{relation: OuterRef("pk")}
    ).values("pk")
    return model.objects.filter(Exists(linked))


DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class WorkshopFilter(django_filters.FilterSet):
    commitment = django_filters.ModelChoiceFilter(
        label=_("Commitment"),
        field_name="commitments",
        # Only what an option's label needs: the texts of a commitment are long.
        queryset=lambda request: (
            _published(Commitment, "commitments")
            .only("number", "ogp_id", "title_fr", "title_en")
            .order_by("plan__slug", "number", "ogp_id")
        ),
        empty_label=_("All commitments"),
        widget=QuickSelect,
    )
    organiser = django_filters.ModelChoiceFilter(
        label=_("Institution or organisation"),
        field_name="organisers",
        to_field_name="slug",
        queryset=lambda request: _published(Institution, "organisers"),
        empty_label=_("All organisers"),
        widget=QuickSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Workshop.Kind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Workshop.Status.choices, empty_label=_("All")
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        method="filter_date_from",
        validators=[validate_date_in_range],
        widget=forms.DateInput(**DATE_WIDGET),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        method="filter_date_to",
        validators=[validate_date_in_range],
        widget=forms.DateInput(**DATE_WIDGET),
    )

    class Meta:
        model = Workshop
        fields = ["commitment", "organiser", "kind", "status", "date_from", "date_to"]
        form = WorkshopFilterForm

    def filter_date_from(self, queryset, name, value: datetime.date):
        # Compared with Paris midnight so that the index on times is used.
        return queryset.filter(ends_at__gte=times.day_start(value))

    def filter_date_to(self, queryset, name, value: datetime.date):
        next_day = value + datetime.timedelta(days=1)
        return queryset.filter(starts_at__lt=times.day_start(next_day))
