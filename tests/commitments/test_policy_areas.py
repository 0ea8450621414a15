"""French names of the OGP policy areas named in English by plan files."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from commitments.importer import import_file
from commitments.models import PolicyArea
from commitments.policy_areas import french_name

pytestmark = pytest.mark.django_db

PLANS = Path(settings.OGP_BUNDLED_PLANS_DIR)


def load(name):
    return import_file(name, (PLANS / name).read_bytes())


def test_every_area_of_the_bundled_plans_gets_a_french_name():
    load("institutions.yaml")
    load("fr-2021-2023.yaml")
    load("fr-2023-2025.yaml")

    untranslated = PolicyArea.objects.filter(name_fr="").values_list(
        "name_en", flat=True
    )

    assert PolicyArea.objects.count() > 10
    assert list(untranslated) == []
    assert PolicyArea.objects.get(name_en="Open Data").name_fr == "Données ouvertes"


def test_a_french_page_shows_the_french_name(client):
    load("institutions.yaml")
    load("fr-2021-2023.yaml")

    french = client.get("/fr/plans/fr-2021-2023/commitments/").content.decode()
    english = client.get("/en/plans/fr-2021-2023/commitments/").content.decode()

    assert "Données ouvertes" in french
    assert "Open Data" in english


def test_an_unknown_area_keeps_its_english_name_only():
    assert french_name("Space Exploration") == ""
    assert french_name("  open DATA ") == "Données ouvertes"


def test_the_migration_names_older_areas_but_keeps_what_staff_wrote():
    PolicyArea.objects.create(slug="open-data", name_en="Open Data")
    PolicyArea.objects.create(slug="health", name_en="Health", name_fr="Santé publique")
    migration = importlib.import_module(
        "commitments.migrations.0006_policy_area_french_names"
    )

    migration.name_in_french(apps, None)

    names = dict(PolicyArea.objects.values_list("slug", "name_fr"))
    assert names == {"open-data": "Données ouvertes", "health": "Santé publique"}
