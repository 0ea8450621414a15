import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from commitments.importer import ImportFailed, import_file
from commitments.models import ActionPlan, Commitment, Institution, Milestone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

PLANS = Path(settings.OGP_BUNDLED_PLANS_DIR)


def load(name):
    return import_file(name, (PLANS / name).read_bytes())


def database_state():
    """Return everything an import may touch, to compare before and after."""
    return (
        list(Commitment.objects.values().order_by("pk")),
        list(Milestone.objects.values().order_by("pk")),
        list(Institution.objects.values().order_by("pk")),
        Commitment.history.count(),
        Milestone.history.count(),
    )


PLAN_YAML = """
plan:
  slug: test-plan
  title_fr: Plan de test
  start: 2021-09
commitments:
- number: 1
  ogp_id: FR9001
  title_fr: Premier engagement
  lead_institutions: [Ministère A]
  progress: "62,5"
  milestones:
  - title_fr: Jalon un
    start: 2021-12
"""


def test_it_imports_the_real_2021_2023_plan():
    load("institutions.yaml")

    report = load("fr-2021-2023.yaml")

    plan = ActionPlan.objects.get(slug="fr-2021-2023")
    assert plan.commitments.count() == 21
    assert Milestone.objects.filter(commitment__plan=plan).count() == 22
    outiller = plan.commitments.get(number=38)
    assert outiller.title_fr == "Outiller le Gouvernement ouvert"
    assert outiller.ogp_id == "FR0088"
    assert set(outiller.lead_institutions.values_list("slug", flat=True)) == {
        "ditp",
        "mtfp",
    }
    milestone = outiller.milestones.get()
    assert milestone.planned_start == datetime.date(2021, 12, 1)
    assert milestone.planned_start_precision == "month"
    assert milestone.due_date == datetime.date(2021, 12, 31)
    assert report.count("create") > 21


def test_it_imports_the_real_2023_2025_plan_without_numbers():
    load("fr-2023-2025.yaml")

    plan = ActionPlan.objects.get(slug="fr-2023-2025")

    assert sorted(plan.commitments.values_list("ogp_id", flat=True)) == [
        "FR0110",
        "FR0111",
        "FR0112",
        "FR0114",
        "FR0120",
    ]
    assert not plan.commitments.filter(number__isnull=False).exists()


def test_re_importing_the_same_file_changes_nothing():
    load("institutions.yaml")
    load("fr-2021-2023.yaml")
    before = database_state()

    report = load("fr-2021-2023.yaml")

    assert not report.has_changes
    assert database_state() == before


def test_a_changed_file_updates_in_place_and_leaves_history():
    import_file("plan.yaml", PLAN_YAML.encode())
    commitment = Commitment.objects.get(number=1)
    rows_before = commitment.history.count()

    changed = PLAN_YAML.replace("Premier engagement", "Engagement renommé")
    report = import_file("plan.yaml", changed.encode())

    commitment.refresh_from_db()
    assert commitment.title_fr == "Engagement renommé"
    assert commitment.history.count() == rows_before + 1
    assert commitment.history.first().history_change_reason == "import"
    assert [
        change.fields for change in report.changes if change.action == "update"
    ] == [["title_fr"]]


def test_a_re_import_keeps_what_staff_added_in_the_back_office():
    import_file("plan.yaml", PLAN_YAML.encode())
    milestone = Milestone.objects.get()
    milestone.revised_due = datetime.date(2022, 3, 31)
    milestone.save()

    report = import_file("plan.yaml", PLAN_YAML.encode())

    milestone.refresh_from_db()
    assert milestone.revised_due == datetime.date(2022, 3, 31)
    assert not report.has_changes


def test_a_re_import_keeps_titles_and_dates_the_file_leaves_out():
    import_file("plan.yaml", PLAN_YAML.encode())
    commitment = Commitment.objects.get(number=1)
    commitment.title_en = "First commitment"
    commitment.save()
    milestone = Milestone.objects.get()
    milestone.title_en = "Milestone one"
    milestone.planned_end = datetime.date(2022, 6, 1)
    milestone.save()

    report = import_file("plan.yaml", PLAN_YAML.encode())

    commitment.refresh_from_db()
    milestone.refresh_from_db()
    assert commitment.title_en == "First commitment"
    assert (milestone.title_en, milestone.planned_end) == (
        "Milestone one",
        datetime.date(2022, 6, 1),
    )
    assert milestone.title_fr == "Jalon un"
    assert not report.has_changes


def test_a_re_import_keeps_the_ogp_id_and_plan_fields_the_file_leaves_out():
    import_file("plan.yaml", PLAN_YAML.encode())
    plan = ActionPlan.objects.get()
    plan.title_en = "Test plan"
    plan.announced_commitments = 12
    plan.sources = ["https://example.org/plan"]
    plan.save()
    without_id = PLAN_YAML.replace("  ogp_id: FR9001\n", "")
    assert without_id != PLAN_YAML

    import_file("plan.yaml", without_id.encode())

    plan.refresh_from_db()
    assert Commitment.objects.get(number=1).ogp_id == "FR9001"
    assert (plan.title_en, plan.announced_commitments, plan.sources) == (
        "Test plan",
        12,
        ["https://example.org/plan"],
    )


def test_it_accepts_a_french_decimal_comma():
    import_file("plan.yaml", PLAN_YAML.encode())

    assert str(Commitment.objects.get(number=1).progress) == "62.5"


def test_a_dry_run_writes_nothing():
    report = import_file("plan.yaml", PLAN_YAML.encode(), dry_run=True)

    assert report.count("create") >= 3
    assert not ActionPlan.objects.exists()
    assert not Institution.objects.exists()


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("start: 2021-12\n", "start: 2021-13\n"),
        ('progress: "62,5"', 'progress: "120"'),
        ('progress: "62,5"', 'progress: "lots"'),
        ('progress: "62,5"', "progress: 1e2"),
        ('progress: "62,5"', 'progress: "+50"'),
        ('progress: "62,5"', 'progress: "\u0665\u0660"'),
        ("number: 1", "number: one"),
        ("lead_institutions: [Ministère A]", "lead_institutions: 12"),
        ("title_fr: Premier engagement", "titre: Premier engagement"),
    ],
)
def test_a_bad_value_is_named_and_nothing_is_written(broken, expected):
    load("institutions.yaml")
    before = database_state()

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", PLAN_YAML.replace(broken, expected).encode())

    assert database_state() == before
    assert "commitment 1" in failure.value.errors[0]
    assert "field" in failure.value.errors[0]


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("3000000000", "'3000000000' is out of range: write a whole number from 1 to"),
        ("-5", "'-5' is out of range"),
        ("0", "'0' is out of range"),
        ("2.5", "'2.5' is not a whole number."),
    ],
)
def test_it_refuses_numbers_a_public_address_cannot_hold(number, message):
    with pytest.raises(ImportFailed) as failure:
        import_file(
            "plan.yaml", PLAN_YAML.replace("number: 1", f"number: {number}").encode()
        )

    assert message in failure.value.errors[0]
    assert not ActionPlan.objects.exists()


def test_it_accepts_the_largest_number_a_public_address_holds(client):
    text = PLAN_YAML.replace("number: 1", "number: 999999999")
    import_file("plan.yaml", text.encode())

    response = client.get("/fr/plans/test-plan/commitments/999999999/")

    assert response.status_code == 200


def test_it_refuses_duplicate_numbers_in_a_plan():
    duplicated = PLAN_YAML + PLAN_YAML.split("commitments:\n")[1].replace(
        "FR9001", "FR9002"
    )

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", duplicated.encode())

    assert any("number 1 is already used" in error for error in failure.value.errors)
    assert not ActionPlan.objects.exists()


def test_it_refuses_an_unknown_institution_kind():
    text = "institutions:\n- slug: x\n  kind: kingdom\n  name_fr: X\n"

    with pytest.raises(ImportFailed) as failure:
        import_file("institutions.yaml", text.encode())

    assert "kind" in failure.value.errors[0]
    assert not Institution.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.yaml", b""),
        ("plan.yaml", b"   \n"),
        ("plan.yaml", b"plan: [unclosed"),
        ("plan.yaml", b"just a sentence"),
        ("plan.yaml", b"\xff\xfe\x00binary"),
        ("plan.csv", b"a,b\n1,2\n"),
    ],
)
def test_it_refuses_files_that_are_not_plans(name, content):
    with pytest.raises(ImportFailed):
        import_file(name, content)

    assert not ActionPlan.objects.exists()


def test_a_later_error_rolls_back_earlier_rows():
    import_file("plan.yaml", PLAN_YAML.encode())
    other_plan = PLAN_YAML.replace("test-plan", "other-plan")

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", other_plan.encode())

    assert "FR9001 already belongs to plan test-plan" in failure.value.errors[0]
    assert not ActionPlan.objects.filter(slug="other-plan").exists()


CSV_FILE = (
    "plan;record;number;title_fr;lead_institutions;start;progress;revised_due\n"
    "test-plan;commitment;1;Premier engagement;Ministère A|Ministère B;2021-09;40,5;\n"
    "test-plan;milestone;1;Jalon un;;2021-12;;2022-01-31\n"
)


def test_it_imports_the_spreadsheet_variant():
    import_file("plan.yaml", PLAN_YAML.encode())

    import_file("plan.csv", CSV_FILE.encode("utf-8-sig"))

    commitment = Commitment.objects.get(number=1)
    assert commitment.lead_institutions.count() == 2
    assert str(commitment.progress) == "40.5"
    milestone = commitment.milestones.get(position=1)
    assert milestone.revised_due == datetime.date(2022, 1, 31)
    assert milestone.has_slipped


def test_the_spreadsheet_variant_names_the_row_of_an_error():
    import_file("plan.yaml", PLAN_YAML.encode())
    broken = CSV_FILE.replace("2022-01", "2022-13")

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.csv", broken.encode())

    assert failure.value.errors[0].startswith("row 3")


def test_the_spreadsheet_variant_needs_an_existing_plan():
    with pytest.raises(ImportFailed) as failure:
        import_file("plan.csv", CSV_FILE.encode())

    assert "test-plan" in failure.value.errors[0]


def test_the_command_prints_a_dry_run_and_exits_non_zero_on_errors(tmp_path, capsys):
    good = tmp_path / "plan.yaml"
    good.write_text(PLAN_YAML)
    bad = tmp_path / "bad.yaml"
    bad.write_text(PLAN_YAML.replace("2021-12", "2021-13"))

    call_command("import_plan", str(good), "--dry-run")
    assert "dry run" in capsys.readouterr().out
    assert not ActionPlan.objects.exists()

    with pytest.raises(CommandError):
        call_command("import_plan", str(bad))
    assert "2021-13" in capsys.readouterr().err
    assert not ActionPlan.objects.exists()


def test_bundled_plans_load_once():
    call_command("load_bundled_plans")
    counts = Commitment.objects.count(), Commitment.history.count()

    call_command("load_bundled_plans")

    assert counts == (26, 26)
    assert (Commitment.objects.count(), Commitment.history.count()) == counts


@pytest.mark.parametrize("date", ["2021-02-30", "2021-13-01"])
def test_an_unquoted_impossible_date_is_named_like_any_other(date):
    text = PLAN_YAML.replace("start: 2021-12\n", f"start: {date}\n")

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", text.encode())

    assert date in failure.value.errors[0]
    assert not ActionPlan.objects.exists()


def test_unquoted_full_dates_are_read(in_english):
    text = PLAN_YAML.replace("start: 2021-12\n", "start: 2021-12-17\n")

    import_file("plan.yaml", text.encode())

    assert Milestone.objects.get().planned_start == datetime.date(2021, 12, 17)


def test_it_names_a_model_refusal_in_french():
    long_name = "Ministère " + "x" * 400
    text = PLAN_YAML.replace("Ministère A", long_name)

    with translation.override("fr"), pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", text.encode())

    assert ", champ name_fr\u00a0: " in failure.value.errors[0]
    assert ", field " not in failure.value.errors[0]


def test_it_names_the_line_of_a_yaml_error_in_french():
    with translation.override("fr"), pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", b"plan:\n  slug: [unclosed\n")

    assert "(ligne " in failure.value.errors[0]


def test_it_lists_the_refusals_of_every_commitment_at_once():
    second = PLAN_YAML.split("commitments:\n")[1].replace("number: 1", "number: 2")
    second = second.replace("FR9001", "FR9002")
    text = PLAN_YAML + second
    text = text.replace("Ministère A", "A" * 400, 1).replace("Ministère A", "B" * 400)
    before = database_state()

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", text.encode())

    errors = "\n".join(failure.value.errors)
    # Both names of each new institution (a name from a plan stands for both).
    assert len(failure.value.errors) == 4
    assert "a" * 50 in errors and "b" * 50 in errors
    assert database_state() == before


def test_the_counts_of_a_preview_add_up_to_the_objects_of_the_file():
    text = PLAN_YAML.replace('  progress: "62,5"\n', "  irm:\n    ambition: low\n")
    text = "institutions:\n- slug: ma\n  name_fr: Ministère A\n" + text
    text += "  - title_fr: Jalon deux\n"
    import_file("plan.yaml", text.encode())

    report = import_file("plan.yaml", text.encode(), dry_run=True)

    # An institution, the plan, a commitment, its IRM assessment, two milestones.
    assert report.summary() == "0 to create, 0 to update, 6 unchanged"


def test_the_counts_of_a_spreadsheet_include_the_plan_it_names():
    import_file("plan.yaml", PLAN_YAML.encode())
    rows = (
        "plan;record;number;title_fr\n"
        "test-plan;commitment;1;Premier engagement\n"
        "test-plan;milestone;1;Jalon un\n"
    )

    report = import_file("plan.csv", rows.encode(), dry_run=True)

    assert report.summary() == "0 to create, 0 to update, 3 unchanged"
    assert [change.label for change in report.changes] == [
        "plan test-plan",
        "commitment 1",
        "commitment 1, milestone 1",
    ]


def test_it_refuses_two_institutions_with_one_slug():
    text = "institutions:\n- slug: x\n  name_fr: X\n- slug: x\n  name_fr: Y\n"

    with pytest.raises(ImportFailed) as failure:
        import_file("institutions.yaml", text.encode())

    assert failure.value.errors == [
        "institution 2, field slug: x is already used by institution 1."
    ]
    assert not Institution.objects.exists()
