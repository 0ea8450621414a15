"""Lists of short texts stored as JSON: other names of an institution, sources.

The importer matches names against these lists and pages show them item by
item, so each must be a list of non-empty texts and nothing else. Staff edit
one item per line rather than writing JSON; the model checks the list again
so that imports and scripts are held to the same rule.

Lists saved before this check may hold anything JSON can (a number, nested
lists, a mapping). They are read as their non-empty texts only, so that pages
and the importer never meet another value, and the next save stores the list
as read.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _


def validate_text_list(value) -> None:
    """Refuse anything but a list of non-empty texts without NUL characters."""
    if not isinstance(value, list):
        raise ValidationError(
            _("Enter a list of texts, one per line."), code="not_a_list"
        )
    for position, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(
                _("Item %(position)d is not a text, or is empty."),
                code="not_a_text",
                params={"position": position},
            )
        # PostgreSQL cannot store the NUL character in a JSON text.
        if "\x00" in item:
            raise ValidationError(
                _(
                    "Item %(position)d contains a NUL character, which text "
                    "cannot hold."
                ),
                code="null_characters_not_allowed",
                params={"position": position},
            )


class LinesField(forms.CharField):
    """Edits a list of texts as a text area, one item per line; blank lines go."""

    widget = forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        # The text as posted, when a refused form is shown again.
        return "" if value is None else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
        # CharField's validators (NUL characters) read one text: each line.
        for line in value:
            super().run_validators(line)


class TextListField(models.JSONField):
    """A JSON list of non-empty texts, empty when nothing is given."""

    default_validators = [validate_text_list]

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        # A lookup inside the list (aliases__0) reads one item, not the list.
        if isinstance(expression, KeyTransform):
            return value
        if not isinstance(value, list):
            return []
        return [item for item in value if isinstance(item, str) and item.strip()]

    def pre_save(self, model_instance, add):
        # "No value" in any form (null, "", {}) is stored as the empty list,
        # since the column cannot hold null.
        value = super().pre_save(model_instance, add)
        if value in (None, "", {}):
            value = []
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        # JSONField's own form field would ask for raw JSON.
        return models.Field.formfield(self, **{"form_class": LinesField, **kwargs})
