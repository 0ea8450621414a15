"""What every back-office page shares: ids from a request are read before use.

Django's admin hands some ids from a request straight to the database: the
rows ticked for a bulk action, the values an autocomplete list shows again
with a form's errors, the values of a multiple choice. An id its key cannot
read ("abc", "1.5") or hold (a number past 64 bits) then raises an error
instead of being refused like an unknown id. The mixins here keep such ids
out of every query; every admin of the site uses them, those of the
libraries too (see ogp_tracker/admin.py). They also record the history of
changes in words the catalogues translate.
"""

import copy
import logging

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist
from django.http import QueryDict
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ogp_tracker.fields import ReadableModelMultipleChoiceField, is_readable_id

logger = logging.getLogger(__name__)


class ReadableSelectionMixin:
    """Leave out of an autocomplete list the selected values its key cannot read.

    Such a list shows its selected values by looking them up; the form's own
    error ("Select a valid choice") already tells the user about the others.
    """

    def optgroups(self, name, value, attr=None):
        key = self.field.target_field
        readable = [item for item in value if is_readable_id(key, item)]
        return super().optgroups(name, readable, attr)


class ReadableAutocompleteSelect(ReadableSelectionMixin, AutocompleteSelect):
    pass


class ReadableAutocompleteSelectMultiple(
    ReadableSelectionMixin, AutocompleteSelectMultiple
):
    pass


class ReadableRelationsMixin:
    """For admins and inlines: relation fields that refuse unreadable ids."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        autocomplete = db_field.name in self.get_autocomplete_fields(request)
        if autocomplete and "widget" not in kwargs:
            kwargs["widget"] = ReadableAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        autocomplete = db_field.name in self.get_autocomplete_fields(request)
        if autocomplete and "widget" not in kwargs:
            kwargs["widget"] = ReadableAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", ReadableModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TranslatableHistoryMixin:
    """Record the changed fields of a back-office save so that they translate.

    Django stores the labels of changed fields in English ("Other names") and
    translates them when the history is read; a label is the capitalised
    field name, which the catalogues hold in lower case only ("other names"),
    so the French history showed English words. The field's own name is
    stored instead wherever the label is just that name capitalised.
    """

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        names = _field_names(form)
        for formset in formsets:
            if formset.forms:
                names.update(_field_names(formset.forms[0]))
        for entry in message:
            changed = entry.get("changed", {})
            if "fields" in changed:
                changed["fields"] = [
                    names.get(label, label) for label in changed["fields"]
                ]

        return message


def _field_names(form) -> dict[str, str]:
    """Map the English labels of form's model fields to their field names."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return {}
    names = {}
    with translation.override(None):
        for name, form_field in form.fields.items():
            try:
                verbose_name = str(model._meta.get_field(name).verbose_name)
            except (FieldDoesNotExist, AttributeError):
                continue
            label = str(form_field.label or "")
            if label and label == capfirst(verbose_name):
                names[label] = verbose_name

    return names


class ReadableIdsAdminMixin(TranslatableHistoryMixin, ReadableRelationsMixin):
    """For every ModelAdmin: unreadable ids in lists and bulk actions are refused,
    and the history of changes is recorded so that it reads in either language."""

    def get_changelist_instance(self, request):
        # Django answers a filter it cannot apply by showing the whole list
        # again (?e=1). Two kinds reach the database, or Python, first: a NUL
        # character, which PostgreSQL refuses in any text, and a year past the
        # calendar's range (?created_at__year=99999999999), which overflows.
        # The search box is left to Django, which says NULs are not allowed.
        values = [
            value
            for name, values in request.GET.lists()
            if name != SEARCH_VAR
            for value in values
        ]
        if any("\x00" in value for value in values):
            raise IncorrectLookupParameters("NUL character in the address")
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def get_search_results(self, request, queryset, search_term):
        # No stored text holds a NUL character (PostgreSQL refuses them), so a
        # search for one, as the autocomplete lists send it, finds nothing.
        if "\x00" in search_term:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_readable_id(self.opts.pk, pk) for pk in selected):
            message = _("Some selected items do not exist. No items have been changed.")
            return self._refuse_action(request, message)
        chosen = self._chosen_action(request)
        # No choice at all is Django's to answer ("No action selected").
        if chosen and chosen not in self.get_actions(request):
            message = _(
                "This action does not exist, or you may not use it. No items have "
                "been changed."
            )
            return self._refuse_action(request, message)
        across = request.POST.get("select_across") == "1"
        rows = queryset if across else queryset.filter(pk__in=selected)
        if (selected or across) and not rows.exists():
            message = _(
                "None of the selected items exists, or you may not change them. "
                "No items have been changed."
            )
            return self._refuse_action(request, message)

        return super().response_action(request, queryset)

    def _chosen_action(self, request) -> str:
        # Django's changelist has two action bars, top and bottom; "index"
        # says which one was used.
        names = request.POST.getlist("action")
        try:
            return names[int(request.POST.get("index", 0))]
        except (ValueError, IndexError):
            return ""

    def _refuse_action(self, request, message: str):
        logger.warning("bulk action refused model=%s", self.opts.label)
        self.message_user(request, message, messages.ERROR)
        # The list is shown again as to a GET, under the refusal's status.
        listing = copy.copy(request)
        listing.method = "GET"
        listing.POST = QueryDict()
        response = self.changelist_view(listing)
        if isinstance(response, TemplateResponse):
            response.status_code = 400

        return response
