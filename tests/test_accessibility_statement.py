"""The accessibility statement: its compliance sentence, the automated checks it
lists, and the migration that took the compliance paragraph out of its text."""

import ast
import re
from importlib import import_module
from importlib.metadata import version
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from ogp_tracker import accessibility
from ogp_tracker.markdown import split_before_first_heading
from ogp_tracker.models import LegalPage
from tests.browser.pages import make_workshop, public_pages
from tests.browser.scenario import build

pytestmark = pytest.mark.django_db

BROWSER_TESTS = Path(__file__).parent / "browser"
statement_migration = import_module(
    "ogp_tracker.migrations.0003_statement_without_compliance_text"
)
OLD_BODIES = statement_migration.OLD_BODIES
NEW_BODIES = statement_migration.NEW_BODIES


def statement() -> LegalPage:
    return LegalPage.objects.get(kind=LegalPage.Kind.ACCESSIBILITY)


def checks_section(response) -> str:
    html = response.content.decode()
    return html[html.index('id="automated-checks"') :]


@pytest.mark.parametrize(
    ("level", "french", "english"),
    [
        ("not", "<strong>non conforme</strong>", "<strong>not compliant</strong>"),
        (
            "partial",
            "<strong>partiellement conforme</strong>",
            "<strong>partially compliant</strong>",
        ),
        (
            "full",
            "<strong>totalement conforme</strong>",
            "<strong>fully compliant</strong>",
        ),
    ],
)
def test_it_writes_the_compliance_sentence_of_the_chosen_level(
    client, level, french, english
):
    page = statement()
    page.compliance = level
    page.save()

    in_french = client.get("/fr/accessibility/")
    in_english = client.get("/en/accessibility/")

    assertContains(in_french, f"Ce site est {french}", html=False)
    assertContains(in_english, f"This site is {english}", html=False)
    assertContains(in_french, f'data-compliance-sentence="{level}"')


def test_it_changes_the_sentence_at_once_when_staff_change_the_level(client):
    page = statement()
    before = client.get("/en/accessibility/")

    page.compliance = LegalPage.Compliance.PARTIAL
    page.save()
    after = client.get("/en/accessibility/")

    assertContains(before, "This site is <strong>not compliant</strong>")
    assertContains(after, "This site is <strong>partially compliant</strong>")
    assertNotContains(after, "<strong>not compliant</strong>")


def test_it_says_the_level_once_whatever_the_text_staff_kept(client):
    page = statement()
    page.compliance = LegalPage.Compliance.FULL
    page.save()

    response = client.get("/fr/accessibility/")

    assertNotContains(response, "non conforme")
    assertContains(response, "<h2>État de conformité</h2>", count=1, html=False)


def test_it_puts_the_generated_sections_after_the_opening_paragraphs(client):
    response = client.get("/fr/accessibility/")

    html = response.content.decode()
    opening = html.index("s’engage à rendre ses sites internet accessibles")
    compliance = html.index("<h2>État de conformité</h2>")
    checks = html.index('id="automated-checks"')
    remedies = html.index("<h2>Voies de recours</h2>")
    assert opening < compliance < checks < remedies


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_lists_every_page_type_the_browser_tests_check(client, language):
    response = client.get(f"/{language}/accessibility/")

    section = checks_section(response)
    with translation.override(language):
        labels = [str(label) for label in accessibility.PAGE_TYPES.values()]
        journeys = [str(j) for j in accessibility.KEYBOARD_JOURNEYS.values()]
    for label in labels + journeys:
        assert label in section, label
    assert f"axe-core {accessibility.AXE_CORE_VERSION}" in section


def test_it_says_automated_checks_do_not_replace_an_audit(client):
    french = client.get("/fr/accessibility/")
    english = client.get("/en/accessibility/")

    assert "ne remplacent pas un audit" in checks_section(french)
    assert "do not replace an audit" in checks_section(english)


def test_it_shows_the_checks_on_the_accessibility_statement_only(client):
    response = client.get("/fr/legal-notice/")

    assertNotContains(response, 'id="automated-checks"')


def test_its_page_types_are_the_ones_the_browser_tests_visit(editor):
    scenario = build(editor)
    workshop = make_workshop(scenario)

    for language in accessibility.LANGUAGES:
        addresses = public_pages(scenario, workshop, language)

        assert set(addresses) == set(accessibility.PAGE_TYPES)


def test_its_languages_are_every_language_of_the_site():
    site_languages = [code for code, _name in settings.LANGUAGES]

    assert sorted(accessibility.LANGUAGES) == sorted(site_languages)


def test_its_axe_core_version_is_the_one_installed():
    axe_package = pytest.importorskip("axe_playwright_python")
    script = Path(axe_package.__file__).with_name("axe.min.js")

    banner = script.read_text(encoding="utf-8")[:200]
    installed = re.search(r"axe v(\d+\.\d+\.\d+)", banner).group(1)

    assert installed == accessibility.AXE_CORE_VERSION
    assert version(accessibility.AXE_PACKAGE)


def test_each_keyboard_journey_has_a_keyboard_only_test():
    for module in accessibility.KEYBOARD_JOURNEYS:
        source = (BROWSER_TESTS / f"{module}.py").read_text(encoding="utf-8")

        names = [
            node.name
            for node in ast.parse(source).body
            if isinstance(node, ast.FunctionDef)
        ]

        assert any(name.startswith("test_it_lets_a_keyboard_user") for name in names)


def test_its_migration_removes_only_the_compliance_paragraph():
    for field in ("body_fr", "body_en"):
        old, new = OLD_BODIES[field], NEW_BODIES[field]

        assert len(new) < len(old)
        assert "## " in new
        assert "conforme**" not in new and "compliant**" not in new

    assert NEW_BODIES["body_fr"].count("## ") == OLD_BODIES["body_fr"].count("## ") - 1


def test_a_new_site_gets_the_statement_without_the_compliance_paragraph():
    page = statement()

    assert page.body_fr == NEW_BODIES["body_fr"]
    assert page.body_en == NEW_BODIES["body_en"]


def test_its_migration_updates_a_default_text_and_leaves_an_edited_one():
    page = statement()
    edited = OLD_BODIES["body_en"] + "\nAudit booked for June.\n"
    LegalPage.objects.filter(pk=page.pk).update(
        body_fr=OLD_BODIES["body_fr"], body_en=edited
    )

    changed = statement_migration.replace_untouched_bodies(
        LegalPage, old=OLD_BODIES, new=NEW_BODIES
    )

    page.refresh_from_db()
    assert changed == 1
    assert page.body_fr == NEW_BODIES["body_fr"]
    assert page.body_en == edited


def test_its_migration_reversed_restores_only_the_untouched_default():
    page = statement()
    edited = "## Ma déclaration\n\nRédigée par l’équipe.\n"
    LegalPage.objects.filter(pk=page.pk).update(body_fr=edited)

    changed = statement_migration.replace_untouched_bodies(
        LegalPage, old=NEW_BODIES, new=OLD_BODIES
    )

    page.refresh_from_db()
    assert changed == 1
    assert page.body_fr == edited
    assert page.body_en == OLD_BODIES["body_en"]


def test_it_splits_a_text_before_its_first_heading():
    text = "Intro.\n\nMore intro.\n\n## First\n\nBody.\n\n## Second\n"

    opening, rest = split_before_first_heading(text)

    assert opening == "Intro.\n\nMore intro.\n\n"
    assert rest == "## First\n\nBody.\n\n## Second\n"
    assert split_before_first_heading("No heading.") == ("No heading.", "")
    assert split_before_first_heading("#hashtag, not a heading") == (
        "#hashtag, not a heading",
        "",
    )
