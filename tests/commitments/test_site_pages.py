"""Site furniture and every public page together: languages, cookies, caching,
branding, legal pages, site map and error pages."""

import re

import pytest
import time_machine
from django.template.loader import get_template
from pytest_django.asserts import assertContains, assertNotContains

from ogp_tracker.models import LegalPage
from tests.commitments.public_data import NOW, build_plan, count_queries

pytestmark = pytest.mark.django_db

STATE_BRAND_MARKERS = [
    'class="fr-logo"',
    "dsfr/dist/favicon/",
    "info.gouv.fr",
    "legifrance.gouv.fr",
    "#000091",
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def data():
    return build_plan()


def public_pages(data, language: str) -> dict[str, str]:
    commitment = data.commitments[0]
    plan = f"/{language}/plans/{data.plan.slug}/"
    detail = f"{plan}commitments/{commitment.reference}/"
    return {
        "home": f"/{language}/",
        "plans": f"/{language}/plans/",
        "plan": plan,
        "plan as of": f"{plan}?as_of=2022-09-01",
        "list": f"{plan}commitments/?q=engagement",
        "detail": detail,
        "detail as of": f"{detail}?as_of=2022-09-01",
        "history": f"{detail}history/",
        "institution": f"/{language}/institutions/{data.institutions[0].slug}/",
        "site map": f"/{language}/site-map/",
        "accessibility": f"/{language}/accessibility/",
        "legal notice": f"/{language}/legal-notice/",
        "personal data": f"/{language}/personal-data/",
        "cookies": f"/{language}/cookies/",
    }


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_renders_every_public_page_in_both_languages(client, data, language):
    for name, url in public_pages(data, language).items():
        response = client.get(url)

        assert response.status_code == 200, name
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, name
        assert 'id="content"' in html, name
        assert "data-compliance" in html, name
        other = "en" if language == "fr" else "fr"
        assert f'hreflang="{other}"' in html, name


def test_it_links_each_page_to_itself_in_the_other_language(client, data):
    url = public_pages(data, "fr")["list"]

    response = client.get(url)

    assertContains(response, f'href="{url.replace("/fr/", "/en/", 1)}"')


def test_it_sends_the_page_to_come_back_to_into_the_other_language_too(client):
    url = "/fr/accounts/login/?next=/fr/profile/"
    foreign = "/fr/accounts/login/?next=//example.org/fr/"

    response = client.get(url)
    kept = client.get(foreign)

    assertContains(response, 'href="/en/accounts/login/?next=/en/profile/"')
    assertContains(kept, 'href="/en/accounts/login/?next=//example.org/fr/"')


def test_it_sets_no_cookie_on_anonymous_pages(client, data):
    for name, url in public_pages(data, "fr").items():
        response = client.get(url)

        assert response.cookies == {}, name
        assert "Set-Cookie" not in response, name


def test_it_lets_anonymous_pages_be_cached_but_always_revalidated(client, data):
    url = public_pages(data, "fr")["detail"]

    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert "public" in first["Cache-Control"]
    assert "no-cache" in first["Cache-Control"]
    assert again.status_code == 304


def test_it_shows_a_change_on_the_next_view(client, data):
    commitment = data.commitments[0]
    url = public_pages(data, "fr")["detail"]
    first = client.get(url)

    commitment.title_fr = "Un titre tout neuf"
    commitment.save()
    again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assertContains(again, "Un titre tout neuf")


def test_it_keeps_signed_in_pages_private(client, data, citizen):
    client.force_login(citizen)

    response = client.get(public_pages(data, "fr")["home"])

    assert "private" in response["Cache-Control"]


def test_it_redirects_the_root_to_the_visitors_language(client):
    french = client.get("/")
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    german = client.get("/", headers={"Accept-Language": "de"})

    assert french["Location"] == "/fr/"
    assert english["Location"] == "/en/"
    assert german["Location"] == "/fr/"
    assert "Accept-Language" in english["Vary"]


@pytest.mark.parametrize("branding", [False, True])
def test_it_shows_the_state_brand_only_when_official_branding_is_on(
    client, data, settings, branding
):
    settings.OGP_OFFICIAL_BRANDING = branding

    html = client.get("/fr/").content.decode()

    for marker in STATE_BRAND_MARKERS:
        assert (marker in html) is branding, marker
    # Neutral: the sheet that replaces Marianne and the State's blue.
    assert ("css/neutral.css" in html) is not branding
    assert f'data-branding="{"official" if branding else "neutral"}"' in html


def test_its_neutral_look_uses_no_marianne_font_and_another_colour(settings):
    sheet = (settings.BASE_DIR / "static/css/neutral.css").read_text(encoding="utf-8")

    assert "font-family: system-ui" in sheet
    assert "Marianne" not in re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)
    assert "--blue-france-sun-113-625: #00615c" in sheet


def test_it_declares_the_site_not_compliant_until_staff_change_it(client, data):
    page = LegalPage.objects.get(kind=LegalPage.Kind.ACCESSIBILITY)

    before = client.get("/fr/accessibility/")
    page.compliance = LegalPage.Compliance.PARTIAL
    page.save()
    after = client.get("/fr/accessibility/")

    assertContains(before, 'data-compliance="not"')
    assertContains(after, 'data-compliance="partial"')
    # The level lives in the field only; the page writes the sentence for it.
    assert "non conforme" not in page.body_fr


@pytest.mark.parametrize("kind", [kind for kind, _label in LegalPage.Kind.choices])
def test_it_creates_every_legal_page_with_a_default_text(kind):
    page = LegalPage.objects.get(kind=kind)

    assert page.title_fr and page.title_en
    if kind != LegalPage.Kind.SITE_MAP:
        assert page.body_fr and page.body_en


def test_it_shows_the_text_staff_wrote_sanitised(client):
    page = LegalPage.objects.get(kind=LegalPage.Kind.LEGAL_NOTICE)
    page.body_en = "## Publisher\n\n<script>alert(1)</script>Ministry **X**"
    page.save()

    response = client.get("/en/legal-notice/")

    assertContains(response, "<strong>X</strong>", html=False)
    assertNotContains(response, "<script>alert(1)</script>", html=False)


def test_it_lists_every_public_address_in_the_sitemap(client, data):
    response = client.get("/sitemap.xml")

    xml = response.content.decode()
    assert response.status_code == 200
    for commitment in data.commitments:
        assert f"/fr/plans/fr-2021-2023/commitments/{commitment.reference}/" in xml
        assert f"/en/plans/fr-2021-2023/commitments/{commitment.reference}/" in xml
    assert "/fr/accessibility/" in xml
    assert f"/en/institutions/{data.institutions[0].slug}/" in xml


def test_it_lists_the_plans(client, data):
    response = client.get("/fr/plans/")

    assertContains(response, 'data-plan="fr-2021-2023"')


def test_it_answers_unknown_addresses_with_a_404_in_the_visitors_language(client):
    french = client.get("/fr/nowhere/")
    english = client.get("/en/nowhere/")

    assert french.status_code == english.status_code == 404
    assertContains(french, '<html lang="fr"', status_code=404)
    assertContains(english, '<html lang="en"', status_code=404)


def test_its_error_page_needs_neither_request_nor_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = get_template("500.html").render({})

    assert "<h1>" in html


def test_it_sends_the_header_search_to_nothing_without_a_plan(client):
    response = client.get("/fr/search/", {"q": "x"})

    assert response.status_code == 404


def test_its_site_pages_cost_few_queries(client, data):
    # The page (the footer's accessibility level comes from the cache).
    assert count_queries(client, "/fr/accessibility/")[0] == 1
    # Plans, institutions and the site-map text.
    assert count_queries(client, "/fr/site-map/")[0] == 3
    assert count_queries(client, "/fr/plans/")[0] == 1


def test_the_footer_shows_a_new_compliance_level_at_once(client, data):
    page = LegalPage.objects.get(kind=LegalPage.Kind.ACCESSIBILITY)
    before = client.get("/en/").content.decode()

    page.compliance = LegalPage.Compliance.FULL
    page.save()
    after = client.get("/en/").content.decode()

    assert "Accessibility: not compliant" in before
    assert "Accessibility: fully compliant" in after
