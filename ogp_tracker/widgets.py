"""Form widgets shared by the public pages."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A select list whose options are written here rather than by a template each.

    Django renders every option through its own template, which costs about
    a tenth of a millisecond per option: a filter offering a thousand
    commitments took 90 ms to draw. The markup is the same, except that
    per-option attributes are not supported.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html("<select{}>", flatatt({**widget["attrs"], "name": name}))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")

        return mark_safe("".join(parts))
