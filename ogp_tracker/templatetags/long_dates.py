"""The long_date filter, loaded in every template (see TEMPLATES in settings)."""

from django import template

from ogp_tracker import formats

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def long_date(value, format_name: str = "DATE_FORMAT") -> str:
    """Write a date or time in words, in the active language: "1er janvier 2022"."""
    return formats.long_date(value, format_name)
