"""An institution's names: readable, its own, and found by the importer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.importer import ImportFailed, import_file
from commitments.models import Commitment, Institution
from tests.commitments.admin_client import admin_url, form_data
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

PLAN_YAML = """
plan:
  slug: test-plan
  title_fr: Plan de test
commitments:
- number: 1
  title_fr: Premier engagement
  lead_institutions: [{lead}]
"""


@pytest.fixture
def ditp():
    return InstitutionFactory(
        slug="ditp",
        acronym="DITP",
        name_fr="Direction interministérielle de la transformation publique",
        name_en="Interministerial Directorate for Public Transformation",
    )


@pytest.fixture
def afd():
    return InstitutionFactory(
        slug="afd",
        acronym="AFD",
        name_fr="Agence française de développement",
        name_en="French Development Agency",
    )


def post_institution(client, user, institution, **changes):
    client.force_login(user)
    url = admin_url("institution_change", institution.pk)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def field_errors(response, field: str) -> list[str]:
    return response.context["adminform"].form.errors.get(field, [])


def lead_of_imported_commitment(lead: str) -> Institution:
    import_file("plan.yaml", PLAN_YAML.format(lead=lead).encode())
    return Commitment.objects.get().lead_institutions.get()


# Readable aliases ----------------------------------------------------------------


@pytest.mark.parametrize("alias", ["evil\u202eexe.pdf", "\u2066AFD\u2069", "\u3164"])
def test_it_refuses_an_alias_that_disguises_itself_or_shows_nothing(
    client, coordinator, afd, back_office_in_english, alias
):
    response = post_institution(
        client, coordinator, afd, aliases=f"Agence française\n{alias}"
    )

    assert response.status_code == 400
    [error] = field_errors(response, "aliases")
    assert error.startswith("Item 2: ")
    assert Institution.objects.get(pk=afd.pk).aliases == []


def test_it_names_the_alias_in_french_by_default(client, coordinator, afd):
    response = post_institution(client, coordinator, afd, aliases="x\u202ey")

    [error] = field_errors(response, "aliases")
    assert error.startswith("Élément 1\u00a0: Retirez les caractères invisibles")


def test_the_import_refuses_such_an_alias_too(in_english):
    text = 'institutions:\n- slug: x\n  name_fr: X\n  aliases: ["a\u202eb"]\n'

    with pytest.raises(ImportFailed) as failure:
        import_file("institutions.yaml", text.encode())

    assert failure.value.errors[0].startswith(
        "institution x, field aliases: Item 1: Remove the invisible characters"
    )
    assert not Institution.objects.exists()


# Names of one institution only ---------------------------------------------------


def test_it_refuses_an_alias_that_names_another_institution(
    client, coordinator, ditp, afd, back_office_in_english
):
    response = post_institution(client, coordinator, afd, aliases="Agence\nDITP")

    assert response.status_code == 400
    assert field_errors(response, "aliases") == [
        "“DITP” already names another institution, Interministerial Directorate "
        "for Public Transformation (ditp); imported plans could not tell them "
        "apart."
    ]
    assert Institution.objects.get(pk=afd.pk).aliases == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("acronym", "ditp"),
        ("name_fr", "DIRECTION interministerielle de la transformation publique"),
        ("name_en", "Interministerial directorate for public transformation."),
        ("slug", "ditp-"),
    ],
)
def test_it_refuses_a_name_another_institution_goes_by(
    client, coordinator, ditp, afd, back_office_in_english, field, value
):
    response = post_institution(client, coordinator, afd, **{field: value})

    assert response.status_code == 400
    assert field_errors(response, field)
    assert Institution.objects.get(pk=afd.pk).acronym == "AFD"


def test_it_refuses_an_acronym_another_institution_has_as_alias(
    client, coordinator, ditp, afd, back_office_in_english
):
    afd.aliases = ["Agence (ADF)", "ADF"]
    afd.save()

    response = post_institution(client, coordinator, ditp, acronym="adf")

    assert response.status_code == 400
    [error] = field_errors(response, "acronym")
    assert "French Development Agency (afd)" in error


def test_it_lets_an_institution_repeat_its_own_names(client, coordinator, ditp):
    response = post_institution(
        client, coordinator, ditp, aliases="DITP\nditp\nDirection (DITP)"
    )

    assert response.status_code == 302
    assert Institution.objects.get(pk=ditp.pk).aliases == [
        "DITP",
        "ditp",
        "Direction (DITP)",
    ]


# Matching a plan's names ---------------------------------------------------------


def test_the_import_prefers_a_slug_or_acronym_to_another_alias(ditp, afd):
    # Saved before the back-office refused such an alias.
    Institution.objects.filter(pk=afd.pk).update(aliases=["DITP"])

    assert lead_of_imported_commitment("DITP") == ditp


def test_the_import_prefers_a_name_to_another_alias(ditp, afd):
    Institution.objects.filter(pk=afd.pk).update(
        aliases=["Direction interministérielle de la transformation publique"]
    )

    lead = lead_of_imported_commitment(
        "Direction interministérielle de la transformation publique"
    )

    assert lead == ditp


def test_the_import_still_finds_an_institution_by_its_alias(ditp, afd):
    Institution.objects.filter(pk=afd.pk).update(aliases=["French Agency"])

    assert lead_of_imported_commitment("french agency") == afd


def test_the_import_refuses_a_name_two_institutions_share(ditp, afd, in_english):
    InstitutionFactory(slug="ditp-2", aliases=["Transformation"])
    Institution.objects.filter(pk=afd.pk).update(aliases=["TRANSFORMATION"])

    with pytest.raises(ImportFailed) as failure:
        lead_of_imported_commitment("Transformation")

    assert failure.value.errors == [
        "commitment 1 (no. 1), field lead_institutions: 'Transformation' names "
        "several institutions (afd, ditp-2); write the slug of the one meant."
    ]
    assert not Commitment.objects.exists()


def test_the_import_refuses_two_entries_of_one_file_sharing_a_name(in_english):
    text = (
        "institutions:\n- slug: one\n  name_fr: Une\n  aliases: [Commune]\n"
        "- slug: two\n  name_fr: Deux\n  aliases: [COMMUNE]\n"
    )

    with pytest.raises(ImportFailed) as failure:
        import_file("institutions.yaml", text.encode())

    assert (
        "“COMMUNE” already names another institution, Une (one)"
        in (failure.value.errors[0])
    )
    assert not Institution.objects.exists()


def test_the_import_checks_names_without_reading_every_institution_per_entry(ditp):
    entries = "".join(
        f"- slug: inst-{n}\n  name_fr: Institution {n}\n  aliases: [Inst {n}]\n"
        for n in range(5)
    )

    with CaptureQueriesContext(connection) as queries:
        import_file("institutions.yaml", f"institutions:\n{entries}".encode())

    # One read of them all when the import starts, then one by slug per entry.
    reads = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and 'FROM "commitments_institution"' in query["sql"]
    ]
    assert len(reads) == 1 + 5
    assert Institution.objects.count() == 6


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("!!!", "'!!!' holds no letter or digit: it names nothing."),
        ("Area \u202e", "Remove the invisible characters that force the direction"),
    ],
)
def test_the_import_refuses_a_name_that_names_nothing_or_disguises_itself(
    in_english, name, message
):
    text = PLAN_YAML.format(lead="x") + f'  partners: ["{name}"]\n'

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", text.encode())

    assert failure.value.errors[0].startswith("commitment 1 (no. 1), field partners: ")
    assert message in failure.value.errors[0]
    assert not Institution.objects.exists()


def test_the_import_gives_a_new_institution_a_slug_the_back_office_accepts():
    import_file("plan.yaml", PLAN_YAML.format(lead='"Bureau_des -_ Données"').encode())

    institution = Institution.objects.get()
    assert institution.slug == "bureau-des-donnees"
    institution.full_clean()
