"""The quick select list writes what Django's own select list writes."""

import re

import pytest
from django import forms
from django.test.html import parse_html

from ogp_tracker.widgets import QuickSelect

CHOICES = [
    ("", "All"),
    ("1", "Open data & <b>access</b>"),
    ("Plan 2023", [("2", "Second « deux »"), ("3", "Third")]),
]


@pytest.mark.parametrize("value", [None, "", "1", "3", "missing"])
def test_it_writes_the_same_options_as_djangos_select(value):
    attrs = {"id": "id_commitment", "class": "fr-select", "required": True}
    django_html = forms.Select(attrs=attrs, choices=CHOICES).render("c", value)
    quick_html = QuickSelect(attrs=attrs, choices=CHOICES).render("c", value)

    assert parse_html(quick_html) == parse_html(django_html)


def test_it_escapes_labels_and_values():
    html = QuickSelect(choices=[('"><script>', "<script>")]).render("c", None)

    assert "<script>" not in html
    assert re.search(r'value="&quot;&gt;&lt;script&gt;"', html)
