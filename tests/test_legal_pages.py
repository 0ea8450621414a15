"""Legal pages written in one language only are marked with it."""

import pytest
from django.urls import reverse
from django.utils import translation

from ogp_tracker.models import LegalPage

pytestmark = pytest.mark.django_db


def french_url(name: str) -> str:
    with translation.override("fr"):
        return reverse(name)


@pytest.mark.parametrize(
    ("kind", "url_name"),
    [
        (LegalPage.Kind.LEGAL_NOTICE, "site:legal_notice"),
        (LegalPage.Kind.ACCESSIBILITY, "site:accessibility"),
        (LegalPage.Kind.SITE_MAP, "site:site_map"),
    ],
)
def test_a_french_page_marks_the_english_text_it_falls_back_to(client, kind, url_name):
    page, _created = LegalPage.objects.get_or_create(kind=kind)
    page.title_fr, page.title_en = "", "Only in English"
    page.body_fr, page.body_en = "", "Written in English alone."
    page.save()

    html = client.get(french_url(url_name)).content.decode()

    assert '<span lang="en">Only in English</span>' in html
    assert '<div class="legal-text" lang="en">' in html or '<div lang="en">' in html
    assert "Written in English alone." in html


def test_a_french_page_in_french_needs_no_mark(client):
    page = LegalPage.objects.get(kind=LegalPage.Kind.LEGAL_NOTICE)

    html = client.get(french_url("site:legal_notice")).content.decode()

    assert f"<h1>{page.title_fr}</h1>" in html
    assert '<div class="legal-text" lang="fr">' in html
