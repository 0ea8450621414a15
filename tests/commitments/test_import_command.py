"""The import_plan command speaks the same language as the importer."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from commitments.models import ActionPlan
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
