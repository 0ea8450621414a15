"""The import_plan command, and the importer answering what it is given."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from commitments.importer import ImportFailed, import_file
from commitments.models import ActionPlan, Commitment
from tests.commitments.test_import import PLAN_YAML

pytestmark = pytest.mark.django_db


def test_it_reports_a_dry_run_in_french(tmp_path, capsys):
    good = tmp_path / "plan.yaml"
    good.write_text(PLAN_YAML)

    with translation.override("fr"):
        call_command("import_plan", str(good), "--dry-run")

    last_line = capsys.readouterr().out.splitlines()[-1]
    assert last_line.startswith(f"{good} : essai, rien n’a été écrit : ")
    assert "à créer" in last_line
    assert not ActionPlan.objects.exists()


@pytest.mark.parametrize(
    ("language", "ending"),
    [
        ("fr", " : 1 erreur ; rien n’a été importé."),
        ("en", ": 1 error; nothing was imported."),
    ],
)
def test_it_counts_the_errors_in_the_importer_s_language(tmp_path, language, ending):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PLAN_YAML.replace("2021-12", "2021-13"))

    with translation.override(language), pytest.raises(CommandError) as failure:
        call_command("import_plan", str(bad))

    assert str(failure.value) == f"{bad}{ending}"


TWO_COMMITMENTS = b"""
plan: {slug: test-plan, title_fr: Plan de test}
commitments:
- {number: 1, ogp_id: FR9001, title_fr: Un}
- {number: 4, ogp_id: FR9004, title_fr: Quatre}
"""


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_number_given_another_commitment_s_identifier_is_refused(in_english, dry_run):
    import_file("plan.yaml", TWO_COMMITMENTS)
    swapped = b"""
plan: {slug: test-plan, title_fr: Plan de test}
commitments:
- {number: 1, ogp_id: FR9004, title_fr: Un}
"""

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", swapped, dry_run=dry_run)

    assert failure.value.errors == [
        "commitment 1 (no. 1), field ogp_id: FR9004 is the OGP identifier of "
        "commitment no. 4; one identifier names one commitment."
    ]
    assert dict(Commitment.objects.values_list("number", "ogp_id")) == {
        1: "FR9001",
        4: "FR9004",
    }
