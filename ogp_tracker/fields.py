"""Form fields that read the ids a request brings before any query uses them.

An id a key cannot read ("abc", "1.5") or hold (a number past 64 bits, which
Django's checks let through to the database in some lookups) must be refused
like an unknown id, never raise. The back-office (ogp_tracker.backoffice) and
public forms alike use these.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Django's message for an unknown choice repeats the value posted, which a
# script can make a megabyte long; this one names no value.
UNKNOWN_CHOICE = {
    "invalid_choice": _(
        "Select a valid choice. That choice is not one of the available choices."
    )
}


def is_readable_id(field, value) -> bool:
    """Tell whether value, as posted, is something field could store."""
    if "\x00" in str(value):
        return False
    try:
        # The validators hold the database's range for integer keys.
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False

    return True


class ReadableModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice that refuses ids its key cannot hold before any query.

    Django checks each id alone, where a number out of range finds nothing,
    then all of them together, where the same number makes the database fail.
    """

    def _check_values(self, value):
        opts = self.queryset.model._meta
        key = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for item in value:
            if not is_readable_id(key, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )

        return super()._check_values(value)
